import { describe, expect, it } from "vitest";
import { splitIds } from "@/lib/ingest/id-ranges";

const pairs = { multipleOf: 2, minSize: 1_000 };

describe("splitIds", () => {
  it.each([
    { name: "nothing to split", low: 5, high: 4, maxSize: 50_000, expected: [] },
    { name: "one id", low: 7, high: 7, maxSize: 50_000, expected: [[7, 7]] },
    { name: "too few ids for two ranges of the minimum", low: 1, high: 1_999, maxSize: 50_000, expected: [[1, 1_999]] },
    {
      name: "a small job split in two halves",
      low: 1,
      high: 10_000,
      maxSize: 50_000,
      expected: [
        [1, 5_000],
        [5_001, 10_000],
      ],
    },
    {
      name: "an odd count rounded up, sizes balanced",
      low: 101,
      high: 60_100,
      maxSize: 50_000,
      expected: [
        [101, 30_100],
        [30_101, 60_100],
      ],
    },
    {
      name: "three ranges become four",
      low: 1,
      high: 120_000,
      maxSize: 50_000,
      expected: [
        [1, 30_000],
        [30_001, 60_000],
        [60_001, 90_000],
        [90_001, 120_000],
      ],
    },
    {
      name: "an even count kept at the maximum size",
      low: 1,
      high: 100_000,
      maxSize: 50_000,
      expected: [
        [1, 50_000],
        [50_001, 100_000],
      ],
    },
    // Tiny ranges (tests use them to cross many steps) are not balanced below the minimum size.
    {
      name: "tiny maximum size",
      low: 1,
      high: 10,
      maxSize: 4,
      expected: [
        [1, 4],
        [5, 8],
        [9, 10],
      ],
    },
  ])("$name", ({ low, high, maxSize, expected }) => {
    const ranges = splitIds({ low, high, maxSize, ...pairs });
    expect(ranges.map(({ from, to }) => [from, to])).toEqual(expected);
  });

  it.each([
    { low: 1, high: 1_000_000, maxSize: 50_000 },
    { low: 17, high: 1_234_567, maxSize: 45_000 },
    { low: 1, high: 99_999, maxSize: 4_000 },
  ])("covers $low..$high once, in ranges of at most $maxSize", ({ low, high, maxSize }) => {
    const ranges = splitIds({ low, high, maxSize, ...pairs });
    expect(ranges[0]?.from).toBe(low);
    expect(ranges.at(-1)?.to).toBe(high);
    ranges.forEach((range, index) => {
      expect(range.to - range.from + 1).toBeLessThanOrEqual(maxSize);
      if (index > 0) expect(range.from).toBe((ranges[index - 1]?.to ?? 0) + 1);
    });
    expect(ranges.length % 2).toBe(0);
  });
});
