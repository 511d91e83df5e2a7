import "server-only";
import { and, eq, inArray, ne } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { findIssue, findIssues, issueStates, setIssuesResolved, updateIssueText, type IssueRecord } from "@/db/queries/issues";
import { lockJob } from "@/db/queries/jobs";
import { issueItems, stagingRows, type Job } from "@/db/schema";
import { LIST_ROWS_PER_ISSUE } from "@/lib/api/contracts/issues";
import { ApiError } from "@/lib/api/errors";
import type { TenantContext } from "@/lib/auth/context";
import { actorName } from "@/lib/review/actor";
import { requireReview } from "@/lib/review/guard";
import { finishReviewedJobs } from "@/lib/review/notify";
import { settleRowStatuses } from "@/lib/review/row-status";

const notFound = (issueId: number) => new ApiError("NOT_FOUND", `Issue ${issueId} not found`);

/**
 * Locks the jobs of these issues (in id order, so two writers never wait on each other) and returns
 * the issues' states as they are under the locks. Ids that are not the company's are left out.
 */
async function lockIssues({ db, companyId, issueIds }: { db: Database; companyId: string; issueIds: readonly number[] }) {
  const before = await issueStates({ db, companyId, issueIds });
  const jobs = new Map<number, Job>();
  for (const jobId of [...new Set(before.map((issue) => issue.jobId))].sort((a, b) => a - b)) {
    const job = await lockJob({ db, jobId, companyId });
    if (job) jobs.set(jobId, job);
  }
  const states = await issueStates({ db, companyId, issueIds });
  return { states: states.filter((issue) => jobs.has(issue.jobId)), jobs };
}

type IssueState = Awaited<ReturnType<typeof issueStates>>[number];

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
  act: (locked: { tx: Database; state: IssueState; job: Job }) => Promise<void>;
}): Promise<IssueRecord> {
  const companyId = ctx.companyId;
  const db = await getDb();
  const jobId = await db.transaction(async (tx) => {
    const { states, jobs } = await lockIssues({ db: tx, companyId, issueIds: [issueId] });
    const [state] = states;
    const job = state ? jobs.get(state.jobId) : undefined;
    if (!state || !job) throw notFound(issueId);
    await act({ tx, state, job });
    return job.id;
  });
  await finishReviewedJobs({ jobIds: [jobId] });
  const issue = await findIssue({ companyId, issueId });
  if (!issue) throw notFound(issueId);
  return issue;
}

export type IssueChanges = {
  resolved?: boolean;
  description?: string | null;
  resolvedBy?: string;
  resolutionComment?: string | null;
};

/**
 * PUT /api/issues/{id}: resolving records when (first) and by whom (the caller unless named) and
 * leaves the rows as they are (rows still ISSUE when the job finishes are skipped); reopening forgets
 * who and when and puts the issue's READY rows back to ISSUE. Only the state needs the job in review.
 */
export function updateIssue({ ctx, issueId, changes }: { ctx: TenantContext; issueId: number; changes: IssueChanges }): Promise<IssueRecord> {
  const companyId = ctx.companyId;
  return writeIssue({
    ctx,
    issueId,
    act: async ({ tx, state, job }) => {
      const changing = changes.resolved !== undefined && changes.resolved !== state.resolved;
      if (changing) {
        requireReview(job, "its issues can be resolved or reopened");
        const resolved = changes.resolved === true;
        await setIssuesResolved({
          db: tx,
          companyId,
          issueIds: [issueId],
          resolved,
          resolvedBy: changes.resolvedBy ?? actorName(ctx),
          comment: changes.resolutionComment,
        });
        if (!resolved) await settleRowStatuses({ db: tx, jobId: job.id, issueIds: [issueId] });
      }
      const stillResolved = changes.resolved ?? state.resolved;
      await updateIssueText({
        db: tx,
        companyId,
        issueId,
        patch: {
          ...(changes.description === undefined ? {} : { description: changes.description }),
          ...(!changing && changes.resolutionComment !== undefined ? { resolutionComment: changes.resolutionComment } : {}),
          ...(!changing && stillResolved && changes.resolvedBy !== undefined ? { resolvedBy: changes.resolvedBy } : {}),
        },
      });
    },
  });
}

/**
 * POST /api/issues/resolve: every issue named must be the company's (404 naming the missing ones);
 * the open ones are resolved in one transaction, which needs their jobs in review (409 naming them).
 */
