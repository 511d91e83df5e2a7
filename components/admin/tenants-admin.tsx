"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, useTransition, type FormEvent } from "react";
import { fetchTenants, TENANTS_PAGE_SIZE, tenantsQueryKey, type TenantRow } from "@/components/api/tenants";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import type { ActionResult } from "@/lib/actions/authed-action";
import { createTenantAction, deleteTenantAction, updateTenantAction } from "@/lib/actions/tenants";
import { formatCount } from "@/lib/format/numbers";
import { FormAlert } from "@/components/ui/form-alert";

/** How often the list is read again while a tenant is being deleted, to show its progress. */
const DELETION_POLL_MS = 1_000;

/** Admin → Tenants: every company with its figures; create, suspend or reactivate, set limits, delete. */
export function TenantsAdmin() {
  const [page, setPage] = useState(1);
  const tenants = useQuery({
    queryKey: tenantsQueryKey(page),
    queryFn: () => fetchTenants(page),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.tenants.some((tenant) => tenant.status === "deleting") ? DELETION_POLL_MS : false,
  });
  return (
    <div className="space-y-6">
      <CreateTenantForm />
      {tenants.isPending ? (
        <p className="text-sm text-slate-600">Loading tenants…</p>
      ) : tenants.error ? (
        <FormAlert>{tenants.error.message}</FormAlert>
      ) : (
        <>
          <TenantTable tenants={tenants.data.tenants} />
          <Pagination
            label="Tenant pages"
            page={page}
            pageCount={Math.max(1, Math.ceil(tenants.data.total / TENANTS_PAGE_SIZE))}
            onPageChange={setPage}
            busy={tenants.isFetching}
            summary={`${formatCount(tenants.data.total)} tenants`}
          />
        </>
      )}
    </div>
  );
}

/** Runs a server action and refreshes the list; its refusal is kept to show beside the control. */
function useTenantAction() {
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = <T,>(action: () => Promise<ActionResult<T>>, onDone?: (data: T) => void) =>
    startTransition(async () => {
      const result = await action();
      if (result.ok) {
        setError(null);
        onDone?.(result.data);
      } else {
        const fields = Object.values(result.fieldErrors ?? {}).flat();
        setError(fields.length > 0 ? `${result.error}: ${fields.join("; ")}` : result.error);
      }
      await queryClient.invalidateQueries({ queryKey: ["admin-tenants"] });
    });
  return { pending, error, run };
}

const ADMIN_CREDENTIALS = [
  { value: "invite", label: "Send an invitation link (shown once, for you to pass on)" },
  { value: "password", label: "Set an initial password" },
] as const;

