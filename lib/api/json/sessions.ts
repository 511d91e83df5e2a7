import type { z } from "zod";
import type { CycleWithCounts } from "@/lib/sessions/cycles";
import type { ProjectWithCounts } from "@/lib/sessions/projects";
import type { SessionWithProject } from "@/lib/sessions/sessions";
import type { cycleSchema } from "@/lib/api/contracts/cycles";
import type { projectSchema } from "@/lib/api/contracts/projects";
import type { sessionSchema, sessionStatsSchema } from "@/lib/api/contracts/sessions";
import type { SessionStats } from "@/lib/sessions/stats";
import { cycleStatusName, sessionCountersJson, sessionStatusName } from "@/lib/sessions/status";

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

export function projectJson(project: ProjectWithCounts): z.input<typeof projectSchema> {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    cycle_count: project.cycleCount,
    session_count: project.sessionCount,
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}

export function cycleJson(cycle: CycleWithCounts): z.input<typeof cycleSchema> {
  return {
    id: cycle.id,
    project_id: cycle.projectId,
    name: cycle.name,
    start_date: day(cycle.startsOn),
    end_date: day(cycle.endsOn),
    status: cycleStatusName(cycle.status),
    session_count: cycle.sessionCount,
    created_at: cycle.createdAt.toISOString(),
    updated_at: cycle.updatedAt.toISOString(),
  };
}

/** Seconds from start to finish, or so far while it runs; null before it starts. */
export function sessionDurationSeconds(
  { startedAt, finishedAt }: Pick<SessionWithProject, "startedAt" | "finishedAt">,
  now = new Date(),
): number | null {
  if (!startedAt) return null;
  return Math.max(0, ((finishedAt ?? now).getTime() - startedAt.getTime()) / 1000);
}

export function sessionJson(session: SessionWithProject): z.input<typeof sessionSchema> {
  return {
    id: session.id,
    project_id: session.projectId,
    cycle_id: session.cycleId,
    name: session.name,
    source: session.source,
    source_prefix: session.sourcePrefix,
    import_mode: session.importMode,
    status: sessionStatusName(session.status),
    ...sessionCountersJson(session),
    cancel_requested_at: iso(session.cancelRequestedAt),
    created_at: session.createdAt.toISOString(),
    started_at: iso(session.startedAt),
    finished_at: iso(session.finishedAt),
    duration_seconds: sessionDurationSeconds(session),
  };
}

export function sessionStatsJson(stats: SessionStats): z.input<typeof sessionStatsSchema> {
  return {
    sessions: stats.sessions,
    files: {
      total: stats.files.total,
      completed: stats.files.completed,
      needs_review: stats.files.needsReview,
      refused: stats.files.refused,
      failed: stats.files.failed,
      cancelled: stats.files.cancelled,
    },
    rows_staged: stats.rowsStaged,
    rows_landed: stats.rowsLanded,
    rows_with_issues: stats.rowsWithIssues,
    bytes: stats.bytes,
    average_duration_seconds: stats.averageDurationSeconds,
  };
}
