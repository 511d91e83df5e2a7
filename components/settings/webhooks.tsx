"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { createWebhook, fetchWebhooks, webhooksQueryKey, type WebhookWithSecret } from "@/components/api/webhooks";
import { CopyOnceDialog } from "@/components/settings/copy-once-dialog";
import { EMPTY_DRAFT, type WebhookDraft } from "@/components/settings/webhooks/form-values";
import { WebhookForm } from "@/components/settings/webhooks/webhook-form";
import { WebhookItem } from "@/components/settings/webhooks/webhook-item";
import { FormAlert } from "@/components/ui/form-alert";

/** A signing secret to show once: a new webhook's, or a webhook's after its secret was rotated. */
type ShownSecret = { title: string; explanation: string; secret: string };

/**
 * Settings → Webhooks: create (the signing secret shown once), list, edit, rotate the secret (shown once),
 * disable, test, deliveries, delete. For admins.
 */
export function WebhooksSection() {
  const [shown, setShown] = useState<ShownSecret | null>(null);
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        Intake POSTs signed JSON to these URLs when jobs and upload sessions end. Check the{" "}
        <code>Intake-Webhook-Signature</code> header with the webhook&apos;s signing secret (see the README).
      </p>
      <CreateWebhookForm
        onCreated={(webhook) =>
          setShown({
            title: "Webhook created",
            explanation: "Copy the signing secret now: Intake will not show it again.",
            secret: webhook.secret,
          })
        }
      />
      <WebhookList
        onSecretRotated={(webhook) =>
          setShown({
            title: "Signing secret rotated",
            explanation: `Copy the new signing secret for ${webhook.url} now: Intake will not show it again. Every delivery is signed with it from now on; the old secret no longer works.`,
            secret: webhook.secret,
          })
        }
      />
      {shown ? (
        <CopyOnceDialog
          title={shown.title}
          explanation={shown.explanation}
          label="Signing secret"
          value={shown.secret}
          confirmLabel="I have copied the secret"
          onClose={() => setShown(null)}
        />
      ) : null}
    </div>
  );
}

function CreateWebhookForm({ onCreated }: { onCreated: (webhook: WebhookWithSecret) => void }) {
  const queryClient = useQueryClient();
  // A new key empties the form once a webhook is created.
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: createWebhook,
    onSuccess: async (webhook) => {
      setFormKey((key) => key + 1);
      onCreated(webhook);
      await queryClient.invalidateQueries({ queryKey: webhooksQueryKey });
    },
  });
  const submit = ({ url, description, events }: WebhookDraft) =>
    create.mutate({ url, events, description: description.trim() || null });
  return (
    <WebhookForm
      key={formKey}
      name="New webhook"
      initial={EMPTY_DRAFT}
      error={create.error}
      pending={create.isPending}
      submitLabel="Create webhook"
      pendingLabel="Creating…"
      onSubmit={submit}
    />
  );
}

function WebhookList({ onSecretRotated }: { onSecretRotated: (webhook: WebhookWithSecret) => void }) {
  const webhooks = useQuery({ queryKey: webhooksQueryKey, queryFn: fetchWebhooks });
  if (webhooks.isPending) return <p className="text-sm text-slate-600">Loading webhooks…</p>;
  if (webhooks.error) return <FormAlert>{webhooks.error.message}</FormAlert>;
  if (webhooks.data.length === 0) return <p className="text-sm text-slate-600">The company has no webhooks yet.</p>;
  return (
    <ul aria-label="Webhooks" className="space-y-4">
      {webhooks.data.map((webhook) => (
        <WebhookItem key={webhook.id} webhook={webhook} onSecretRotated={onSecretRotated} />
      ))}
    </ul>
  );
}
