import "server-only";
import { getDb, type Database } from "@/db";
import {
  applyDecision,
  isIssueRow,
  previewDecision,
  undoDecision,
  type DecidedRow,
  type RowDecision,
} from "@/db/queries/issue-decisions";
import {
  findIssue,
  findIssues,
  issueStates,
  setIssuesResolved,
  updateIssueText,
  type IssueRecord,
} from "@/db/queries/issues";
import { findJob, lockJob } from "@/db/queries/jobs";
import { settleRowStatuses } from "@/db/queries/row-status";
import type { Job } from "@/db/schema";
import { LIST_ROWS_PER_ISSUE, PREVIEW_ROWS } from "@/lib/review/limits";
import type { TenantContext } from "@/lib/auth/context";
import { DomainError } from "@/lib/errors";
import { jobAllows, statusesAllowing } from "@/lib/ingest/job-status";
import { actorName } from "@/lib/review/actor";
import { requireReview } from "@/lib/review/guard";
import { finishReviewedJobs } from "@/lib/review/notify";

const notFound = (issueId: number) => new DomainError("NOT_FOUND", `Issue ${issueId} not found`);

/**
 * What an editor decides about issues, each resolving them: `skip` (resolve without keeping a row:
 * every row of the issues is skipped), `keep_row` (a duplicate's or conflict's row is kept, its
 * other rows skipped) or `keep_existing` (a conflict's existing contact stays: its rows skipped).
 */
export type Resolution =
  | { action: "skip"; issueIds: readonly number[] }
  | { action: "keep_row"; issueId: number; stagingId: number }
  | { action: "keep_existing"; issueId: number };

type IssueState = Awaited<ReturnType<typeof issueStates>>[number];
type IssuesWithJobs = { states: IssueState[]; jobs: Map<number, Job> };

/**
 * The states of these issues with their jobs; ids that are not the company's are left out. A write
 * locks the jobs (in id order, so two writers never wait on each other) and reads the states again
 * under the locks; a preview only reads.
 */
async function issuesWithJobs({
  db,
  companyId,
  issueIds,
  lock,
}: {
  db: Database;
  companyId: string;
  issueIds: readonly number[];
  lock: boolean;
}): Promise<IssuesWithJobs> {
  const before = await issueStates({ db, companyId, issueIds });
  const jobs = new Map<number, Job>();
  for (const jobId of [...new Set(before.map((issue) => issue.jobId))].sort((a, b) => a - b)) {
    const job = lock ? await lockJob({ db, jobId, companyId }) : await findJob({ jobId, companyId });
    if (job) jobs.set(jobId, job);
  }
  const states = lock ? await issueStates({ db, companyId, issueIds }) : before;
  return { states: states.filter((issue) => jobs.has(issue.jobId)), jobs };
}

/**
 * `skip` of many issues: every id must be the company's (404 naming the missing ones), and the open
 * ones (the ones decided; resolved ones are left as they are) need their jobs in review (409 naming them).
 */
function skipDecision({
  companyId,
  issueIds,
  found,
}: {
  companyId: string;
  issueIds: readonly number[];
  found: IssuesWithJobs;
}): RowDecision {
  const known = new Set(found.states.map((issue) => issue.id));
  const missing = issueIds.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new DomainError("NOT_FOUND", `Issue${missing.length === 1 ? "" : "s"} not found: ${missing.join(", ")}`, {
      missing_issue_ids: missing,
    });
  }
  const open = found.states.filter((issue) => !issue.resolved);
  const blocked = [...new Set(open.map((issue) => issue.jobId))]
    .map((jobId) => found.jobs.get(jobId))
    .filter((job): job is Job => job !== undefined && !jobAllows(job.status, "review"));
  if (blocked.length > 0) {
    throw new DomainError(
      "CONFLICT",
      `Issues can be resolved only while their job is ${statusesAllowing("review")}; ${blocked.map((job) => `job ${job.id} is ${job.status}`).join(", ")}`,
      { jobs: blocked.map((job) => ({ job_id: job.id, status: job.status })) },
    );
  }
  return { companyId, issueIds: open.map((issue) => issue.id), keptRowId: null };
}

/**
 * `keep_row` and `keep_existing` of one issue: only a duplicate or conflict has rows to choose between
 * (a conflict also its existing contact), the kept row must be one of the issue's, and the job must be
 * in review.
 */
