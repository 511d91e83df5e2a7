import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatCountOf } from "./numbers";

describe("formatCount", () => {
  it.each([
    [0, "0"],
    [999, "999"],
    [1000, "1,000"],
    [1234567, "1,234,567"],
    [-42, "-42"],
  ])("%d → %s", (value, expected) => {
    expect(formatCount(value)).toBe(expected);
  });
});

describe("formatCountOf", () => {
  it.each([
    [0, "issue", "0 issues"],
    [1, "issue", "1 issue"],
    [2, "row", "2 rows"],
    [12500, "contact", "12,500 contacts"],
  ])("%d %s → %s", (value, noun, expected) => {
    expect(formatCountOf(value, noun)).toBe(expected);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1,023 B"],
    [1024, "1 KB"],
    [1536, "1.5 KB"],
    [1024 * 1024 - 1, "1,024 KB"],
    [1024 * 1024, "1 MB"],
    [5.25 * 1024 * 1024 * 1024, "5.3 GB"],
    [3 * 1024 ** 4, "3 TB"],
    // Past terabytes the unit stays TB.
    [2048 * 1024 ** 4, "2,048 TB"],
  ])("%d → %s", (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});
