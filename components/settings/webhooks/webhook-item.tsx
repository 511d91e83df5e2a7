"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import {
  deleteWebhook,
  deliveriesQueryKey,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
  webhooksQueryKey,
  type Webhook,
  type WebhookChanges,
  type WebhookWithSecret,
} from "@/components/api/webhooks";
import { Button } from "@/components/ui/button";
import { DeliveryTable } from "./delivery-table";
import { changesFrom, draftOf, type WebhookDraft } from "./form-values";
import { WebhookForm } from "./webhook-form";

type Confirming = "delete" | "rotate" | null;

/** One webhook: what it is, and edit, rotate its secret, test, deliveries, disable and delete. */
export function WebhookItem({
  webhook,
  onSecretRotated,
}: {
  webhook: Webhook;
  onSecretRotated: (webhook: WebhookWithSecret) => void;
}) {
  const queryClient = useQueryClient();
  const editButtonId = useId();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: webhooksQueryKey });
  };
  const closeEditor = () => {
    setEditing(false);
    // The form held the focus; give it back to the button that opened it.
    document.getElementById(editButtonId)?.focus();
  };
  const save = useMutation({
    mutationFn: (changes: WebhookChanges) => updateWebhook(webhook.id, changes),
    onSuccess: async () => {
      await refresh();
      setSaved(true);
      closeEditor();
    },
  });
  const toggleActive = useMutation({
    mutationFn: () => updateWebhook(webhook.id, { active: !webhook.active }),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: () => rotateWebhookSecret(webhook.id),
    onSuccess: async (rotated) => {
      setConfirming(null);
      onSecretRotated(rotated);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => deleteWebhook(webhook.id), onSuccess: refresh });
  const test = useMutation({
    mutationFn: () => sendTestEvent(webhook.id),
    onSuccess: async () => {
      setShowDeliveries(true);
      await queryClient.invalidateQueries({ queryKey: deliveriesQueryKey(webhook.id) });
    },
  });
  const submitEdit = (draft: WebhookDraft) => {
    const changes = changesFrom(webhook, draft);
    if (changes) save.mutate(changes);
    else closeEditor();
  };
  const openEditor = () => {
    save.reset();
    setSaved(false);
    setEditing((open) => !open);
  };
  const error = toggleActive.error ?? rotate.error ?? remove.error ?? test.error;

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
          <Button id={editButtonId} type="button" variant="secondary" aria-expanded={editing} onClick={openEditor}>
            Edit
          </Button>
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
          <Button type="button" variant="secondary" onClick={() => setConfirming("rotate")}>
            Rotate secret
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming("delete")}>
            Delete
          </Button>
        </div>
      </div>
      {saved ? (
        <p role="status" className="mt-2 text-sm text-green-800">
          Changes saved.
        </p>
      ) : null}
      {confirming === "rotate" ? (
        <Confirmation
          question="Rotate the signing secret? From now on Intake signs every delivery, retries of earlier events included, with the new secret only: the old one stops working at once, so a receiver still checking it refuses them until it has the new one."
          confirmLabel={rotate.isPending ? "Rotating…" : "Yes, rotate the secret"}
          cancelLabel="Keep the current secret"
          pending={rotate.isPending}
          onConfirm={() => rotate.mutate()}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
      {confirming === "delete" ? (
        <Confirmation
          question="Delete this webhook and its deliveries?"
          confirmLabel={remove.isPending ? "Deleting…" : "Yes, delete"}
          cancelLabel="Keep it"
          pending={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error.message}
        </p>
      ) : null}
      {editing ? (
        <div className="mt-3">
          <WebhookForm
            name="Edit webhook"
            initial={draftOf(webhook)}
            error={save.error}
            pending={save.isPending}
            submitLabel="Save"
            pendingLabel="Saving…"
            onSubmit={submitEdit}
            autoFocus
          >
            <Button type="button" variant="secondary" onClick={closeEditor}>
              Cancel
            </Button>
          </WebhookForm>
        </div>
      ) : null}
      {showDeliveries ? <DeliveryTable webhookId={webhook.id} /> : null}
    </li>
  );
}

function Confirmation({
  question,
  confirmLabel,
  cancelLabel,
  pending,
  onConfirm,
  onCancel,
}: {
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-amber-50 p-3">
      <p className="text-sm text-slate-900">{question}</p>
      <Button type="button" onClick={onConfirm} disabled={pending}>
        {confirmLabel}
      </Button>
      <Button type="button" variant="secondary" onClick={onCancel}>
        {cancelLabel}
      </Button>
    </div>
  );
}
