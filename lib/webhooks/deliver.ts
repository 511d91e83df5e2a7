import "server-only";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { abandonDelivery, findDeliveryTarget, recordDeliveryAttempt } from "@/db/queries/webhooks";
import { failureReason } from "@/lib/background/definition";
import { env } from "@/lib/env";
import { signedHeaders } from "@/lib/webhooks/sign";
import { decryptSigningSecret } from "@/lib/webhooks/secret";
import { checkWebhookUrl, guardedLookup, type UrlRules } from "@/lib/webhooks/url-guard";
import type { WebhookPayload } from "@/lib/webhooks/events";

type DeliverySettings = {
  /** The wait before each retry; its length is the number of retries (1 min … 12 h: the last attempt ~20.6 h after the first). */
  backoffMs: readonly number[];
  /** How long one attempt may take, connection to answer. */
  timeoutMs: number;
};

const DEFAULT_SETTINGS: DeliverySettings = {
  backoffMs: [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000],
  timeoutMs: 10_000,
};

// On globalThis: the runner and routes are bundled separately and tests change it for all of them.
const globalForDelivery = globalThis as unknown as { intakeWebhookDelivery?: DeliverySettings };

export function deliverySettings(): DeliverySettings {
  return globalForDelivery.intakeWebhookDelivery ?? DEFAULT_SETTINGS;
}

/** Tests shorten the backoff and the timeout so that retries happen in seconds. */
export function configureWebhookDelivery(overrides: Partial<DeliverySettings> | null): void {
  globalForDelivery.intakeWebhookDelivery = overrides ? { ...DEFAULT_SETTINGS, ...overrides } : undefined;
}

export function urlRules(): UrlRules {
  return { production: env().NODE_ENV === "production", allowPrivate: env().WEBHOOK_ALLOW_PRIVATE_URLS };
}

export type AttemptResult = { ok: boolean; statusCode: number | null; error: string | null };

/**
 * Posts the body, signed, to the URL once. The URL is checked again now, after resolving its host, and the
 * connection uses the checked lookup, so DNS cannot point it at an internal address since it was created.
 * Redirects are not followed (they count as failures).
 */
export async function postSigned({
  url,
  secret,
  payload,
}: {
  url: string;
  secret: string;
  payload: WebhookPayload;
}): Promise<AttemptResult> {
  const rules = urlRules();
  try {
    const target = await checkWebhookUrl(url, rules);
    const body = JSON.stringify(payload);
    const headers = signedHeaders({
      secret,
      eventId: payload.id,
      event: payload.type,
      body,
      timestamp: Math.floor(Date.now() / 1000),
    });
    const statusCode = await new Promise<number>((resolve, reject) => {
      const send = target.protocol === "https:" ? httpsRequest : httpRequest;
      const outgoing = send(
        target,
        {
          method: "POST",
          headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
          lookup: guardedLookup(rules),
          // A connection of its own: a pooled one would skip the guarded lookup and may be dead already.
          agent: false,
          signal: AbortSignal.timeout(deliverySettings().timeoutMs),
        },
        (response) => {
          // Only the status matters; the answer's body is read and dropped so that the connection is released.
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
          response.on("error", reject);
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
    const ok = statusCode >= 200 && statusCode < 300;
    return { ok, statusCode, error: ok ? null : `The receiver answered ${statusCode}` };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `No answer within ${deliverySettings().timeoutMs} ms`
        : failureReason(error);
    return { ok: false, statusCode: null, error: reason };
  }
}

/** Whether the delivery needs another attempt (and after how long), once an attempt is recorded. */
export type DeliveryStep = { finished: true } | { finished: false; retryInMs: number };

/**
 * One attempt of a recorded delivery, recorded on its row: a 2xx answer ends it; otherwise it is retried
 * after `retryInMs`, or FAILED when there is no retry left. A delivery whose webhook was deleted, disabled
 * or that has already ended is not sent.
 */
export async function attemptDelivery({
  deliveryId,
  retryInMs,
  evenIfDisabled = false,
}: {
  deliveryId: number;
  retryInMs: number | null;
  /** A test event is sent to a disabled webhook too, so that it can be tried before it is enabled. */
  evenIfDisabled?: boolean;
}): Promise<DeliveryStep> {
  const target = await findDeliveryTarget({ deliveryId });
  if (!target || target.status !== "PENDING") return { finished: true };
  if (!target.webhookIsActive && !evenIfDisabled) {
    await abandonDelivery({ deliveryId, error: "The webhook was disabled before the delivery succeeded" });
    return { finished: true };
  }
  const result = await postSigned({
    url: target.url,
    secret: decryptSigningSecret(target.secretCiphertext),
    payload: target.payload as WebhookPayload,
  });
  const retry = !result.ok && retryInMs !== null;
  await recordDeliveryAttempt({
    deliveryId,
    status: result.ok ? "SUCCEEDED" : retry ? "PENDING" : "FAILED",
    statusCode: result.statusCode,
    error: result.error,
    nextAttemptAt: retry ? new Date(Date.now() + retryInMs) : null,
  });
  return retry ? { finished: false, retryInMs } : { finished: true };
}
