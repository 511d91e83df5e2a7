import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "@/lib/audit/record";

const changedFields = z
  .record(z.string(), z.unknown())
  .nullable()
  .describe("The fields that changed, as they were (before) or became (after); never secrets");

export const auditEventSchema = z.object({
  id: z.string().describe("The event's id (a number, sent as a string)"),
  action: z.string().describe(`What happened, e.g. ${AUDIT_ACTIONS.slice(0, 3).join(", ")}`),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  actor: z
    .object({
      type: z.enum(["user", "api_key", "system"]),
      id: z.string().nullable(),
      email: z.string().nullable(),
      name: z.string().nullable(),
    })
    .describe(
      "Who made the change: a person (id, email, name), an API key (id, name), or Intake itself " +
        "(a script or background run; also a person whose account was deleted since)",
    ),
  before: changedFields,
  after: changedFields,
  request_id: z.string().nullable().describe("The X-Request-Id of the request that made the change"),
  created_at: z.iso.datetime(),
});

export const listAuditEventsContract = defineContract({
  method: "GET",
  path: "/api/audit",
  summary: "The company's audit trail, newest first, a page at a time",
  description:
    "Every change to the company's settings, members, invitations and API keys, and its members' own account " +
    "changes: who, what, before → after, when and in which request. Pass a page's `next_cursor` as `before` " +
    "for the page after it; `next_cursor` is null on the last page.",
  tags: ["audit"],
  auth: "required",
  group: "admin",
  query: z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.string().min(1).max(200).optional().describe("The next_cursor of the previous page (opaque)"),
    action: z.enum(AUDIT_ACTIONS).optional(),
    target_type: z.enum(AUDIT_TARGET_TYPES).optional(),
  }),
  response: z.object({
    events: z.array(auditEventSchema),
    next_cursor: z.string().nullable(),
  }),
});