async function keepDecision({
  db,
  companyId,
  resolution,
  state,
  job,
}: {
  db: Database;
  companyId: string;
  resolution: Extract<Resolution, { action: "keep_row" | "keep_existing" }>;
  state: IssueState;
  job: Job;
}): Promise<RowDecision> {
  const { issueId } = resolution;
  const existing = resolution.action === "keep_existing";
  const types: readonly IssueState["type"][] = existing
    ? ["CONTACT_CONFLICT"]
    : ["DUPLICATE_EMAIL", "CONTACT_CONFLICT"];
  if (!types.includes(state.type)) {
    throw new DomainError(
      "BAD_REQUEST",
      existing
        ? `Issue ${issueId} is ${state.type}; only a CONTACT_CONFLICT issue has an existing contact to keep`
        : `Issue ${issueId} is ${state.type}; only DUPLICATE_EMAIL and CONTACT_CONFLICT issues have a row to keep`,
      { issue_type: state.type },
    );
  }
  requireReview(job, existing ? "the existing contact of its issues can be kept" : "a row of its issues can be kept");
  if (resolution.action === "keep_existing") return { companyId, issueIds: [issueId], keptRowId: null };
  const { stagingId } = resolution;
  if (!(await isIssueRow({ db, issueId, stagingId }))) {
    throw new DomainError("BAD_REQUEST", `Staging row ${stagingId} is not one of issue ${issueId}'s rows`, {
      staging_id: stagingId,
    });
  }
  return { companyId, issueIds: [issueId], keptRowId: stagingId };
}

const issueIdsOf = (resolution: Resolution): number[] =>
  resolution.action === "skip" ? [...new Set(resolution.issueIds)] : [resolution.issueId];

/** The decision a resolution makes, checked as its write checks it (the preview and the write share it). */
async function decide({
  db,
  companyId,
  resolution,
  found,
}: {
  db: Database;
  companyId: string;
  resolution: Resolution;
  found: IssuesWithJobs;
}): Promise<RowDecision> {
  if (resolution.action === "skip") return skipDecision({ companyId, issueIds: issueIdsOf(resolution), found });
  const [state] = found.states;
  const job = state ? found.jobs.get(state.jobId) : undefined;
  if (!state || !job) throw notFound(resolution.issueId);
  return keepDecision({ db, companyId, resolution, state, job });
}

export type ResolutionPreview = {
  issuesToResolve: number;
  toSkip: number;
  toKeep: number;
  alreadySkipped: number;
  changed: DecidedRow[];
};

/**
 * POST /api/issues/preview: what a resolution would do to the rows, by the rule its write follows
 * (the same checks, answering with the same errors), writing nothing.
 */
export async function previewResolution({
  ctx,
  resolution,
}: {
  ctx: TenantContext;
  resolution: Resolution;
}): Promise<ResolutionPreview> {
  const companyId = ctx.companyId;
  const db = await getDb();
  const found = await issuesWithJobs({ db, companyId, issueIds: issueIdsOf(resolution), lock: false });
  const decision = await decide({ db, companyId, resolution, found });
  const preview = await previewDecision({ db, ...decision, limit: PREVIEW_ROWS });
  return { issuesToResolve: decision.issueIds.length, ...preview };
}

/**
 * One issue's write: `act` runs in one transaction with the issue's job locked (404 when the issue
 * is not the company's); the job is then sent on to finish if nothing is left open, and the issue is
 * returned as it now is.
 */
async function writeIssue({
  ctx,
  issueId,
  act,
}: {
  ctx: TenantContext;
  issueId: number;
  act: (locked: { tx: Database; state: IssueState; job: Job; found: IssuesWithJobs }) => Promise<void>;
}): Promise<IssueRecord> {
  const companyId = ctx.companyId;
  const db = await getDb();
  const jobId = await db.transaction(async (tx) => {
    const found = await issuesWithJobs({ db: tx, companyId, issueIds: [issueId], lock: true });
    const [state] = found.states;
    const job = state ? found.jobs.get(state.jobId) : undefined;
    if (!state || !job) throw notFound(issueId);
    await act({ tx, state, job, found });
    return job.id;
  });
  await finishReviewedJobs({ jobIds: [jobId] });
  const issue = await findIssue({ companyId, issueId });
  if (!issue) throw notFound(issueId);
  return issue;
}

/**
 * Carries a checked decision out and resolves its issues, in the caller's transaction: the rows take
 * their new statuses and every issue item records what was decided, for a reopening to take back.
 */
async function resolveWith({
  tx,
  ctx,
  decision,
  resolvedBy,
  comment,
}: {
  tx: Database;
  ctx: TenantContext;
  decision: RowDecision;
  resolvedBy?: string;
  comment?: string | null;
}): Promise<{ resolved: number; skipped: number }> {
  const { skipped } = await applyDecision({ db: tx, ...decision });
  const resolved = await setIssuesResolved({
    db: tx,
    companyId: ctx.companyId,
    issueIds: decision.issueIds,
    resolved: true,
    resolvedBy: resolvedBy ?? actorName(ctx),
    comment,
  });
  return { resolved: resolved.length, skipped };
}