export async function resolveIssues({
  ctx,
  issueIds,
  comment,
}: {
  ctx: TenantContext;
  issueIds: readonly number[];
  comment?: string | null;
}): Promise<{ resolved: number; issues: IssueRecord[] }> {
  const companyId = ctx.companyId;
  const ids = [...new Set(issueIds)];
  const db = await getDb();
  const { resolved, jobIds } = await db.transaction(async (tx) => {
    const { states, jobs } = await lockIssues({ db: tx, companyId, issueIds: ids });
    const found = new Set(states.map((issue) => issue.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new ApiError("NOT_FOUND", `Issue${missing.length === 1 ? "" : "s"} not found: ${missing.join(", ")}`, {
        missing_issue_ids: missing,
      });
    }
    const open = states.filter((issue) => !issue.resolved);
    const blocked = [...new Set(open.map((issue) => issue.jobId))]
      .map((jobId) => jobs.get(jobId))
      .filter((job): job is Job => job !== undefined && job.status !== "NEEDS_REVIEW");
    if (blocked.length > 0) {
      throw new ApiError(
        "CONFLICT",
        `Issues can be resolved only while their job is NEEDS_REVIEW; ${blocked.map((job) => `job ${job.id} is ${job.status}`).join(", ")}`,
        { jobs: blocked.map((job) => ({ job_id: job.id, status: job.status })) },
      );
    }
    const changed = await setIssuesResolved({
      db: tx,
      companyId,
      issueIds: open.map((issue) => issue.id),
      resolved: true,
      resolvedBy: actorName(ctx),
      comment,
    });
    return { resolved: changed.length, jobIds: [...jobs.keys()] };
  });
  await finishReviewedJobs({ jobIds });
  return { resolved, issues: await findIssues({ companyId, issueIds: ids, rowsPerIssue: LIST_ROWS_PER_ISSUE }) };
}

/** The issue types whose rows are alternatives to choose between, and what each choice may be. */
function requireChoice({ issueId, state, job, existing }: { issueId: number; state: IssueState; job: Job; existing: boolean }): void {
  const types: readonly IssueState["type"][] = existing ? ["CONTACT_CONFLICT"] : ["DUPLICATE_EMAIL", "CONTACT_CONFLICT"];
  if (!types.includes(state.type)) {
    throw new ApiError(
      "BAD_REQUEST",
      existing
        ? `Issue ${issueId} is ${state.type}; only a CONTACT_CONFLICT issue has an existing contact to keep`
        : `Issue ${issueId} is ${state.type}; only DUPLICATE_EMAIL and CONTACT_CONFLICT issues have a row to keep`,
      { issue_type: state.type },
    );
  }
  requireReview(job, existing ? "the existing contact of its issues can be kept" : "a row of its issues can be kept");
}

/**
 * POST /api/issues/{id}/keep {staging_id}: of a duplicate's (or conflict's) rows, the one kept becomes
 * READY (ISSUE while another open issue still claims it), the others SKIPPED, and the issue is resolved.
 */
export function keepIssueRow({
  ctx,
  issueId,
  stagingId,
  comment,
}: {
  ctx: TenantContext;
  issueId: number;
  stagingId: number;
  comment?: string | null;
}): Promise<IssueRecord> {
  return writeIssue({
    ctx,
    issueId,
    act: async ({ tx, state, job }) => {
      requireChoice({ issueId, state, job, existing: false });
      const [member] = await tx
        .select({ id: issueItems.stagingId })
        .from(issueItems)
        .where(and(eq(issueItems.issueId, issueId), eq(issueItems.stagingId, stagingId)))
        .limit(1);
      if (!member) {
        throw new ApiError("BAD_REQUEST", `Staging row ${stagingId} is not one of issue ${issueId}'s rows`, { staging_id: stagingId });
      }
      await skipIssueRows({ db: tx, jobId: job.id, issueId, except: stagingId });
      await tx
        .update(stagingRows)
        .set({ status: "READY" })
        .where(and(eq(stagingRows.id, stagingId), eq(stagingRows.jobId, job.id)));
      await setIssuesResolved({ db: tx, companyId: ctx.companyId, issueIds: [issueId], resolved: true, resolvedBy: actorName(ctx), comment });
      await settleRowStatuses({ db: tx, jobId: job.id, rowIds: [stagingId] });
    },
  });
}

/**
 * POST /api/issues/{id}/keep {existing: true}: of a conflict, the company's contact stays as it is:
 * every row of the issue becomes SKIPPED and the issue is resolved, in one transaction.
 */
export function keepExistingContact({ ctx, issueId, comment }: { ctx: TenantContext; issueId: number; comment?: string | null }): Promise<IssueRecord> {
  return writeIssue({
    ctx,
    issueId,
    act: async ({ tx, state, job }) => {
      requireChoice({ issueId, state, job, existing: true });
      await skipIssueRows({ db: tx, jobId: job.id, issueId });
      await setIssuesResolved({ db: tx, companyId: ctx.companyId, issueIds: [issueId], resolved: true, resolvedBy: actorName(ctx), comment });
    },
  });
}

/** Every row of the issue but `except` becomes SKIPPED (one statement, driven by the issue's items). */
async function skipIssueRows({ db, jobId, issueId, except }: { db: Database; jobId: number; issueId: number; except?: number }): Promise<void> {
  const members = db.select({ id: issueItems.stagingId }).from(issueItems).where(eq(issueItems.issueId, issueId));
  await db
    .update(stagingRows)
    .set({ status: "SKIPPED" })
    .where(
      and(
        eq(stagingRows.jobId, jobId),
        inArray(stagingRows.id, members),
        except === undefined ? undefined : ne(stagingRows.id, except),
        ne(stagingRows.status, "SKIPPED"),
      ),
    );
}
