import { describe, expect, it } from "vitest";
import { formatRelative } from "./dates";

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("formatRelative", () => {
  it.each([
    [0, "just now"],
    [-9 * SECOND, "just now"],
    [9 * SECOND, "just now"],
    [-30 * SECOND, "30 seconds ago"],
    [-150 * SECOND, "2 minutes ago"],
    [-59 * MINUTE, "59 minutes ago"],
    [-3 * HOUR, "3 hours ago"],
    [-1 * DAY, "yesterday"],
    [-3 * DAY, "3 days ago"],
    [2 * DAY, "in 2 days"],
    [-14 * DAY, "2 weeks ago"],
    [-60 * DAY, "2 months ago"],
    [-400 * DAY, "last year"],
    [-3 * 365 * DAY, "3 years ago"],
  ])("%d ms from now → %s", (offset, expected) => {
    expect(formatRelative(new Date(NOW + offset), NOW)).toBe(expected);
  });

  it("shows an invalid date as the platform does", () => {
    const invalid = new Date("not a date");
    expect(formatRelative(invalid, NOW)).toBe(invalid.toLocaleString());
  });
});
