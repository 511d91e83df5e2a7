import { describe, expect, it } from "vitest";
import { decodeAuditCursor, encodeAuditCursor } from "@/lib/audit/cursor";

const encoded = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("audit cursors", () => {
  it.each([
    { createdAt: "2026-11-30T22:31:52.123456Z", id: 1 },
    { createdAt: "1999-01-01T00:00:00.000000Z", id: Number.MAX_SAFE_INTEGER },
  ])("gives back the position it was made from: $createdAt #$id", (position) => {
    const cursor = encodeAuditCursor(position);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeAuditCursor(cursor)).toEqual(position);
  });

  it.each([
    ["not base64url", "abc$"],
    ["empty", ""],
    ["no separator", encoded("2026-11-30T22:31:52.123456Z")],
    ["milliseconds only", encoded("2026-11-30T22:31:52.123Z|5")],
    ["not a date", encoded("2026-13-45T99:99:99.000000Z|5")],
    ["a day February lacks", encoded("2026-02-30T00:00:00.000000Z|5")],
    ["year zero", encoded("0000-01-01T00:00:00.000000Z|5")],
    ["hour 24", encoded("2026-02-28T24:00:00.000000Z|5")],
    ["id zero", encoded("2026-11-30T22:31:52.123456Z|0")],
    ["negative id", encoded("2026-11-30T22:31:52.123456Z|-5")],
    ["id beyond a safe integer", encoded("2026-11-30T22:31:52.123456Z|9007199254740993")],
    ["a fraction", encoded("2026-11-30T22:31:52.123456Z|1.5")],
    ["extra parts", encoded("2026-11-30T22:31:52.123456Z|1|2")],
    ["SQL", encoded("now()|1")],
  ])("refuses %s", (_title, cursor) => {
    expect(decodeAuditCursor(cursor)).toBeNull();
  });
});
