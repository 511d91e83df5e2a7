import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { selectContactViews, type ContactView } from "@/db/queries/contacts";
import { stagingRowFields, type StagingRowView } from "@/db/queries/staging";
import { rowsOf } from "@/db/rows";
import { ISSUE_TYPES, contacts, issueItems, issues, jobs, stagingRows, type Issue } from "@/db/schema";

export type IssueType = Issue["type"];

/** An issue as shown outside the server (never its key), with its job's file name, rows and conflicting contact. */
export type IssueRecord = Omit<Issue, "issueKey"> & {
  jobFileName: string;
  affectedRowCount: number;
  affectedRows: StagingRowView[];
  /** CONTACT_CONFLICT only: the company's contact with the issue's email. */
  existingContact: ContactView | null;
};

export type IssueCounts = {
  total: number;
  resolved: number;
  unresolved: number;
  byType: Record<IssueType, number>;
};

const issueFields = {
  id: issues.id,
  jobId: issues.jobId,
  companyId: issues.companyId,
  type: issues.type,
  subject: issues.subject,
  description: issues.description,
  resolved: issues.resolved,
  resolvedAt: issues.resolvedAt,
  resolvedBy: issues.resolvedBy,
  resolutionComment: issues.resolutionComment,
  createdAt: issues.createdAt,
  jobFileName: jobs.fileName,
  // Through the (issue_id, staging_id) key: an index range per issue of the page.
  affectedRowCount: sql<number>`(SELECT count(*) FROM issue_items ii WHERE ii.issue_id = ${issues.id})`.mapWith(Number),
};

type IssueBase = Omit<IssueRecord, "affectedRows" | "existingContact">;

/**
 * A page of the company's issues (optionally of one job, type, resolved state) with their counts.
 * `order`: "newest" (the company-wide queue) or "found" (issue id order, for one job). Each issue
 * carries up to `rowsPerIssue` affected rows, read for the whole page in one statement.
 */
export async function listIssues({
  companyId,
  jobId,
  type,
  resolved,
  order,
  page,
  pageSize,
  rowsPerIssue,
}: {
  companyId: string;
  jobId?: number;
  type?: IssueType;
  resolved?: boolean;
  order: "newest" | "found";
  page: number;
  pageSize: number;
  rowsPerIssue: number;
}): Promise<{ issues: IssueRecord[]; counts: IssueCounts }> {
  const db = await getDb();
  const scope = and(eq(issues.companyId, companyId), jobId === undefined ? undefined : eq(issues.jobId, jobId));
  const where = and(
    scope,
    type === undefined ? undefined : eq(issues.type, type),
    resolved === undefined ? undefined : eq(issues.resolved, resolved),
  );
  const [base, counts] = await Promise.all([
    db
      .select(issueFields)
      .from(issues)
      .innerJoin(jobs, eq(jobs.id, issues.jobId))
      .where(where)
      .orderBy(...(order === "newest" ? [desc(issues.createdAt), desc(issues.id)] : [asc(issues.id)]))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    countIssues({ db, scope, type, resolved }),
  ]);
  return { issues: await withDetails({ db, companyId, base, rowsPerIssue }), counts };
}

/** One statement for every count of the list: each is the scope's issues filtered its own way. */
async function countIssues({
  db,
  scope,
  type,
  resolved,
}: {
  db: Database;
  scope: SQL | undefined;
  type?: IssueType;
  resolved?: boolean;
}): Promise<IssueCounts> {
  const ofType = type === undefined ? sql`true` : sql`${issues.type} = ${type}`;
  const inState = resolved === undefined ? sql`true` : sql`${issues.resolved} = ${resolved}`;
  const counted = (condition: SQL) => sql<number>`count(*) FILTER (WHERE ${condition})`.mapWith(Number);
  const byType = Object.fromEntries(
    ISSUE_TYPES.map((each) => [each, counted(sql`NOT ${issues.resolved} AND ${issues.type} = ${each}`)]),
  ) as Record<IssueType, SQL.Aliased<number> | SQL<number>>;
  const [row] = await db
    .select({
      total: counted(sql`${ofType} AND ${inState}`),
      resolved: counted(sql`${ofType} AND ${issues.resolved}`),
      unresolved: counted(sql`${ofType} AND NOT ${issues.resolved}`),
      ...byType,
    })
    .from(issues)
    .where(scope);
  const zero = Object.fromEntries(ISSUE_TYPES.map((each) => [each, 0])) as Record<IssueType, number>;
  if (!row) return { total: 0, resolved: 0, unresolved: 0, byType: zero };
  return {
    total: row.total,
    resolved: row.resolved,
    unresolved: row.unresolved,
    byType: Object.fromEntries(ISSUE_TYPES.map((each) => [each, Number(row[each])])) as Record<IssueType, number>,
  };
}

