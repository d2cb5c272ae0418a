/**
 * FILTER conditions before they are bound to columns: {@link io.sabot.expr.Condition} (one
 * predicate, or {@code all}/{@code any} of conditions, nested), {@link io.sabot.expr.CompareOp},
 * the parser from job-file parameters ({@link io.sabot.expr.Conditions}) and literal conversions
 * ({@link io.sabot.expr.Literals}).
 *
 * <p>Kept apart from the kernels so that the optimizer can split, move and compare conditions
 * (it works on these immutable values) without knowing how they run. Checks that need no schema
 * happen here (a list for {@code in}, no {@code value: null}); checks against a column's type
 * happen when a condition is bound ({@code io.sabot.physical.FilterBinder}).
 */
package io.sabot.expr;
