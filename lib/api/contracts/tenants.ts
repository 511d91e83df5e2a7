import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { accountNameSchema, newPasswordSchema } from "@/lib/auth/account-rules";
import { companyNameSchema } from "@/lib/tenancy/company-rules";
import { pageQuery } from "@/lib/api/contracts/shared";

/** Postgres `integer`, the rate limit columns' type. */
const MAX_RATE_LIMIT = 2_147_483_647;
const rateLimit = z.number().int("must be a whole number").positive("must be at least 1").max(MAX_RATE_LIMIT);

export const tenantSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  is_active: z.boolean().describe("False while suspended: its members and API keys get 403"),
  status: z
    .enum(["active", "suspended", "deleting"])
    .describe("`deleting`: gone to its members and keys while a background run removes what it owns"),
  rate_limit_per_minute: z.number().int(),
  rate_limit_per_hour: z.number().int(),
  rate_limit_per_day: z.number().int(),
  member_count: z.number().int().min(0),
  job_count: z.number().int().min(0),
  contact_count: z.number().int().min(0),
  deletion_requested_at: z.iso.datetime().nullable(),
  deletion_progress: z
    .record(z.string(), z.number().int())
    .nullable()
    .describe("What the deletion has removed so far, by kind (stored_files, jobs, contacts, …); null unless deleting"),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const tenantParams = z.object({ id: z.uuid() });

const platformRoute = { tags: ["admin"], auth: "required", platformAdmin: true } as const;

export const listTenantsContract = defineContract({
  ...platformRoute,
  method: "GET",
  path: "/api/admin/tenants",
  summary: "Every tenant (company), oldest first, with its members, jobs and contacts counted (platform admins)",
  query: z.object(pageQuery),
  response: z.object({
    tenants: z.array(tenantSchema),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
  }),
});

export const createTenantContract = defineContract({
  ...platformRoute,
  method: "POST",
  path: "/api/admin/tenants",
  summary: "Creates a tenant, optionally with its first admin (platform admins)",
  description:
    "With `admin_email`: an account that exists joins the tenant as its admin as it is (send no `admin_password`: 409); " +
    "a new account is created with `admin_password`, or with `admin_invite: true` a one-time link to set a password, " +
    "returned once as `admin.invitation_url` for you to pass on.",
  body: z.object({
    name: companyNameSchema,
    admin_email: z.email().max(254).optional(),
    admin_name: accountNameSchema.optional().describe("A new account's name; the email's local part when left out"),
    admin_password: newPasswordSchema.optional(),
    admin_invite: z.boolean().optional(),
  }),
  response: tenantSchema.extend({
    admin: z
      .object({
        id: z.string(),
        email: z.string(),
        created: z.boolean().describe("False: an existing account joined"),
        invitation_url: z.string().nullable().describe("Shown this once"),
        invitation_expires_at: z.iso.datetime().nullable(),
      })
      .nullable(),
  }),
  status: 201,
  errors: ["CONFLICT"],
});

export const getTenantContract = defineContract({
  ...platformRoute,
  method: "GET",
  path: "/api/admin/tenants/{id}",
  summary: "One tenant with its counts, rate limits, state and deletion progress (platform admins)",
  params: tenantParams,
  response: tenantSchema,
  errors: ["NOT_FOUND"],
});

export const updateTenantContract = defineContract({
  ...platformRoute,
  method: "PUT",
  path: "/api/admin/tenants/{id}",
  summary: "Renames, suspends (`is_active: false`), reactivates a tenant or sets its rate limits (platform admins)",
  description:
    "Send any of the fields. A tenant being deleted cannot change (409); nor can you suspend the company you act in (409).",
  params: tenantParams,
  body: z
    .object({
      name: companyNameSchema.optional(),
      is_active: z.boolean().optional(),
      rate_limit_per_minute: rateLimit.optional(),
      rate_limit_per_hour: rateLimit.optional(),
      rate_limit_per_day: rateLimit.optional(),
    })
    .refine((body) => Object.values(body).some((value) => value !== undefined), "send at least one field to change"),
  response: tenantSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const deleteTenantContract = defineContract({
  ...platformRoute,
  method: "DELETE",
  path: "/api/admin/tenants/{id}",
  summary: "Deletes a tenant and everything it owns, in the background (platform admins)",
  description:
    "Answers 202 at once: the tenant is gone to its members and keys from now on, and listed as `deleting` with " +
    "its `deletion_progress` until the background run removes its files, rows and finally the company (then 404). " +
    "Asking again resumes a deletion that stopped. The company you act in cannot be deleted by you (409).",
  params: tenantParams,
  response: tenantSchema,
  status: 202,
  errors: ["NOT_FOUND", "CONFLICT", "SERVICE_UNAVAILABLE"],
});