/**
 * The company's issues with these ids, in id order, each with up to `rowsPerIssue` affected rows (all
 * of them when not given). Ids of other companies are simply not found.
 */
export async function findIssues({
  companyId,
  issueIds,
  rowsPerIssue,
  db: given,
}: {
  companyId: string;
  issueIds: readonly number[];
  rowsPerIssue?: number;
  db?: Database;
}): Promise<IssueRecord[]> {
  if (issueIds.length === 0) return [];
  const db = given ?? (await getDb());
  const base = await db
    .select(issueFields)
    .from(issues)
    .innerJoin(jobs, eq(jobs.id, issues.jobId))
    .where(and(eq(issues.companyId, companyId), inArray(issues.id, [...issueIds])))
    .orderBy(asc(issues.id));
  return withDetails({ db, companyId, base, rowsPerIssue });
}

export async function findIssue({
  companyId,
  issueId,
  db,
}: {
  companyId: string;
  issueId: number;
  db?: Database;
}): Promise<IssueRecord | null> {
  const [issue] = await findIssues({ companyId, issueIds: [issueId], db });
  return issue ?? null;
}

/** Adds the affected rows (in row order) and, for conflicts, the existing contact: two statements for any number of issues. */
async function withDetails({
  db,
  companyId,
  base,
  rowsPerIssue,
}: {
  db: Database;
  companyId: string;
  base: IssueBase[];
  rowsPerIssue?: number;
}): Promise<IssueRecord[]> {
  if (base.length === 0) return [];
  const ids = base.map((issue) => issue.id);
  const conflictEmails = base.filter((issue) => issue.type === "CONTACT_CONFLICT").map((issue) => issue.subject);
  const [rows, existing] = await Promise.all([
    affectedRows({ db, issueIds: ids, rowsPerIssue }),
    conflictEmails.length === 0
      ? Promise.resolve([])
      : selectContactViews(db).where(and(eq(contacts.companyId, companyId), inArray(contacts.email, conflictEmails))),
  ]);
  const rowsByIssue = new Map<number, StagingRowView[]>();
  for (const { issueId, ...row } of rows) {
    const list = rowsByIssue.get(issueId) ?? [];
    list.push(row);
    rowsByIssue.set(issueId, list);
  }
  const contactByEmail = new Map(existing.map((contact) => [contact.email, contact]));
  return base.map((issue) => ({
    ...issue,
    affectedRows: (rowsByIssue.get(issue.id) ?? []).sort((a, b) => a.rowNumber - b.rowNumber),
    existingContact: issue.type === "CONTACT_CONFLICT" ? (contactByEmail.get(issue.subject) ?? null) : null,
  }));
}

/**
 * The rows of each issue. With a limit, a lateral join takes the first rows of each issue through
 * the (issue_id, staging_id) key, so a duplicate of thousands of rows costs no more than its limit.
 */
async function affectedRows({
  db,
  issueIds,
  rowsPerIssue,
}: {
  db: Database;
  issueIds: number[];
  rowsPerIssue?: number;
}): Promise<(StagingRowView & { issueId: number })[]> {
  if (rowsPerIssue === undefined) {
    return db
      .select({ ...stagingRowFields, issueId: issueItems.issueId })
      .from(issueItems)
      .innerJoin(stagingRows, eq(stagingRows.id, issueItems.stagingId))
      .where(inArray(issueItems.issueId, issueIds))
      .orderBy(asc(issueItems.issueId), asc(stagingRows.rowNumber));
  }
  const first = db
    .select({ stagingId: issueItems.stagingId })
    .from(issueItems)
    .where(eq(issueItems.issueId, issues.id))
    .orderBy(asc(issueItems.stagingId))
    .limit(rowsPerIssue)
    .as("first_items");
  return db
    .select({ ...stagingRowFields, issueId: issues.id })
    .from(issues)
    .innerJoinLateral(first, sql`true`)
    .innerJoin(stagingRows, eq(stagingRows.id, first.stagingId))
    .where(inArray(issues.id, issueIds));
}

