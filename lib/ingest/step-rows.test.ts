import { expect, it } from "vitest";
import { promotionRangeSize, stepRows } from "@/lib/ingest/pipeline";

it.each([
  { sizeBytes: 0, chunkRows: 25_000, expected: 25_000 },
  { sizeBytes: 40 * 1024 * 1024, chunkRows: 25_000, expected: 25_000 },
  // 1 GiB: grown so that even 30-byte rows fit in 600 staging steps.
  { sizeBytes: 1024 * 1024 * 1024, chunkRows: 25_000, expected: 59_653 },
  { sizeBytes: 1024 * 1024 * 1024, chunkRows: 100_000, expected: 100_000 },
])(
  "a $sizeBytes-byte file with chunks of $chunkRows stages $expected rows a step",
  ({ sizeBytes, chunkRows, expected }) => {
    const rows = stepRows({ sizeBytes, chunkRows });
    expect(rows).toBe(expected);
    expect(Math.ceil(sizeBytes / 30 / rows)).toBeLessThanOrEqual(600);
  },
);

it.each([
  { sizeBytes: 4_000, chunkRows: 4, expected: 4 },
  { sizeBytes: 40 * 1024 * 1024, chunkRows: 100_000, expected: 50_000 },
  { sizeBytes: 40 * 1024 * 1024, chunkRows: 25_000, expected: 25_000 },
  // 1 GiB: grown so that even 30-byte rows fit in 400 ranges (200 steps of two).
  { sizeBytes: 1024 * 1024 * 1024, chunkRows: 100_000, expected: 89_479 },
])(
  "a $sizeBytes-byte file with chunks of $chunkRows promotes $expected rows a range",
  ({ sizeBytes, chunkRows, expected }) => {
    const rows = promotionRangeSize({ sizeBytes, chunkRows });
    expect(rows).toBe(expected);
    expect(Math.ceil(sizeBytes / 30 / rows)).toBeLessThanOrEqual(400);
  },
);
