import { describe, expect, it } from "vitest";
import { JOB_STATUSES, type JobStatus } from "@/db/schema";
import { jobAllows, statusesAllowing, type JobAction } from "@/lib/ingest/job-status";

// Written out status by status (the type demands every one), so that a change to the table shows here as the rule it changes.
const ALLOWED: Record<JobStatus, readonly JobAction[]> = {
  PENDING: ["cancel", "delete", "reprocess"],
  PROCESSING: ["cancel"],
  NEEDS_REVIEW: ["delete", "reprocess", "review"],
  COMPLETED: ["reprocess", "revert"],
  FAILED: ["delete", "reprocess"],
  CANCELLED: ["delete", "reprocess"],
  REVERTED: [],
};
const ACTIONS: readonly JobAction[] = ["cancel", "delete", "reprocess", "revert", "review"];

describe("jobAllows", () => {
  it.each(
    JOB_STATUSES.flatMap((status) =>
      ACTIONS.map((action) => ({ status, action, allowed: ALLOWED[status].includes(action) })),
    ),
  )("a $status job: $action → $allowed", ({ status, action, allowed }) => {
    expect(jobAllows(status, action)).toBe(allowed);
  });
});

describe("statusesAllowing", () => {
  it.each([
    { action: "delete", separator: undefined, expected: "PENDING, NEEDS_REVIEW, FAILED, CANCELLED" },
    { action: "reprocess", separator: undefined, expected: "PENDING, FAILED, NEEDS_REVIEW, COMPLETED, CANCELLED" },
    { action: "cancel", separator: " or ", expected: "PENDING or PROCESSING" },
    { action: "revert", separator: undefined, expected: "COMPLETED" },
    { action: "review", separator: undefined, expected: "NEEDS_REVIEW" },
  ] as const)("$action: $expected", ({ action, separator, expected }) => {
    expect(statusesAllowing(action, separator)).toBe(expected);
  });
});