/** How many of a job's issues are open and resolved. */
export async function countJobIssues({
  companyId,
  jobId,
}: {
  companyId: string;
  jobId: number;
}): Promise<{ open: number; resolved: number }> {
  const db = await getDb();
  const [row] = await db
    .select({
      open: sql<number>`count(*) FILTER (WHERE NOT ${issues.resolved})`.mapWith(Number),
      resolved: sql<number>`count(*) FILTER (WHERE ${issues.resolved})`.mapWith(Number),
    })
    .from(issues)
    .where(and(eq(issues.jobId, jobId), eq(issues.companyId, companyId)));
  return { open: row?.open ?? 0, resolved: row?.resolved ?? 0 };
}

/** Whether any issue of the job is still open (in the caller's transaction). */
export async function hasOpenIssues({ db, jobId }: { db: Database; jobId: number }): Promise<boolean> {
  const [open] = rowsOf<{ open: boolean }>(
    await db.execute(sql`SELECT EXISTS (SELECT 1 FROM issues WHERE job_id = ${jobId} AND NOT resolved) AS open`),
  );
  return open?.open === true;
}

/** Of these jobs, the ones in NEEDS_REVIEW with no unresolved issue left: ready to be finished. */
export async function jobsReadyToFinish({
  jobIds,
}: {
  jobIds: readonly number[];
}): Promise<{ id: number; companyId: string }[]> {
  if (jobIds.length === 0) return [];
  const db = await getDb();
  return db
    .select({ id: jobs.id, companyId: jobs.companyId })
    .from(jobs)
    .where(
      and(
        inArray(jobs.id, [...jobIds]),
        eq(jobs.status, "NEEDS_REVIEW"),
        sql`NOT EXISTS (SELECT 1 FROM issues i WHERE i.job_id = ${jobs.id} AND NOT i.resolved)`,
      ),
    );
}

/** The issue rows with these ids of the company, for a write: id, job and state. */
export async function issueStates({
  db,
  companyId,
  issueIds,
}: {
  db: Database;
  companyId: string;
  issueIds: readonly number[];
}): Promise<Pick<Issue, "id" | "jobId" | "type" | "resolved" | "resolvedAt">[]> {
  return db
    .select({
      id: issues.id,
      jobId: issues.jobId,
      type: issues.type,
      resolved: issues.resolved,
      resolvedAt: issues.resolvedAt,
    })
    .from(issues)
    .where(and(eq(issues.companyId, companyId), inArray(issues.id, [...issueIds])))
    .orderBy(asc(issues.id));
}

/** Marks issues resolved (keeping when they first were) or reopened (forgetting who and when). */
export async function setIssuesResolved({
  db,
  companyId,
  issueIds,
  resolved,
  resolvedBy,
  comment,
}: {
  db: Database;
  companyId: string;
  issueIds: readonly number[];
  resolved: boolean;
  /** Who resolved them (ignored when reopening). */
  resolvedBy: string;
  /** Replaces the resolution comment when given (null clears it). */
  comment?: string | null;
}): Promise<number[]> {
  if (issueIds.length === 0) return [];
  const changed = await db
    .update(issues)
    .set({
      resolved,
      // The statement's time (after the caller's job lock), not the transaction's: decisions on one
      // job's rows stack up in this order (db/queries/issue-decisions.ts).
      resolvedAt: resolved ? sql`coalesce(${issues.resolvedAt}, statement_timestamp())` : null,
      resolvedBy: resolved ? resolvedBy : null,
      ...(comment === undefined ? {} : { resolutionComment: comment }),
    })
    .where(and(eq(issues.companyId, companyId), inArray(issues.id, [...issueIds])))
    .returning({ id: issues.id });
  return changed.map((issue) => issue.id);
}

/** Rewords an issue or changes its comment or resolver without touching its state. */
export async function updateIssueText({
  db,
  companyId,
  issueId,
  patch,
}: {
  db: Database;
  companyId: string;
  issueId: number;
  patch: Partial<Pick<Issue, "description" | "resolutionComment" | "resolvedBy">>;
}): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db
    .update(issues)
    .set(patch)
    .where(and(eq(issues.id, issueId), eq(issues.companyId, companyId)));
}