export type IssueChanges = {
  resolved?: boolean;
  description?: string | null;
  resolvedBy?: string;
  resolutionComment?: string | null;
};

/**
 * PUT /api/issues/{id}: resolving records when (first) and by whom (the caller unless named) and
 * skips the issue's rows; reopening forgets who and when and puts back every row the resolution
 * changed (ISSUE while an open issue claims it). Only the state needs the job in review.
 */
export function updateIssue({
  ctx,
  issueId,
  changes,
}: {
  ctx: TenantContext;
  issueId: number;
  changes: IssueChanges;
}): Promise<IssueRecord> {
  const companyId = ctx.companyId;
  return writeIssue({
    ctx,
    issueId,
    act: async ({ tx, state, job }) => {
      const changing = changes.resolved !== undefined && changes.resolved !== state.resolved;
      if (changing) {
        requireReview(job, "its issues can be resolved or reopened");
        if (changes.resolved === true) {
          await resolveWith({
            tx,
            ctx,
            decision: { companyId, issueIds: [issueId], keptRowId: null },
            resolvedBy: changes.resolvedBy,
            comment: changes.resolutionComment,
          });
        } else {
          await reopenIssue({ tx, ctx, jobId: job.id, issueId, comment: changes.resolutionComment });
        }
      }
      const stillResolved = changes.resolved ?? state.resolved;
      await updateIssueText({
        db: tx,
        companyId,
        issueId,
        patch: {
          ...(changes.description === undefined ? {} : { description: changes.description }),
          ...(!changing && changes.resolutionComment !== undefined
            ? { resolutionComment: changes.resolutionComment }
            : {}),
          ...(!changing && stillResolved && changes.resolvedBy !== undefined ? { resolvedBy: changes.resolvedBy } : {}),
        },
      });
    },
  });
}

/** Reopening: what the resolution decided for the rows is taken back first (it needs the issue's resolution time), then the rows are settled. */
async function reopenIssue({
  tx,
  ctx,
  jobId,
  issueId,
  comment,
}: {
  tx: Database;
  ctx: TenantContext;
  jobId: number;
  issueId: number;
  comment?: string | null;
}): Promise<void> {
  await undoDecision({ db: tx, companyId: ctx.companyId, issueId });
  await setIssuesResolved({
    db: tx,
    companyId: ctx.companyId,
    issueIds: [issueId],
    resolved: false,
    resolvedBy: actorName(ctx),
    comment,
  });
  await settleRowStatuses({ db: tx, jobId, issueIds: [issueId] });
}

/**
 * POST /api/issues/resolve: every issue named must be the company's (404 naming the missing ones);
 * the open ones are resolved in one transaction, their rows skipped, which needs their jobs in review
 * (409 naming them).
 */
export async function resolveIssues({
  ctx,
  issueIds,
  comment,
}: {
  ctx: TenantContext;
  issueIds: readonly number[];
  comment?: string | null;
}): Promise<{ resolved: number; rowsSkipped: number; issues: IssueRecord[] }> {
  const companyId = ctx.companyId;
  const ids = [...new Set(issueIds)];
  const db = await getDb();
  const { resolved, skipped, jobIds } = await db.transaction(async (tx) => {
    const found = await issuesWithJobs({ db: tx, companyId, issueIds: ids, lock: true });
    const decision = skipDecision({ companyId, issueIds: ids, found });
    return { ...(await resolveWith({ tx, ctx, decision, comment })), jobIds: [...found.jobs.keys()] };
  });
  await finishReviewedJobs({ jobIds });
  return {
    resolved,
    rowsSkipped: skipped,
    issues: await findIssues({ companyId, issueIds: ids, rowsPerIssue: LIST_ROWS_PER_ISSUE }),
  };
}

/**
 * POST /api/issues/{id}/keep: of a duplicate's (or conflict's) rows, the one kept becomes READY (ISSUE
 * while another open issue still claims it) and the others SKIPPED; or, `{existing: true}`, every row
 * of a conflict is SKIPPED and the company's contact stays as it is. Either way the issue is resolved,
 * in one transaction.
 */
export function keepIssueRows({
  ctx,
  resolution,
  comment,
}: {
  ctx: TenantContext;
  resolution: Extract<Resolution, { action: "keep_row" | "keep_existing" }>;
  comment?: string | null;
}): Promise<IssueRecord> {
  return writeIssue({
    ctx,
    issueId: resolution.issueId,
    act: async ({ tx, job, found }) => {
      const decision = await decide({ db: tx, companyId: ctx.companyId, resolution, found });
      await resolveWith({ tx, ctx, decision, comment });
      if (decision.keptRowId !== null) await settleRowStatuses({ db: tx, jobId: job.id, rowIds: [decision.keptRowId] });
    },
  });
}
