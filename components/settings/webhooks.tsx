"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import {
  createWebhook,
  deleteWebhook,
  deliveriesQueryKey,
  fetchDeliveries,
  fetchWebhooks,
  sendTestEvent,
  updateWebhook,
  webhooksQueryKey,
  type Webhook,
  type WebhookWithSecret,
} from "@/components/api/webhooks";
import { CopyOnceDialog } from "@/components/settings/copy-once-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { WEBHOOK_EVENTS, type WebhookEvent } from "@/lib/webhooks/events";

/** Settings → Webhooks: create (the signing secret shown once), list, disable, test, deliveries, delete. For admins. */
export function WebhooksSection() {
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        Intake POSTs signed JSON to these URLs when jobs and upload sessions end. Check the{" "}
        <code>Intake-Webhook-Signature</code> header with the webhook&apos;s signing secret (see the README).
      </p>
      <CreateWebhookForm onCreated={setCreated} />
      <WebhookList />
      {created ? (
        <CopyOnceDialog
          title="Webhook created"
          explanation="Copy the signing secret now: Intake will not show it again."
          label="Signing secret"
          value={created.secret}
          confirmLabel="I have copied the secret"
          onClose={() => setCreated(null)}
        />
      ) : null}
    </div>
  );
}

function CreateWebhookForm({ onCreated }: { onCreated: (webhook: WebhookWithSecret) => void }) {
  const queryClient = useQueryClient();
  const urlId = useId();
  const descriptionId = useId();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>(["job.completed"]);
  const create = useMutation({
    mutationFn: createWebhook,
    onSuccess: async (webhook) => {
      setUrl("");
      setDescription("");
      onCreated(webhook);
      await queryClient.invalidateQueries({ queryKey: webhooksQueryKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ url, events, description: description || null });
  };
  const toggle = (name: WebhookEvent, checked: boolean) =>
    setEvents((current) => (checked ? [...current, name] : current.filter((each) => each !== name)));

  return (
    <form onSubmit={submit} aria-label="New webhook" className="space-y-4 rounded-md border border-slate-200 p-4">
      <h3 className="text-base font-semibold text-slate-900">New webhook</h3>
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor={urlId} className="block text-sm font-medium text-slate-700">
            URL
          </label>
          <Input
            id={urlId}
            type="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            required
            placeholder="https://example.com/hooks/intake"
          />
        </div>
        <div>
          <label htmlFor={descriptionId} className="block text-sm font-medium text-slate-700">
            Description (optional)
          </label>
          <Input
            id={descriptionId}
            value={description}
            maxLength={500}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Events</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {WEBHOOK_EVENTS.map((name) => (
            <label key={name} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={events.includes(name)}
                onChange={(event) => toggle(name, event.target.checked)}
              />
              {name}
            </label>
          ))}
        </div>
      </fieldset>
      {create.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {create.error.message}
        </p>
      ) : null}
      <Button type="submit" disabled={create.isPending || events.length === 0}>
        {create.isPending ? "Creating…" : "Create webhook"}
      </Button>
    </form>
  );
}

function WebhookList() {
  const webhooks = useQuery({ queryKey: webhooksQueryKey, queryFn: fetchWebhooks });
  if (webhooks.isPending) return <p className="text-sm text-slate-600">Loading webhooks…</p>;
  if (webhooks.error)
    return (
      <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
        {webhooks.error.message}
      </p>
    );
  if (webhooks.data.length === 0) return <p className="text-sm text-slate-600">The company has no webhooks yet.</p>;
  return (
    <ul aria-label="Webhooks" className="space-y-4">
      {webhooks.data.map((webhook) => (
        <WebhookItem key={webhook.id} webhook={webhook} />
      ))}
    </ul>
  );
}

function WebhookItem({ webhook }: { webhook: Webhook }) {
  const queryClient = useQueryClient();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: webhooksQueryKey });
  };
  const toggleActive = useMutation({
    mutationFn: () => updateWebhook(webhook.id, { active: !webhook.active }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => deleteWebhook(webhook.id), onSuccess: refresh });
  const test = useMutation({
    mutationFn: () => sendTestEvent(webhook.id),
    onSuccess: async () => {
      setShowDeliveries(true);
      await queryClient.invalidateQueries({ queryKey: deliveriesQueryKey(webhook.id) });
    },
  });
  const error = toggleActive.error ?? remove.error ?? test.error;
  return (
    <li aria-label={webhook.url} className="rounded-md border border-slate-200 p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="font-mono text-sm break-all text-slate-900">{webhook.url}</p>
          <p className="mt-1 text-sm text-slate-600">
            {webhook.active ? "Active" : "Disabled"} · {webhook.events.join(", ")} · secret{" "}
            <span className="font-mono">{webhook.secret_prefix}…</span>
            {webhook.description ? ` · ${webhook.description}` : ""}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button type="button" variant="secondary" onClick={() => test.mutate()} disabled={test.isPending}>
            {test.isPending ? "Sending…" : "Send test event"}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setShowDeliveries((shown) => !shown)}>
            {showDeliveries ? "Hide deliveries" : "Deliveries"}
          </Button>
          <Button
            type="button"
            variant="secondary"
            onClick={() => toggleActive.mutate()}
            disabled={toggleActive.isPending}
          >
            {webhook.active ? "Disable" : "Enable"}
          </Button>
          {confirmingDelete ? (
            <>
              <span className="text-sm text-slate-900">Delete this webhook and its deliveries?</span>
              <Button type="button" onClick={() => remove.mutate()} disabled={remove.isPending}>
                {remove.isPending ? "Deleting…" : "Yes, delete"}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirmingDelete(false)}>
                Keep it
              </Button>
            </>
          ) : (
            <Button type="button" variant="secondary" onClick={() => setConfirmingDelete(true)}>
              Delete
            </Button>
          )}
        </div>
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error.message}
        </p>
      ) : null}
      {showDeliveries ? <DeliveryTable webhookId={webhook.id} /> : null}
    </li>
  );
}

