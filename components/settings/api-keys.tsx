"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import {
  apiKeysQueryKey,
  createApiKey,
  fetchApiKeys,
  revokeApiKey,
  type ApiKey,
  type CreatedApiKey,
} from "@/components/api/api-keys";
import { CopyOnceDialog } from "@/components/settings/copy-once-dialog";
import { GroupCheckboxes, type GroupChoice } from "@/components/settings/group-checkboxes";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { FormAlert } from "@/components/ui/form-alert";

type KeyGroup = GroupChoice;

/** Settings → API keys: create (the secret shown once), list, revoke. For company admins. */
export function ApiKeysSection() {
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-600">
          Programs call the API with a key: <code>Authorization: Bearer &lt;key&gt;</code>. A key acts with the groups
          you give it, in this company only.
        </p>
      </div>
      <CreateApiKeyForm onCreated={setCreated} />
      <ApiKeyList />
      {created ? <NewKeyDialog apiKey={created} onClose={() => setCreated(null)} /> : null}
    </div>
  );
}

function CreateApiKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const queryClient = useQueryClient();
  const nameId = useId();
  const expiryId = useId();
  const [name, setName] = useState("");
  const [groups, setGroups] = useState<KeyGroup[]>(["viewer"]);
  const [expiry, setExpiry] = useState("");
  const create = useMutation({
    mutationFn: createApiKey,
    onSuccess: async (key) => {
      setName("");
      setExpiry("");
      onCreated(key);
      await queryClient.invalidateQueries({ queryKey: apiKeysQueryKey });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The date input gives a day; the key works to the end of it, in the browser's time zone.
    const expiresAt = expiry ? new Date(`${expiry}T23:59:59`).toISOString() : null;
    create.mutate({ name, groups, expires_at: expiresAt });
  };

  return (
    <form onSubmit={submit} aria-label="New API key" className="space-y-4 rounded-md border border-slate-200 p-4">
      <h3 className="text-base font-semibold text-slate-900">New API key</h3>
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor={nameId} className="block text-sm font-medium text-slate-700">
            Key name
          </label>
          <Input
            id={nameId}
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={200}
            placeholder="e.g. Nightly CRM import"
          />
        </div>
        <div>
          <label htmlFor={expiryId} className="block text-sm font-medium text-slate-700">
            Expires on (optional)
          </label>
          <Input id={expiryId} type="date" value={expiry} onChange={(event) => setExpiry(event.target.value)} />
        </div>
      </div>
      <GroupCheckboxes legend="Groups" groups={groups} onChange={setGroups} />
      {create.error ? <FormAlert>{create.error.message}</FormAlert> : null}
      <Button type="submit" disabled={create.isPending || groups.length === 0}>
        {create.isPending ? "Creating…" : "Create key"}
      </Button>
    </form>
  );
}

/** The secret, shown this once, with a way to copy it and a first call to try. */
function NewKeyDialog({ apiKey, onClose }: { apiKey: CreatedApiKey; onClose: () => void }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const curl = `curl -H "Authorization: Bearer ${apiKey.key}" ${origin}/api/jobs`;
  return (
    <CopyOnceDialog
      title={`API key “${apiKey.name}” created`}
      explanation="Copy the key now: Intake stores only its hash and will not show it again."
      label="Secret key"
      value={apiKey.key}
      confirmLabel="I have copied the key"
      onClose={onClose}
    >
      <p className="mt-4 text-sm font-medium text-slate-700">Try it</p>
      <pre
        aria-label="Example request"
        className="mt-1 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100"
      >
        {curl}
      </pre>
    </CopyOnceDialog>
  );
}

function statusOf(key: ApiKey): "Revoked" | "Expired" | "Active" {
  if (key.revoked_at) return "Revoked";
  if (key.expires_at && new Date(key.expires_at).getTime() <= Date.now()) return "Expired";
  return "Active";
}

const KEY_COLUMNS = ["Name", "Prefix", "Groups", "Created by", "Last used", "Expires", "Status"] as const;

function ApiKeyList() {
  const keys = useQuery({ queryKey: apiKeysQueryKey, queryFn: fetchApiKeys });
  if (keys.isPending) return <p className="text-sm text-slate-600">Loading keys…</p>;
  if (keys.error) return <FormAlert>{keys.error.message}</FormAlert>;
  if (keys.data.length === 0) return <p className="text-sm text-slate-600">The company has no API keys yet.</p>;
  return (
    <table aria-label="API keys" className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr className="text-left text-slate-500">
          {KEY_COLUMNS.map((column) => (
            <th key={column} scope="col" className="py-2 pr-4 font-medium">
              {column}
            </th>
          ))}
          <th scope="col" className="py-2 font-medium">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {keys.data.map((key) => (
          <ApiKeyRow key={key.id} apiKey={key} />
        ))}
      </tbody>
    </table>
  );
}

function ApiKeyRow({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => revokeApiKey(apiKey.id),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: apiKeysQueryKey });
    },
  });
  const status = statusOf(apiKey);
  return (
    <tr>
      <td className="py-2 pr-4 font-medium text-slate-900">{apiKey.name}</td>
      <td className="py-2 pr-4 font-mono text-slate-700">{apiKey.prefix}…</td>
      <td className="py-2 pr-4 text-slate-700">{apiKey.groups.join(", ")}</td>
      <td className="py-2 pr-4 text-slate-700">
        {apiKey.created_by ? (apiKey.created_by.name ?? apiKey.created_by.email) : "an API key"}
      </td>
      <td className="py-2 pr-4 text-slate-700">
        {apiKey.last_used_at ? <RelativeTime iso={apiKey.last_used_at} /> : "never"}
      </td>
      <td className="py-2 pr-4 text-slate-700">
        {apiKey.expires_at ? new Date(apiKey.expires_at).toLocaleDateString() : "never"}
      </td>
      <td className="py-2 pr-4 text-slate-700">{status}</td>
      <td className="py-2">
        {status === "Revoked" ? null : confirming ? (
          <div className="flex items-center gap-2">
            <span className="text-slate-900">Revoke “{apiKey.name}”? Programs using it stop at once.</span>
            <Button type="button" onClick={() => revoke.mutate()} disabled={revoke.isPending}>
              {revoke.isPending ? "Revoking…" : "Yes, revoke"}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)} disabled={revoke.isPending}>
              Keep it
            </Button>
          </div>
        ) : (
          <Button
            type="button"
            variant="secondary"
            aria-label={`Revoke ${apiKey.name}`}
            onClick={() => setConfirming(true)}
          >
            Revoke
          </Button>
        )}
        {revoke.error ? (
          <p role="alert" className="mt-1 text-sm text-red-700">
            {revoke.error.message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
