import Link from "next/link";
import type { ReactNode } from "react";
import { DeleteButton, RenameButton } from "@/components/sessions/browse-forms";
import type { CycleStatusName, SessionStatusName } from "@/lib/sessions/status";

const BADGE_TONES: Record<SessionStatusName | CycleStatusName, string> = {
  pending: "bg-slate-100 text-slate-700",
  in_progress: "bg-indigo-100 text-indigo-800",
  completed: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-amber-100 text-amber-800",
  planned: "bg-slate-100 text-slate-700",
  active: "bg-indigo-100 text-indigo-800",
  closed: "bg-slate-200 text-slate-600",
};

export function StatusBadge({ status }: { status: SessionStatusName | CycleStatusName }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${BADGE_TONES[status]}`}>
      {status.replace("_", " ")}
    </span>
  );
}

function Table({ label, headers, children }: { label: string; headers: readonly string[]; children: ReactNode }) {
  return (
    <table aria-label={label} className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr>
          {headers.map((header) => (
            <th key={header} scope="col" className="px-3 py-2 text-left font-medium text-slate-500">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  );
}

const cell = "px-3 py-2 align-top";

function RowActions({ children }: { children: ReactNode }) {
  return <div className="flex items-start justify-end gap-2">{children}</div>;
}
const number = (value: number) => value.toLocaleString("en");

export type ProjectRow = {
  id: number;
  name: string;
  description: string | null;
  cycleCount: number;
  sessionCount: number;
};

export function ProjectsTable({ projects, canEdit }: { projects: readonly ProjectRow[]; canEdit: boolean }) {
  if (projects.length === 0) return <p className="text-sm text-slate-600">No projects yet.</p>;
  return (
    <Table label="Projects" headers={["Project", "Description", "Cycles", "Sessions", ""]}>
      {projects.map((project) => (
        <tr key={project.id}>
          <td className={cell}>
            <Link href={`/sessions/projects/${project.id}`} className="font-medium text-indigo-700 hover:underline">
              {project.name}
            </Link>
          </td>
          <td className={`${cell} text-slate-600`}>{project.description}</td>
          <td className={cell}>{number(project.cycleCount)}</td>
          <td className={cell}>{number(project.sessionCount)}</td>
          <td className={`${cell} text-right`}>
            {canEdit ? (
              <RowActions>
                <RenameButton kind="project" id={project.id} name={project.name} />
                <DeleteButton kind="project" id={project.id} name={project.name} sessionCount={project.sessionCount} />
              </RowActions>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}

export type CycleRow = {
  id: number;
  name: string;
  startDate: string | null;
  endDate: string | null;
  status: CycleStatusName;
  sessionCount: number;
};

export function CyclesTable({ cycles, canEdit }: { cycles: readonly CycleRow[]; canEdit: boolean }) {
  if (cycles.length === 0) return <p className="text-sm text-slate-600">No cycles yet.</p>;
  return (
    <Table label="Cycles" headers={["Cycle", "Dates", "Status", "Sessions", ""]}>
      {cycles.map((cycle) => (
        <tr key={cycle.id}>
          <td className={cell}>
            <Link href={`/sessions/cycles/${cycle.id}`} className="font-medium text-indigo-700 hover:underline">
              {cycle.name}
            </Link>
          </td>
          <td className={`${cell} whitespace-nowrap text-slate-600`}>
            {cycle.startDate ?? "…"} – {cycle.endDate ?? "…"}
          </td>
          <td className={cell}>
            <StatusBadge status={cycle.status} />
          </td>
          <td className={cell}>{number(cycle.sessionCount)}</td>
          <td className={`${cell} text-right`}>
            {canEdit ? (
              <RowActions>
                <RenameButton kind="cycle" id={cycle.id} name={cycle.name} />
                <DeleteButton kind="cycle" id={cycle.id} name={cycle.name} sessionCount={cycle.sessionCount} />
              </RowActions>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}

export type SessionRow = {
  id: number;
  name: string;
  source: string | null;
  importMode: string;
  status: SessionStatusName;
  files: { total: number; completed: number; needsReview: number; refused: number; failed: number };
  rowsLanded: number;
  rowsWithIssues: number;
};

export function SessionsTable({ sessions, canEdit }: { sessions: readonly SessionRow[]; canEdit: boolean }) {
  if (sessions.length === 0) return <p className="text-sm text-slate-600">No sessions yet.</p>;
  return (
    <Table label="Sessions" headers={["Session", "Status", "Files", "Rows landed", "Rows with issues", ""]}>
      {sessions.map((session) => (
        <tr key={session.id}>
          <td className={cell}>
            <Link href={`/sessions/${session.id}`} className="font-medium text-indigo-700 hover:underline">
              {session.name}
            </Link>
            <p className="text-xs text-slate-500">
              {session.source ? `${session.source} · ` : ""}
              {session.importMode}
            </p>
          </td>
          <td className={cell}>
            <StatusBadge status={session.status} />
          </td>
          <td className={`${cell} text-slate-700`}>
            {number(session.files.total)} attached
            <p className="text-xs text-slate-500">
              {number(session.files.completed)} done · {number(session.files.needsReview)} to review ·{" "}
              {number(session.files.refused)} refused · {number(session.files.failed)} failed
            </p>
          </td>
          <td className={cell}>{number(session.rowsLanded)}</td>
          <td className={cell}>{number(session.rowsWithIssues)}</td>
          <td className={`${cell} text-right`}>
            {canEdit ? (
              <RowActions>
                <RenameButton kind="session" id={session.id} name={session.name} />
                {session.status === "in_progress" ? null : (
                  <DeleteButton kind="session" id={session.id} name={session.name} />
                )}
              </RowActions>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}
