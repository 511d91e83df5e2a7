/**
 * Batches of a query read in key order, each one starting after the last key of the previous one
 * (keyset pagination: every batch is an index range scan, however deep into the result it is). Stops at
 * the first batch shorter than `limit`. Give `keyOf` a typed parameter: Row and Key are inferred from it.
 */
export async function* keysetBatches<Row, Key>({
  limit,
  fetch,
  keyOf,
}: {
  limit: number;
  /** The next at most `limit` rows after `after` (null: from the start), in key order. */
  fetch: (input: { after: NoInfer<Key> | null; limit: number }) => Promise<Row[]>;
  keyOf: (row: Row) => Key;
}): AsyncGenerator<Row[]> {
  let after: Key | null = null;
  for (;;) {
    const rows = await fetch({ after, limit });
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < limit || last === undefined) return;
    after = keyOf(last);
  }
}
