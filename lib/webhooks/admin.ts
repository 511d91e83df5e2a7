import "server-only";
import { randomUUID } from "node:crypto";
import {
  deleteWebhook,
  findDelivery,
  findWebhook,
  insertDelivery,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  updateWebhook,
  type DeliveryRow,
  type WebhookRow,
} from "@/db/queries/webhooks";
import { recordAuditEvent } from "@/lib/audit/record";
import type { TenantContext } from "@/lib/auth/context";
import { DomainError, invalidField } from "@/lib/errors";
import { attemptDelivery, urlRules } from "@/lib/webhooks/deliver";
import { TEST_EVENT, type WebhookEvent, type WebhookPayload } from "@/lib/webhooks/events";
import { encryptSigningSecret, newSigningSecret } from "@/lib/webhooks/secret";
import { checkWebhookUrl, WebhookUrlRefusedError } from "@/lib/webhooks/url-guard";

export type WebhookWithSecret = WebhookRow & { secret: string };

type WebhookSettings = { url: string; events: WebhookEvent[]; description: string | null; active: boolean };

/** The URL as checked against the rules (lib/webhooks/url-guard.ts), or a 400 naming the rule it breaks. */
async function allowedUrl(url: string): Promise<string> {
  try {
    return (await checkWebhookUrl(url, urlRules())).toString();
  } catch (error) {
    if (error instanceof WebhookUrlRefusedError) throw invalidField("body.url", error.message);
    throw error;
  }
}

async function companyWebhook(ctx: TenantContext, id: string): Promise<WebhookRow> {
  const webhook = await findWebhook({ companyId: ctx.companyId, id });
  if (!webhook) throw new DomainError("NOT_FOUND", `The company has no webhook ${id}`, { webhook_id: id });
  return webhook;
}

const audited = (webhook: WebhookRow) => ({
  url: webhook.url,
  events: webhook.events,
  description: webhook.description,
  active: webhook.isActive,
  secret_prefix: webhook.secretPrefix,
});

export function listCompanyWebhooks(ctx: TenantContext): Promise<WebhookRow[]> {
  return listWebhooks({ companyId: ctx.companyId });
}

export async function createCompanyWebhook(ctx: TenantContext, settings: WebhookSettings): Promise<WebhookWithSecret> {
  const url = await allowedUrl(settings.url);
  const { secret, prefix } = newSigningSecret();
  const webhook = await insertWebhook({
    companyId: ctx.companyId,
    url,
    events: settings.events,
    description: settings.description,
    isActive: settings.active,
    secretCiphertext: encryptSigningSecret(secret),
    secretPrefix: prefix,
    createdById: ctx.user?.id ?? null,
  });
  await recordAuditEvent(ctx, {
    action: "webhook.created",
    target: { type: "webhook", id: webhook.id },
    after: audited(webhook),
  });
  return { ...webhook, secret };
}

export async function updateCompanyWebhook(
  ctx: TenantContext,
  id: string,
  changes: Partial<WebhookSettings>,
): Promise<WebhookRow> {
  const before = await companyWebhook(ctx, id);
  const updated = await updateWebhook({
    companyId: ctx.companyId,
    id,
    changes: {
      ...(changes.url === undefined ? {} : { url: await allowedUrl(changes.url) }),
      ...(changes.events === undefined ? {} : { events: changes.events }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...(changes.active === undefined ? {} : { isActive: changes.active }),
    },
  });
  if (!updated) throw new DomainError("NOT_FOUND", `The company has no webhook ${id}`, { webhook_id: id });
  await recordAuditEvent(ctx, {
    action: "webhook.updated",
    target: { type: "webhook", id },
    before: audited(before),
    after: audited(updated),
  });
  return updated;
}

export async function rotateCompanyWebhookSecret(ctx: TenantContext, id: string): Promise<WebhookWithSecret> {
  const before = await companyWebhook(ctx, id);
  const { secret, prefix } = newSigningSecret();
  const updated = await updateWebhook({
    companyId: ctx.companyId,
    id,
    changes: { secretCiphertext: encryptSigningSecret(secret), secretPrefix: prefix },
  });
  if (!updated) throw new DomainError("NOT_FOUND", `The company has no webhook ${id}`, { webhook_id: id });
  await recordAuditEvent(ctx, {
    action: "webhook.secret_rotated",
    target: { type: "webhook", id },
    before: audited(before),
    after: audited(updated),
  });
  return { ...updated, secret };
}

export async function deleteCompanyWebhook(ctx: TenantContext, id: string): Promise<void> {
  const before = await companyWebhook(ctx, id);
  if (!(await deleteWebhook({ companyId: ctx.companyId, id }))) {
    throw new DomainError("NOT_FOUND", `The company has no webhook ${id}`, { webhook_id: id });
  }
  await recordAuditEvent(ctx, {
    action: "webhook.deleted",
    target: { type: "webhook", id },
    before: audited(before),
  });
}

export async function listCompanyWebhookDeliveries(
  ctx: TenantContext,
  id: string,
  limit: number,
): Promise<DeliveryRow[]> {
  await companyWebhook(ctx, id);
  return listDeliveries({ companyId: ctx.companyId, webhookId: id, limit });
}

/** Sends a `ping` event to the webhook now, once, and returns its delivery as recorded. */
export async function sendTestEvent(ctx: TenantContext, id: string): Promise<DeliveryRow> {
  const webhook = await companyWebhook(ctx, id);
  const eventId = randomUUID();
  const payload: WebhookPayload = {
    id: eventId,
    type: TEST_EVENT,
    created_at: new Date().toISOString(),
    data: { webhook_id: webhook.id, message: "A test event sent from Intake" },
  };
  const deliveryId = await insertDelivery({
    companyId: ctx.companyId,
    webhookId: webhook.id,
    event: TEST_EVENT,
    eventId,
    payload,
  });
  await attemptDelivery({ deliveryId, retryInMs: null, evenIfDisabled: true });
  const delivery = await findDelivery({ deliveryId });
  if (!delivery) throw new DomainError("NOT_FOUND", `The webhook ${id} was deleted while its test event was sent`);
  return delivery;
}
