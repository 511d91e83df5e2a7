"use server";

import { z } from "zod";
import { authedAction, type ActionResult } from "@/lib/actions/authed-action";
import { newPasswordSchema } from "@/lib/auth/account-rules";
import { companyNameSchema } from "@/lib/tenancy/company-rules";
import { createPlatformTenant, requestTenantDeletion, updatePlatformTenant } from "@/lib/tenancy/tenants";

/** The Admin page's changes to tenants; each checks the caller is a platform admin (lib/tenancy/tenants.ts). */

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

const createTenantSchema = z
  .object({
    name: companyNameSchema,
    adminEmail: optionalText.pipe(z.email("Enter the admin's email address").optional()),
    adminCredential: z.enum(["password", "invite"]).default("invite"),
    adminPassword: z.string().optional(),
  })
  .superRefine((input, context) => {
    if (!input.adminEmail || input.adminCredential !== "password") return;
    const password = newPasswordSchema.safeParse(input.adminPassword ?? "");
    if (!password.success) {
      context.addIssue({ code: "custom", path: ["adminPassword"], message: password.error.issues[0]?.message ?? "" });
    }
  });

export type CreatedTenantResult = ActionResult<{
  tenantName: string;
  adminEmail: string | null;
  invitationUrl: string | null;
}>;

const createTenant = authedAction({ schema: createTenantSchema }, async ({ input, ctx }) => {
  const { tenant, admin } = await createPlatformTenant(ctx, {
    name: input.name,
    adminEmail: input.adminEmail,
    adminPassword: input.adminEmail && input.adminCredential === "password" ? input.adminPassword : undefined,
    adminInvite: Boolean(input.adminEmail) && input.adminCredential === "invite",
  });
  return { tenantName: tenant.name, adminEmail: admin?.email ?? null, invitationUrl: admin?.invitation?.url ?? null };
});

export async function createTenantAction(input: unknown): Promise<CreatedTenantResult> {
  return createTenant(input);
}

const rateLimit = z.coerce
  .number({ message: "Enter a whole number" })
  .int("Enter a whole number")
  .positive("Use at least 1")
  .max(2_147_483_647, "Too large");

const updateTenantSchema = z.object({
  tenantId: z.uuid(),
  isActive: z.boolean().optional(),
  rateLimitPerMinute: rateLimit.optional(),
  rateLimitPerHour: rateLimit.optional(),
  rateLimitPerDay: rateLimit.optional(),
});

const updateTenant = authedAction({ schema: updateTenantSchema }, async ({ input: { tenantId, ...patch }, ctx }) => {
  const tenant = await updatePlatformTenant(ctx, tenantId, patch);
  return { tenantName: tenant.name };
});

export async function updateTenantAction(input: unknown): Promise<ActionResult<{ tenantName: string }>> {
  return updateTenant(input);
}

const deleteTenant = authedAction({ schema: z.object({ tenantId: z.uuid() }) }, async ({ input, ctx }) => {
  const tenant = await requestTenantDeletion(ctx, input.tenantId);
  return { tenantName: tenant.name };
});

export async function deleteTenantAction(input: unknown): Promise<ActionResult<{ tenantName: string }>> {
  return deleteTenant(input);
}
