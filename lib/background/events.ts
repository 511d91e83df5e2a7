/** A registered upload is ready to be staged, checked and landed. */
export const JOB_UPLOADED = "app/job.uploaded";
/** A reviewed job has no open issue left: its READY rows can land. */
export const REVIEW_COMPLETED = "app/job.review-completed";

/** A platform admin deleted a tenant: everything it owns is to be removed, then the company itself. */
export const TENANT_DELETION_REQUESTED = "app/tenant.deletion-requested";

/**
 * A job reached an outcome (COMPLETED, NEEDS_REVIEW, FAILED, REVERTED or CANCELLED). Data: jobId, companyId,
 * status, uploadSessionId (or null) and jobEventId, the timeline entry of that outcome. It can arrive more
 * than once for one outcome (a replayed step): listeners treat jobEventId as the outcome's identity.
 */
export const JOB_FINISHED = "app/job.finished";

/** An upload session was started (or restarted by a retry): its attached files are to run as jobs. */
export const SESSION_STARTED = "app/session.started";

/** A webhook delivery was recorded (lib/webhooks/emit.ts): it is to be sent, and retried with backoff. */
export const WEBHOOK_DELIVERY_REQUESTED = "app/webhook.delivery-requested";

export type BackgroundEventName =
  | typeof JOB_UPLOADED
  | typeof REVIEW_COMPLETED
  | typeof TENANT_DELETION_REQUESTED
  | typeof JOB_FINISHED
  | typeof SESSION_STARTED
  | typeof WEBHOOK_DELIVERY_REQUESTED;

/**
 * The background functions (by id) that each event starts. Dispatch reads it without loading the
 * functions themselves (they import the domain, which dispatches); a test checks that it agrees with
 * the registry in lib/background/functions.
 */
export const EVENT_LISTENERS: Readonly<Record<BackgroundEventName, readonly string[]>> = {
  [JOB_UPLOADED]: ["process-job"],
  [REVIEW_COMPLETED]: ["finish-review"],
  [TENANT_DELETION_REQUESTED]: ["delete-tenant"],
  [JOB_FINISHED]: ["advance-upload-session", "notify-webhooks-of-job"],
  [SESSION_STARTED]: ["run-upload-session"],
  [WEBHOOK_DELIVERY_REQUESTED]: ["deliver-webhook"],
};

export type BackgroundEvent = {
  name: BackgroundEventName;
  data: Record<string, unknown>;
  /** The occurrence's identity: the same id dispatched again starts no second run (Inngest's event id). */
  id?: string;
};
