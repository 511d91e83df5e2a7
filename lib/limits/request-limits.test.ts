import { describe, expect, it } from "vitest";
import { judgeRequest, type WindowCount } from "@/lib/limits/request-limits";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const limits = { perMinute: 10, perHour: 100, perDay: 1000 };
const counts = (
  minute: number,
  hour: number,
  day: number,
  msLeft = { minute: 30_000, hour: 1_800_000, day: 43_200_000 },
) =>
  [
    { window: "minute", points: minute, msBeforeNext: msLeft.minute },
    { window: "hour", points: hour, msBeforeNext: msLeft.hour },
    { window: "day", points: day, msBeforeNext: msLeft.day },
  ] satisfies WindowCount[];

describe("judgeRequest", () => {
  it.each([
    {
      case: "the first request: the minute has the fewest left",
      counts: counts(1, 1, 1),
      expected: {
        allowed: true,
        window: "minute",
        limit: 10,
        remaining: 9,
        resetAt: NOW / 1000 + 30,
        retryAfterSeconds: null,
      },
    },
    {
      case: "the last request a minute allows is let through with none left",
      counts: counts(10, 10, 10),
      expected: { allowed: true, window: "minute", limit: 10, remaining: 0, retryAfterSeconds: null },
    },
    {
      case: "one over the minute's limit is refused until the minute ends",
      counts: counts(11, 11, 11),
      expected: { allowed: false, window: "minute", limit: 10, remaining: 0, retryAfterSeconds: 30 },
    },
    {
      case: "the hour nearly spent describes the headers though the minute has room",
      counts: counts(2, 99, 99),
      expected: { allowed: true, window: "hour", limit: 100, remaining: 1, resetAt: NOW / 1000 + 1800 },
    },
    {
      case: "refused by both minute and day: the caller may come back when the day ends",
      counts: counts(11, 50, 1001),
      expected: { allowed: false, window: "day", limit: 1000, remaining: 0, retryAfterSeconds: 43_200 },
    },
    {
      case: "a window about to end still asks for a whole second",
      counts: counts(11, 11, 11, { minute: 120, hour: 1000, day: 2000 }),
      expected: { allowed: false, window: "minute", retryAfterSeconds: 1 },
    },
    {
      case: "a tie in what is left goes to the window that ends first",
      counts: counts(1, 91, 991),
      expected: { allowed: true, window: "minute", remaining: 9 },
    },
  ])("$case", ({ counts: counted, expected }) => {
    expect(judgeRequest(counted, limits, NOW)).toMatchObject(expected);
  });
});
