import type { Cycle, UploadSession } from "@/db/schema";

/** A session's status as the API and pages name it (seed 002), beside the database's name for it. */
const SESSION_STATUS_NAMES = {
  pending: "PENDING",
  in_progress: "RUNNING",
  completed: "COMPLETED",
  failed: "FAILED",
  cancelled: "CANCELLED",
} as const satisfies Record<string, UploadSession["status"]>;

export type SessionStatusName = keyof typeof SESSION_STATUS_NAMES;
export const SESSION_STATUSES = Object.keys(SESSION_STATUS_NAMES) as [SessionStatusName, ...SessionStatusName[]];

export function sessionStatusFromName(name: SessionStatusName): UploadSession["status"] {
  return SESSION_STATUS_NAMES[name];
}

export function sessionStatusName(status: UploadSession["status"]): SessionStatusName {
  const found = SESSION_STATUSES.find((name) => SESSION_STATUS_NAMES[name] === status);
  if (!found) throw new Error(`unknown upload session status ${status}`);
  return found;
}

export const CYCLE_STATUSES = ["planned", "active", "closed"] as const;
export type CycleStatusName = (typeof CYCLE_STATUSES)[number];

export const cycleStatusFromName = (name: CycleStatusName): Cycle["status"] => name.toUpperCase() as Cycle["status"];
export const cycleStatusName = (status: Cycle["status"]): CycleStatusName => status.toLowerCase() as CycleStatusName;

type SessionCounters = Pick<
  UploadSession,
  | "totalFiles"
  | "completedFiles"
  | "needsReviewFiles"
  | "refusedFiles"
  | "failedFiles"
  | "cancelledFiles"
  | "rowsStaged"
  | "rowsLanded"
  | "rowsWithIssues"
  | "bytes"
  | "failureReason"
>;

/** A session's progress as the API and the session.completed webhook both show it. */
export function sessionCountersJson(session: SessionCounters) {
  return {
    files: {
      total: session.totalFiles,
      completed: session.completedFiles,
      needs_review: session.needsReviewFiles,
      refused: session.refusedFiles,
      failed: session.failedFiles,
      cancelled: session.cancelledFiles,
    },
    rows_staged: session.rowsStaged,
    rows_landed: session.rowsLanded,
    rows_with_issues: session.rowsWithIssues,
    bytes: session.bytes,
    failure_reason: session.failureReason,
  };
}
