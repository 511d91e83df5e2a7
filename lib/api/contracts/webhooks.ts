import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { WEBHOOK_DELIVERY_STATUSES } from "@/db/schema";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";

export const webhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  description: z.string().nullable(),
  active: z.boolean(),
  secret_prefix: z.string().describe("The signing secret's first characters, to tell secrets apart"),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

export const webhookWithSecretSchema = webhookSchema.extend({
  secret: z
    .string()
    .describe("The signing secret (`whsec_…`), shown this once: verify `Intake-Webhook-Signature` with it"),
});

export const webhookDeliverySchema = z.object({
  id: z.number().int(),
  event_id: z
    .uuid()
    .describe("The event's id (the body's `id` and the Intake-Webhook-Id header): the same in every attempt"),
  event: z.string().describe("job.completed, …, or ping for a test event"),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  status_code: z.number().int().nullable().describe("The receiver's answer to the last attempt; null when none came"),
  attempts: z.number().int(),
  next_attempt_at: z.iso.datetime().nullable().describe("When the next attempt is due; null once the delivery ended"),
  last_error: z.string().nullable(),
  created_at: z.iso.datetime(),
  delivered_at: z.iso.datetime().nullable(),
});

const webhookIdParams = z.object({ id: z.uuid() });

const webhookFields = {
  url: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(2048)
    .describe(
      "Where deliveries are POSTed: https in production, never to loopback, private, link-local, unique-local or " +
        "unspecified addresses (checked after DNS) unless WEBHOOK_ALLOW_PRIVATE_URLS=true",
    ),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, "must name at least one event")
    .transform((events) => [...new Set(events)]),
  description: z.string().trim().max(500).nullable(),
  active: z.boolean(),
};

export const listWebhooksContract = defineContract({
  method: "GET",
  path: "/api/webhooks",
  summary: "The company's webhooks (never their signing secrets)",
  tags: ["webhooks"],
  auth: "required",
  group: "admin",
  response: z.object({ webhooks: z.array(webhookSchema) }),
});

export const createWebhookContract = defineContract({
  method: "POST",
  path: "/api/webhooks",
  summary: "Creates a webhook; the response carries its signing secret, once",
  tags: ["webhooks"],
  auth: "required",
  group: "admin",
  body: z.object({
    url: webhookFields.url,
    events: webhookFields.events,
    description: webhookFields.description.optional(),
    active: webhookFields.active.default(true),
  }),
  response: webhookWithSecretSchema,
  status: 201,
});

export const updateWebhookContract = defineContract({
  method: "PUT",
  path: "/api/webhooks/{id}",
  summary: "Changes a webhook's URL, events, description or whether it is active (the fields given)",
  description: "Deliveries already recorded keep going to the URL as it is when each attempt is made.",
  tags: ["webhooks"],
  auth: "required",
  group: "admin",
  params: webhookIdParams,
  body: z
    .object({
      url: webhookFields.url.optional(),
      events: webhookFields.events.optional(),
      description: webhookFields.description.optional(),
      active: webhookFields.active.optional(),
    })
    .refine((body) => Object.values(body).some((value) => value !== undefined), {
      message: "give at least one of url, events, description, active",
    }),
  response: webhookSchema,
  errors: ["NOT_FOUND"],
});

export const deleteWebhookContract = defineContract({
  method: "DELETE",
  path: "/api/webhooks/{id}",
  summary: "Deletes a webhook and its deliveries (pending ones are not sent)",
  tags: ["webhooks"],
  auth: "required",
  group: "admin",
  params: webhookIdParams,
  response: z.object({ message: z.string(), id: z.uuid() }),
  errors: ["NOT_FOUND"],
});

export const rotateWebhookSecretContract = defineContract({
  method: "POST",
  path: "/api/webhooks/{id}/rotate-secret",
  summary: "Gives the webhook a new signing secret, shown this once; the old one stops signing at once",
  tags: ["webhooks"],
  auth: "required",
  group: "admin",
  params: webhookIdParams,
  response: webhookWithSecretSchema,
  errors: ["NOT_FOUND"],
});

export const listWebhookDeliveriesContract = defineContract({
  method: "GET",
  path: "/api/webhooks/{id}/deliveries",
  summary: "The webhook's deliveries, newest first: status code, attempts, next attempt, last error",
  tags: ["webhooks"],
  auth: "required",
  group: "admin",
  params: webhookIdParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  response: z.object({ deliveries: z.array(webhookDeliverySchema) }),
  errors: ["NOT_FOUND"],
});

export const testWebhookContract = defineContract({
  method: "POST",
  path: "/api/webhooks/{id}/test",
  summary: "Sends a `ping` event to the webhook now (once, not retried) and answers with its delivery",
  description: "Sent whatever events the webhook subscribes to, and also when it is disabled.",
  tags: ["webhooks"],
  auth: "required",
  group: "admin",
  params: webhookIdParams,
  response: webhookDeliverySchema,
  errors: ["NOT_FOUND"],
});
