"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { auditQueryKey, fetchAuditPage, type AuditEvent } from "@/components/api/audit";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { FormAlert } from "@/components/ui/form-alert";

const PAGE_SIZE = 25;

const ACTION_LABELS: Record<string, string> = {
  "company.renamed": "Renamed the company",
  "member.added": "Added a member",
  "member.invited": "Invited a member",
  "member.invitation_accepted": "Accepted an invitation",
  "member.updated": "Changed a member",
  "member.removed": "Removed a member",
  "api_key.created": "Created an API key",
  "api_key.revoked": "Revoked an API key",
  "tenant.created": "Created the company",
  "tenant.updated": "Changed the company (platform)",
  "tenant.deletion_requested": "Asked to delete the company",
  "account.signed_out_everywhere": "Signed out everywhere",
  "account.renamed": "Changed their name",
  "account.password_changed": "Changed their password",
};

const COLUMNS = ["When", "Who", "What", "Target", "Change"] as const;

/** Settings → Audit log: who changed what in the company, from what to what, newest first. For admins. */
export function AuditLog() {
  const events = useInfiniteQuery({
    queryKey: auditQueryKey,
    queryFn: ({ pageParam }) => fetchAuditPage({ before: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  if (events.isPending) return <p className="text-sm text-slate-600">Loading the audit log…</p>;
  if (events.isError && !events.data) return <FormAlert>{events.error.message}</FormAlert>;
  const rows = events.data.pages.flatMap((page) => page.events);
  if (rows.length === 0) return <p className="text-sm text-slate-600">Nothing has been changed yet.</p>;
  return (
    <div className="space-y-4">
      <div className="-mx-5 overflow-x-auto">
        <table aria-label="Audit log" className="w-full text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-slate-500">
              {COLUMNS.map((column) => (
                <th key={column} scope="col" className="px-5 py-2 font-medium">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((event) => (
              <AuditRow key={event.id} event={event} />
            ))}
          </tbody>
        </table>
      </div>
      {events.isFetchNextPageError ? <FormAlert>{events.error?.message}</FormAlert> : null}
      {events.hasNextPage ? (
        <Button
          type="button"
          variant="secondary"
          disabled={events.isFetchingNextPage}
          onClick={() => void events.fetchNextPage()}
        >
          {events.isFetchingNextPage ? "Loading…" : "Load older events"}
        </Button>
      ) : (
        <p className="text-xs text-slate-500">That is the whole log.</p>
      )}
    </div>
  );
}

function AuditRow({ event }: { event: AuditEvent }) {
  return (
    <tr className="align-top">
      <td className="px-5 py-3">
        <RelativeTime iso={event.created_at} />
      </td>
      <td className="px-5 py-3">{actorLabel(event.actor)}</td>
      <td className="px-5 py-3">{ACTION_LABELS[event.action] ?? event.action}</td>
      <td className="px-5 py-3 text-slate-600">
        {event.target_type ? targetLabel(event.target_type) : null}
        {event.target_id ? (
          <span className="block font-mono text-xs text-slate-500" title={event.target_id}>
            {event.target_id.length > 12 ? `${event.target_id.slice(0, 8)}…` : event.target_id}
          </span>
        ) : null}
      </td>
      <td className="px-5 py-3">
        <ChangeList before={event.before} after={event.after} />
      </td>
    </tr>
  );
}

function actorLabel(actor: AuditEvent["actor"]): string {
  if (actor.type === "api_key") return `API key “${actor.name ?? actor.id ?? "?"}”`;
  if (actor.type === "user") return actor.email ?? actor.name ?? actor.id ?? "A person";
  return "Intake";
}

function targetLabel(type: string): string {
  return type === "api_key" ? "API key" : type.charAt(0).toUpperCase() + type.slice(1);
}

/**
 * One line a field: `name: Acme → Acme Ltd`. When both sides are known only what differs gets an
 * arrow, and an unchanged name stays as a plain line, to say which key or member it was.
 */
function ChangeList({ before, after }: { before: AuditEvent["before"]; after: AuditEvent["after"] }) {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const lines = fields
    .map((field) => {
      const from = readable(before?.[field]);
      const to = readable(after?.[field]);
      if (!before || !after) return { field, text: after ? to : from };
      if (from !== to) return { field, text: `${from} → ${to}` };
      return field === "name" ? { field, text: to } : null;
    })
    .filter((line) => line !== null);
  if (lines.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {lines.map(({ field, text }) => (
        <li key={field}>
          <span className="text-slate-500">{field.replaceAll("_", " ")}:</span> {text}
        </li>
      ))}
    </ul>
  );
}

function readable(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(readable).join(", ");
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
