"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import {
  apiKeysQueryKey,
  createApiKey,
  fetchApiKeys,
  revokeApiKey,
  type ApiKey,
  type CreatedApiKey,
} from "@/components/api/api-keys";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";

const KEY_GROUPS = [
  { group: "viewer", label: "Viewer", detail: "read jobs, issues and contacts" },
  { group: "uploader", label: "Uploader", detail: "upload files" },
  { group: "editor", label: "Editor", detail: "resolve issues and edit rows" },
  { group: "admin", label: "Admin", detail: "everything, keys and members included" },
] as const;

type KeyGroup = (typeof KEY_GROUPS)[number]["group"];

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
  const toggle = (group: KeyGroup, on: boolean) =>
    setGroups((current) => (on ? [...current, group] : current.filter((each) => each !== group)));

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
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Groups</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {KEY_GROUPS.map(({ group, label, detail }) => (
            <label key={group} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={groups.includes(group)}
                onChange={(event) => toggle(group, event.target.checked)}
              />
              {label} <span className="text-slate-500">({detail})</span>
            </label>
          ))}
        </div>
      </fieldset>
      {create.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {create.error.message}
        </p>
      ) : null}
      <Button type="submit" disabled={create.isPending || groups.length === 0}>
        {create.isPending ? "Creating…" : "Create key"}
      </Button>
    </form>
  );
}

/** The secret, shown this once, with a way to copy it and a first call to try. */
function NewKeyDialog({ apiKey, onClose }: { apiKey: CreatedApiKey; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const curl = `curl -H "Authorization: Bearer ${apiKey.key}" ${origin}/api/jobs`;
  const copy = async () => {
    // Browsers offer the clipboard only to secure pages (https or localhost); elsewhere the key stays selectable.
    if (!navigator.clipboard) return;
    await navigator.clipboard.writeText(apiKey.key);
    setCopied(true);
  };
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto max-w-2xl rounded-lg p-6 shadow-xl backdrop:bg-slate-900/50"
    >
      <h3 id={titleId} className="text-lg font-semibold text-slate-900">
        API key “{apiKey.name}” created
      </h3>
      <p className="mt-2 text-sm text-slate-600">
        Copy the key now: Intake stores only its hash and will not show it again.
      </p>
      <label className="mt-4 block text-sm font-medium text-slate-700">
        Secret key
        <Input readOnly value={apiKey.key} className="mt-1 font-mono" onFocus={(event) => event.target.select()} />
      </label>
      <div className="mt-2 flex items-center gap-3">
        <Button type="button" variant="secondary" onClick={() => void copy()}>
          Copy
        </Button>
        {copied ? (
          <span role="status" className="text-sm text-emerald-700">
            Copied
          </span>
        ) : null}
      </div>
      <p className="mt-4 text-sm font-medium text-slate-700">Try it</p>
      <pre
        aria-label="Example request"
        className="mt-1 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100"
      >
        {curl}
      </pre>
      <div className="mt-6 flex justify-end">
        <Button type="button" onClick={() => dialog.current?.close()}>
          I have copied the key
        </Button>
      </div>
    </dialog>
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
  if (keys.error)
    return (
      <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
        {keys.error.message}
      </p>
    );
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
