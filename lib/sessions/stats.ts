import "server-only";
import { sessionStats, type SessionStatsRow } from "@/db/queries/upload-sessions";
import type { TenantContext } from "@/lib/auth/context";
import { resolveSessionFilter } from "@/lib/sessions/sessions";
import { SESSION_STATUSES, sessionStatusName, type SessionStatusName } from "@/lib/sessions/status";

export type SessionStats = {
  sessions: Record<SessionStatusName | "total", number>;
  files: { total: number; completed: number; needsReview: number; refused: number; failed: number; cancelled: number };
  rowsStaged: number;
  rowsLanded: number;
  rowsWithIssues: number;
  bytes: number;
  /** Over finished sessions that started; null when there is none. */
  averageDurationSeconds: number | null;
};

/** The company's sessions (of a project or cycle when given) counted by status and summed. */
export async function companySessionStats(
  ctx: TenantContext,
  filter: { projectId?: number; cycleId?: number },
): Promise<SessionStats> {
  return summarize(await sessionStats(await resolveSessionFilter(ctx, filter)));
}

export function summarize(rows: readonly SessionStatsRow[]): SessionStats {
  const all = rows.find((row) => row.status === null);
  const byStatus = Object.fromEntries(SESSION_STATUSES.map((name) => [name, 0])) as Record<SessionStatusName, number>;
  for (const row of rows) if (row.status !== null) byStatus[sessionStatusName(row.status)] = row.sessions;
  return {
    sessions: { total: all?.sessions ?? 0, ...byStatus },
    files: {
      total: all?.totalFiles ?? 0,
      completed: all?.completedFiles ?? 0,
      needsReview: all?.needsReviewFiles ?? 0,
      refused: all?.refusedFiles ?? 0,
      failed: all?.failedFiles ?? 0,
      cancelled: all?.cancelledFiles ?? 0,
    },
    rowsStaged: all?.rowsStaged ?? 0,
    rowsLanded: all?.rowsLanded ?? 0,
    rowsWithIssues: all?.rowsWithIssues ?? 0,
    bytes: all?.bytes ?? 0,
    averageDurationSeconds: all?.averageDurationSeconds ?? null,
  };
}
