/**
 * Reference tables: the keyed build side of a HASH_JOIN. A {@link
 * io.sabot.reference.ReferenceTable} is built once, single-threaded, from every row of its input,
 * resolves duplicate keys by {@link io.sabot.graph.OnDuplicate}, and is then read-only, so any
 * number of workers probe it at once.
 *
 * <pre>
 *   probe batch (stream)          index (one KeyIndex)               rows (Arrow columns, as loaded)
 *                              +-------------------------+          +----+------+-----+
 *   key vector(s) --rows[i]--> | DirectLongKeyIndex      |   row    | ID | NAME | ... |  0
 *                              |   int[key] -> row       | -------> |    |      |     |  1
 *                              | or LongKeyIndex         |          |    |      |     |  ...
 *                              |   long[] key,row pairs  |          +----+------+-----+
 *                              | or MultiColumnKeyIndex  |          next[] (on_duplicate: all)
 *                              |   long[] tag:row        |          | -1 | 5 | -1 | ... |
 *                              +-------------------------+          row -> next row, same key
 *
 *   outMatch[i] = first matching row or -1;   nextMatch(row) walks next[] in insertion order
 * </pre>
 *
 * The index is chosen at build time ({@link io.sabot.reference.IndexChoice}): primitive
 * open-addressing tables, no boxing. Rows with a null in any key column are counted and never
 * indexed; a probe key with a null part never matches.
 */
package io.sabot.reference;
