import { describe, expect, it } from "vitest";
import { CYCLE_STATUSES as DB_CYCLE_STATUSES, UPLOAD_SESSION_STATUSES } from "@/db/schema";
import {
  CYCLE_STATUSES,
  cycleStatusFromName,
  cycleStatusName,
  SESSION_STATUSES,
  sessionStatusFromName,
  sessionStatusName,
} from "@/lib/sessions/status";

describe("session status names", () => {
  it.each([
    ["pending", "PENDING"],
    ["in_progress", "RUNNING"],
    ["completed", "COMPLETED"],
    ["failed", "FAILED"],
    ["cancelled", "CANCELLED"],
  ] as const)("%s is stored as %s and read back", (name, stored) => {
    expect(sessionStatusFromName(name)).toBe(stored);
    expect(sessionStatusName(stored)).toBe(name);
  });

  it("names every stored status once", () => {
    expect(SESSION_STATUSES.map(sessionStatusFromName).sort()).toEqual([...UPLOAD_SESSION_STATUSES].sort());
  });
});

describe("cycle status names", () => {
  it.each([
    ["planned", "PLANNED"],
    ["active", "ACTIVE"],
    ["closed", "CLOSED"],
  ] as const)("%s is stored as %s and read back", (name, stored) => {
    expect(cycleStatusFromName(name)).toBe(stored);
    expect(cycleStatusName(stored)).toBe(name);
  });

  it("names every stored status", () => {
    expect(CYCLE_STATUSES.map(cycleStatusFromName)).toEqual([...DB_CYCLE_STATUSES]);
  });
});