function CreateTenantForm() {
  const nameId = useId();
  const emailId = useId();
  const passwordId = useId();
  const [name, setName] = useState("");
  const [adminEmail, setAdminEmail] = useState("");
  const [adminCredential, setAdminCredential] = useState<"invite" | "password">("invite");
  const [adminPassword, setAdminPassword] = useState("");
  const [created, setCreated] = useState<{ tenantName: string; invitationUrl: string | null } | null>(null);
  const { pending, error, run } = useTenantAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(
      () => createTenantAction({ name, adminEmail, adminCredential, adminPassword }),
      (data) => {
        setCreated(data);
        setName("");
        setAdminEmail("");
        setAdminPassword("");
      },
    );
  };

  return (
    <form onSubmit={submit} aria-label="New tenant" className="space-y-4 rounded-md border border-slate-200 p-4">
      <h2 className="text-base font-semibold text-slate-900">New tenant</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor={nameId} className="block text-sm font-medium text-slate-700">
            Company name
          </label>
          <Input id={nameId} value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
        </div>
        <div>
          <label htmlFor={emailId} className="block text-sm font-medium text-slate-700">
            First admin&apos;s email (optional)
          </label>
          <Input id={emailId} type="email" value={adminEmail} onChange={(event) => setAdminEmail(event.target.value)} />
        </div>
      </div>
      {adminEmail ? (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-700">How the first admin signs in</legend>
          <p className="text-sm text-slate-500">An email that already has an Intake account joins as it is.</p>
          {ADMIN_CREDENTIALS.map(({ value, label }) => (
            <label key={value} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="radio"
                name="admin-credential"
                checked={adminCredential === value}
                onChange={() => setAdminCredential(value)}
              />
              {label}
            </label>
          ))}
          {adminCredential === "password" ? (
            <div className="max-w-sm">
              <label htmlFor={passwordId} className="block text-sm font-medium text-slate-700">
                Initial password
              </label>
              <Input
                id={passwordId}
                type="password"
                autoComplete="new-password"
                value={adminPassword}
                onChange={(event) => setAdminPassword(event.target.value)}
              />
            </div>
          ) : null}
        </fieldset>
      ) : null}
      {error ? <FormAlert>{error}</FormAlert> : null}
      {created ? (
        <div role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          <p>Tenant “{created.tenantName}” created.</p>
          {created.invitationUrl ? (
            <label className="mt-2 block">
              Invitation link for its first admin (shown this once)
              <Input
                readOnly
                value={created.invitationUrl}
                className="mt-1 font-mono"
                onFocus={(event) => event.target.select()}
              />
            </label>
          ) : null}
        </div>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create tenant"}
      </Button>
    </form>
  );
}

const COLUMNS = ["Tenant", "Status", "Members", "Jobs", "Contacts", "Rate limits (minute / hour / day)", ""] as const;

function TenantTable({ tenants }: { tenants: TenantRow[] }) {
  if (tenants.length === 0) return <p className="text-sm text-slate-600">There are no tenants.</p>;
  return (
    <table aria-label="Tenants" className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr>
          {COLUMNS.map((column, index) => (
            <th key={index} scope="col" className="px-3 py-2 text-left font-medium text-slate-500">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {tenants.map((tenant) => (
          <TenantRowView key={tenant.id} tenant={tenant} />
        ))}
      </tbody>
    </table>
  );
}

const STATUS_STYLES: Record<TenantRow["status"], string> = {
  active: "bg-emerald-50 text-emerald-700",
  suspended: "bg-amber-50 text-amber-800",
  deleting: "bg-red-50 text-red-700",
};

function TenantRowView({ tenant }: { tenant: TenantRow }) {
  const [editing, setEditing] = useState<"limits" | "delete" | null>(null);
  const { pending, error, run } = useTenantAction();
  const deleting = tenant.status === "deleting";
  return (
    <>
      <tr aria-label={tenant.name}>
        <td className="px-3 py-2">
          <p className="font-medium text-slate-900">{tenant.name}</p>
          <p className="text-xs text-slate-500">{tenant.slug}</p>
        </td>
        <td className="px-3 py-2">
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[tenant.status]}`}>
            {tenant.status}
          </span>
        </td>
        <td className="px-3 py-2 tabular-nums">{formatCount(tenant.member_count)}</td>
        <td className="px-3 py-2 tabular-nums">{formatCount(tenant.job_count)}</td>
        <td className="px-3 py-2 tabular-nums">{formatCount(tenant.contact_count)}</td>
        <td className="px-3 py-2 tabular-nums">
          {formatCount(tenant.rate_limit_per_minute)} / {formatCount(tenant.rate_limit_per_hour)} /{" "}
          {formatCount(tenant.rate_limit_per_day)}
        </td>
        <td className="px-3 py-2">
          {deleting ? (
            <DeletionProgress progress={tenant.deletion_progress ?? {}} />
          ) : (
            <div className="flex flex-wrap gap-2">
              <Button
                type="button"
                variant="secondary"
                disabled={pending}
                onClick={() => run(() => updateTenantAction({ tenantId: tenant.id, isActive: !tenant.is_active }))}
              >
                {tenant.is_active ? "Suspend" : "Reactivate"}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setEditing("limits")}>
                Edit limits
              </Button>
              <Button type="button" variant="ghost" onClick={() => setEditing("delete")}>
                Delete
              </Button>
            </div>
          )}
        </td>
      </tr>
      {error || (editing && !deleting) ? (
        <tr>
          <td colSpan={COLUMNS.length} className="px-3 pb-3">
            {error ? <FormAlert>{error}</FormAlert> : null}
            {editing === "limits" && !deleting ? (
              <LimitsForm tenant={tenant} pending={pending} run={run} onDone={() => setEditing(null)} />
            ) : null}
            {editing === "delete" && !deleting ? (
              <div
                role="group"
                aria-label={`Delete ${tenant.name}`}
                className="mt-2 space-y-3 rounded-md bg-red-50 p-3"
              >
                <p className="text-sm text-red-800">
                  Delete “{tenant.name}” for good? Its {formatCount(tenant.job_count)} jobs with their files,{" "}
                  {formatCount(tenant.contact_count)} contacts, API keys and memberships are removed, and its members
                  lose access at once. This cannot be undone.
                </p>
                <div className="flex gap-2">
                  <Button
                    type="button"
                    disabled={pending}
                    className="bg-red-600 hover:bg-red-500"
                    onClick={() =>
                      run(
                        () => deleteTenantAction({ tenantId: tenant.id }),
                        () => setEditing(null),
                      )
                    }
                  >
                    Delete {tenant.name}
                  </Button>
                  <Button type="button" variant="secondary" onClick={() => setEditing(null)}>
                    Keep it
                  </Button>
                </div>
              </div>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function LimitsForm({
  tenant,
  pending,
  run,
  onDone,
}: {
  tenant: TenantRow;
  pending: boolean;
  run: ReturnType<typeof useTenantAction>["run"];
  onDone: () => void;
}) {
  const [limits, setLimits] = useState({
    rateLimitPerMinute: String(tenant.rate_limit_per_minute),
    rateLimitPerHour: String(tenant.rate_limit_per_hour),
    rateLimitPerDay: String(tenant.rate_limit_per_day),
  });
  const fields = [
    { key: "rateLimitPerMinute", label: "Requests per minute" },
    { key: "rateLimitPerHour", label: "Requests per hour" },
    { key: "rateLimitPerDay", label: "Requests per day" },
  ] as const;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(() => updateTenantAction({ tenantId: tenant.id, ...limits }), onDone);
  };
  return (
    <form
      onSubmit={submit}
      aria-label={`Rate limits of ${tenant.name}`}
      className="mt-2 flex flex-wrap items-end gap-3"
    >
      {fields.map(({ key, label }) => (
        <label key={key} className="text-sm font-medium text-slate-700">
          {label}
          <Input
            type="number"
            min={1}
            step={1}
            required
            value={limits[key]}
            onChange={(event) => setLimits((current) => ({ ...current, [key]: event.target.value }))}
            className="mt-1 w-36"
          />
        </label>
      ))}
      <Button type="submit" disabled={pending}>
        Save limits
      </Button>
      <Button type="button" variant="secondary" onClick={onDone}>
        Cancel
      </Button>
    </form>
  );
}

function DeletionProgress({ progress }: { progress: Record<string, number> }) {
  const removed = Object.entries(progress).filter(([, count]) => count > 0);
  return (
    <div role="status" aria-live="polite" className="text-xs text-slate-600">
      <p className="font-medium text-red-700">Deleting…</p>
      <p>
        {removed.length === 0
          ? "Starting"
          : removed.map(([kind, count]) => `${formatCount(count)} ${kind.replaceAll("_", " ")}`).join(", ")}
      </p>
    </div>
  );
}
