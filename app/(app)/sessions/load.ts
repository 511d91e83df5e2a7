import "server-only";
import { notFound } from "next/navigation";
import type { CycleRow, ProjectRow, SessionRow } from "@/components/sessions/browse-tables";
import type { CycleWithCounts } from "@/lib/sessions/cycles";
import type { ProjectWithCounts } from "@/lib/sessions/projects";
import type { SessionWithProject } from "@/lib/sessions/sessions";
import { cycleStatusName, sessionStatusName } from "@/lib/sessions/status";
import { DomainError } from "@/lib/errors";

/** The most a browse page lists at once. */
export const BROWSE_PAGE = { page: 1, pageSize: 200 } as const;

/** A record the page names by id: a 404 page for an id that is no number or not the company's. */
export async function orNotFound<T>(rawId: string, load: (id: number) => Promise<T>): Promise<T> {
  const id = Number(rawId);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  try {
    return await load(id);
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export const projectRow = (project: ProjectWithCounts): ProjectRow => ({
  id: project.id,
  name: project.name,
  description: project.description,
  cycleCount: project.cycleCount,
  sessionCount: project.sessionCount,
});

export const cycleRow = (cycle: CycleWithCounts): CycleRow => ({
  id: cycle.id,
  name: cycle.name,
  startDate: cycle.startsOn?.toISOString().slice(0, 10) ?? null,
  endDate: cycle.endsOn?.toISOString().slice(0, 10) ?? null,
  status: cycleStatusName(cycle.status),
  sessionCount: cycle.sessionCount,
});

export const sessionRow = (session: SessionWithProject): SessionRow => ({
  id: session.id,
  name: session.name,
  source: session.source,
  importMode: session.importMode,
  status: sessionStatusName(session.status),
  files: {
    total: session.totalFiles,
    completed: session.completedFiles,
    needsReview: session.needsReviewFiles,
    refused: session.refusedFiles,
    failed: session.failedFiles,
  },
  rowsLanded: session.rowsLanded,
  rowsWithIssues: session.rowsWithIssues,
});
