import { invalidField } from "@/lib/errors";

/** UTC days, YYYY-MM-DD, both included. */
export type UsageRange = { from: string; to: string };

export const DEFAULT_USAGE_DAYS = 30;
export const MAX_USAGE_DAYS = 366;
const MS_PER_DAY = 86_400_000;

/**
 * The days a usage report covers: `to` defaults to today (UTC) and `from` to the 30 days up to `to`.
 * The dates are well-formed already (the contract checks them); a range that ends before it starts, or
 * spans more than 366 days, is refused naming the parameter to change.
 */
export function resolveUsageRange(query: { from?: string; to?: string }, now: Date): UsageRange {
  const to = query.to ?? utcDay(now.getTime());
  const from = query.from ?? utcDay(Date.parse(to) - (DEFAULT_USAGE_DAYS - 1) * MS_PER_DAY);
  const days = (Date.parse(to) - Date.parse(from)) / MS_PER_DAY + 1;
  if (days < 1) {
    throw query.to === undefined
      ? invalidField("query.from", `is after today (${to}); pass a day up to today, or a later 'to'`)
      : invalidField("query.to", `is before 'from' (${from}); pass a day on or after it`);
  }
  if (days > MAX_USAGE_DAYS) {
    throw invalidField(
      "query.from",
      `makes a range of ${days} days up to ${to}; a usage report covers at most ${MAX_USAGE_DAYS} days`,
    );
  }
  return { from, to };
}

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included, oldest first. */
export function daysOf({ from, to }: UsageRange): string[] {
  const days: string[] = [];
  for (let day = Date.parse(from); day <= Date.parse(to); day += MS_PER_DAY) days.push(utcDay(day));
  return days;
}