const DELIVERY_COLUMNS = ["Event", "Status", "Status code", "Attempts", "Next attempt", "Last error", "Created"];

function DeliveryTable({ webhookId }: { webhookId: string }) {
  const deliveries = useQuery({ queryKey: deliveriesQueryKey(webhookId), queryFn: () => fetchDeliveries(webhookId) });
  if (deliveries.isPending) return <p className="mt-3 text-sm text-slate-600">Loading deliveries…</p>;
  if (deliveries.error)
    return (
      <p role="alert" className="mt-3 text-sm text-red-700">
        {deliveries.error.message}
      </p>
    );
  if (deliveries.data.length === 0) return <p className="mt-3 text-sm text-slate-600">No deliveries yet.</p>;
  return (
    <table aria-label="Deliveries" className="mt-3 min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr className="text-left text-slate-500">
          {DELIVERY_COLUMNS.map((column) => (
            <th key={column} scope="col" className="py-2 pr-4 font-medium">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {deliveries.data.map((delivery) => (
          <tr key={delivery.id}>
            <td className="py-2 pr-4 font-mono text-slate-900">{delivery.event}</td>
            <td className="py-2 pr-4 text-slate-700">{delivery.status}</td>
            <td className="py-2 pr-4 text-slate-700">{delivery.status_code ?? "none"}</td>
            <td className="py-2 pr-4 text-slate-700">{delivery.attempts}</td>
            <td className="py-2 pr-4 text-slate-700">
              {delivery.next_attempt_at ? <RelativeTime iso={delivery.next_attempt_at} /> : "none"}
            </td>
            <td className="py-2 pr-4 break-all text-slate-700">{delivery.last_error ?? ""}</td>
            <td className="py-2 pr-4 text-slate-700">
              <RelativeTime iso={delivery.created_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
