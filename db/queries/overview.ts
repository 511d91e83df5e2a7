import "server-only";
import { and, count, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { JOB_STATUSES, contacts, issues, jobs, type JobStatus } from "@/db/schema";

export type Overview = {
  jobsByStatus: Record<JobStatus, number>;
  totalJobs: number;
  openIssues: number;
  contacts: number;
};

export async function getOverview({ companyId }: { companyId: string }): Promise<Overview> {
  const db = await getDb();
  const [statusRows, [openIssueRow], [contactRow]] = await Promise.all([
    db
      .select({ status: jobs.status, total: count() })
      .from(jobs)
      .where(eq(jobs.companyId, companyId))
      .groupBy(jobs.status),
    db
      .select({ total: count() })
      .from(issues)
      .where(and(eq(issues.companyId, companyId), eq(issues.resolved, false))),
    db.select({ total: count() }).from(contacts).where(eq(contacts.companyId, companyId)),
  ]);
  const jobsByStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
  for (const row of statusRows) jobsByStatus[row.status] = row.total;
  return {
    jobsByStatus,
    totalJobs: statusRows.reduce((sum, row) => sum + row.total, 0),
    openIssues: openIssueRow?.total ?? 0,
    contacts: contactRow?.total ?? 0,
  };
}
