/**
 * The column types a job can declare and the schemas built from them:
 * {@link io.sabot.types.ColumnType}, {@link io.sabot.types.Field}, {@link io.sabot.types.Schema}.
 * Each type maps to one Arrow vector, so a schema says exactly how a batch is laid out:
 *
 * <pre>
 *   int32     -> IntVector              int64  -> BigIntVector
 *   float64   -> Float8Vector           string -> VarCharVector (UTF-8)
 *   bool      -> BitVector              timestamp -> TimeStampMilliVector (epoch ms, no zone)
 * </pre>
 *
 * Every column is nullable. The bottom layer: it depends on Arrow only.
 */
package io.sabot.types;
