/**
 * The three kinds of failure Sabot reports, at the bottom of the layers so that every package
 * may throw them. Each message opens with a fixed phrase, so a user (and a test) can tell at
 * once whose problem it is:
 *
 * <ul>
 *   <li>{@link io.sabot.error.InvalidJobException}: <b>the user's job is wrong</b>
 *       ("Invalid job: ..."). Found by validating the whole job once, before any data is read;
 *       every problem is listed, each naming the operator, the column or parameter, and what
 *       exists instead ({@code column=prise not found in operator filter_quotes; available:
 *       instrumentId, price, size}). Fix the job file and rerun.
 *   <li>{@link io.sabot.error.JobExecutionException}: <b>running the job failed</b>
 *       ("Execution failed in operator X, partition P: ..."): a source or sink that cannot be
 *       read or written, a record rejected with {@code on_error: fail}, a duplicate key with
 *       {@code on_duplicate: error}. The job was valid; the data or the environment was not.
 *   <li>{@link io.sabot.error.SabotBug}: <b>a broken invariant inside Sabot</b>
 *       ("Internal error: ...; this is a bug in Sabot; please report it"). Never the user's
 *       fault; never thrown for input a user could write.
 * </ul>
 *
 * <p>Expected conditions on the hot path (back-pressure, end of input) are return values, not
 * exceptions.
 */
package io.sabot.error;
