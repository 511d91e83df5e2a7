import { expect, it } from "vitest";
import { stepRows } from "@/lib/ingest/pipeline";

it.each([
  { sizeBytes: 0, chunkRows: 25_000, expected: 25_000 },
  { sizeBytes: 40 * 1024 * 1024, chunkRows: 25_000, expected: 25_000 },
  // 1 GiB: grown so that even 30-byte rows fit in 600 staging steps.
  { sizeBytes: 1024 * 1024 * 1024, chunkRows: 25_000, expected: 59_653 },
  { sizeBytes: 1024 * 1024 * 1024, chunkRows: 100_000, expected: 100_000 },
])("a $sizeBytes-byte file with chunks of $chunkRows stages $expected rows a step", ({ sizeBytes, chunkRows, expected }) => {
  const rows = stepRows({ sizeBytes, chunkRows });
  expect(rows).toBe(expected);
  expect(Math.ceil(sizeBytes / 30 / rows)).toBeLessThanOrEqual(600);
});
