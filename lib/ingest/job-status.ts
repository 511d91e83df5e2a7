import type { JobStatus } from "@/db/schema";

/*
 * Which status allows what: the one table the API's rules (lib/ingest, lib/review) and the pages'
 * buttons both read. Free of server code, so client components import it too. Each list is in the order
 * the API's refusals name them.
 */

export type JobAction = "cancel" | "delete" | "reprocess" | "revert" | "review";

export const JOB_ACTION_STATUSES = {
  /** A job whose run may be working on it: stopped with a cancel, not deleted or reprocessed under it. */
  cancel: ["PENDING", "PROCESSING"],
  delete: ["PENDING", "NEEDS_REVIEW", "FAILED", "CANCELLED"],
  reprocess: ["PENDING", "FAILED", "NEEDS_REVIEW", "COMPLETED", "CANCELLED"],
  /** Only a COMPLETED job's contact changes can be undone. */
  revert: ["COMPLETED"],
  /** Review writes change a job's rows and issues only while it waits in NEEDS_REVIEW. */
  review: ["NEEDS_REVIEW"],
} as const satisfies Record<JobAction, readonly JobStatus[]>;

export function jobAllows(status: JobStatus, action: JobAction): boolean {
  return (JOB_ACTION_STATUSES[action] as readonly JobStatus[]).includes(status);
}

/** The statuses that allow `action`, as a refusal names them: "PENDING, FAILED" or, with " or ", "PENDING or PROCESSING". */
export function statusesAllowing(action: JobAction, separator = ", "): string {
  return JOB_ACTION_STATUSES[action].join(separator);
}
