import { describe, expect, it } from "vitest";
import { keysetBatches } from "./keyset";

const ROWS = Array.from({ length: 7 }, (_, index) => ({ id: (index + 1) * 10 }));

async function collect(limit: number) {
  const calls: (number | null)[] = [];
  const batches: number[][] = [];
  for await (const batch of keysetBatches({
    limit,
    fetch: ({ after, limit: size }) => {
      calls.push(after);
      return Promise.resolve(ROWS.filter((row) => after === null || row.id > after).slice(0, size));
    },
    keyOf: (row: { id: number }) => row.id,
  })) {
    batches.push(batch.map((row) => row.id));
  }
  return { calls, batches };
}

describe("keysetBatches", () => {
  it.each([
    { limit: 3, batches: [[10, 20, 30], [40, 50, 60], [70]], calls: [null, 30, 60] },
    // A last batch that is exactly full needs one more (empty) fetch to know it was the last.
    { limit: 7, batches: [[10, 20, 30, 40, 50, 60, 70]], calls: [null, 70] },
    { limit: 100, batches: [[10, 20, 30, 40, 50, 60, 70]], calls: [null] },
  ])("limit $limit", async ({ limit, batches, calls }) => {
    expect(await collect(limit)).toEqual({ batches, calls });
  });
});
