import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { daysOf, resolveUsageRange } from "@/lib/usage/range";

const NOW = new Date("2026-03-15T23:30:00Z");

describe("resolveUsageRange", () => {
  it.each([
    { query: {}, range: { from: "2026-02-14", to: "2026-03-15" } },
    { query: { to: "2026-01-31" }, range: { from: "2026-01-02", to: "2026-01-31" } },
    { query: { from: "2026-03-01" }, range: { from: "2026-03-01", to: "2026-03-15" } },
    { query: { from: "2026-03-15" }, range: { from: "2026-03-15", to: "2026-03-15" } },
    { query: { from: "2024-01-01", to: "2024-12-31" }, range: { from: "2024-01-01", to: "2024-12-31" } },
    { query: { from: "2026-04-01", to: "2026-04-30" }, range: { from: "2026-04-01", to: "2026-04-30" } },
  ])("$query → $range", ({ query, range }) => {
    expect(resolveUsageRange(query, NOW)).toEqual(range);
  });

  it.each([
    { query: { from: "2026-03-16" }, field: "query.from" },
    { query: { from: "2026-03-02", to: "2026-03-01" }, field: "query.to" },
    { query: { from: "2025-01-01", to: "2026-01-02" }, field: "query.from" },
  ])("$query is refused naming $field", ({ query, field }) => {
    let refused: unknown;
    try {
      resolveUsageRange(query, NOW);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).details).toEqual({ fields: [{ field, reason: expect.any(String) as unknown }] });
  });
});

describe("daysOf", () => {
  it.each([
    { range: { from: "2026-03-01", to: "2026-03-01" }, days: ["2026-03-01"] },
    { range: { from: "2024-02-28", to: "2024-03-01" }, days: ["2024-02-28", "2024-02-29", "2024-03-01"] },
    { range: { from: "2025-12-31", to: "2026-01-01" }, days: ["2025-12-31", "2026-01-01"] },
  ])("$range.from … $range.to", ({ range, days }) => {
    expect(daysOf(range)).toEqual(days);
  });
});
