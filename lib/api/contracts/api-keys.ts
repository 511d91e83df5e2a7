import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { GROUPS } from "@/db/schema";
import { API_KEY_PERMISSIONS } from "@/lib/auth/api-key-permissions";

const timestamp = z.iso.datetime().nullable();

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("The key's first characters, to tell keys apart (the secret is never shown again)"),
  groups: z.array(z.enum(GROUPS)),
  created_by: z.object({ id: z.string(), email: z.string().nullable(), name: z.string().nullable() }).nullable(),
  created_at: z.iso.datetime(),
  last_used_at: timestamp.describe("Recorded at most once a minute"),
  expires_at: timestamp,
  revoked_at: timestamp,
});

export const createdApiKeySchema = apiKeySchema.extend({
  key: z.string().describe("The secret, shown this once: send it as `Authorization: Bearer <key>`"),
});

export const listApiKeysContract = defineContract({
  method: "GET",
  path: "/api/api-keys",
  summary: "The company's API keys, newest first (never their secrets)",
  tags: ["api-keys"],
  auth: "required",
  group: "admin",
  response: z.object({ api_keys: z.array(apiKeySchema) }),
});

export const createApiKeyContract = defineContract({
  method: "POST",
  path: "/api/api-keys",
  summary: "Creates an API key; the response carries its secret, once",
  description:
    "Give the key `groups`, or seed 003's `permissions` (read → viewer; write → uploader and editor), not both. " +
    "A caller may give a key only groups it holds itself (403 otherwise).",
  tags: ["api-keys"],
  auth: "required",
  group: "admin",
  body: z.object({
    name: z.string().trim().min(1, "must not be empty").max(200),
    groups: z.array(z.enum(GROUPS)).min(1, "must name at least one group").optional(),
    permissions: z.array(z.enum(API_KEY_PERMISSIONS)).min(1, "must name at least one permission").optional(),
    expires_at: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe("When the key stops working; in the future"),
  }),
  response: createdApiKeySchema,
  status: 201,
});

export const revokeApiKeyContract = defineContract({
  method: "DELETE",
  path: "/api/api-keys/{id}",
  summary: "Revokes an API key: its next request gets 401",
  description: "Revoking a revoked key again answers 200 and keeps the first revoked_at.",
  tags: ["api-keys"],
  auth: "required",
  group: "admin",
  params: z.object({ id: z.uuid() }),
  response: apiKeySchema,
  errors: ["NOT_FOUND"],
});
