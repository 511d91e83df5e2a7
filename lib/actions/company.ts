"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { signOut, updateSession } from "@/lib/auth/nextauth";
import { findMembership } from "@/db/queries/memberships";
import { authedAction, type ActionResult } from "@/lib/actions/authed-action";
import { DomainError } from "@/lib/errors";
import { companyNameSchema } from "@/lib/tenancy/company-rules";
import { renameCallerCompany } from "@/lib/tenancy/companies";

const switchCompanySchema = z.object({ companyId: z.uuid("Choose a company") });

const switchCompany = authedAction({ schema: switchCompanySchema }, async ({ input, ctx }) => {
  if (!ctx.user) throw new DomainError("FORBIDDEN", "Only people can switch companies");
  const membership = await findMembership({ userId: ctx.user.id, companyId: input.companyId });
  if (!membership) throw new DomainError("NOT_FOUND", "You are not a member of that company");
  await updateSession({ companyId: membership.companyId });
  revalidatePath("/", "layout");
  return { companyName: membership.companyName };
});

export async function switchCompanyAction(
  _previous: ActionResult<{ companyName: string }> | null,
  formData: FormData,
): Promise<ActionResult<{ companyName: string }>> {
  return switchCompany(formData);
}

export type RenameCompanyState = ActionResult<{ message: string }> | null;

const renameCompany = authedAction(
  { schema: z.object({ name: companyNameSchema }), group: "admin" },
  async ({ input, ctx }) => {
    const company = await renameCallerCompany(ctx, { companyId: ctx.companyId, name: input.name });
    // The header and the company switcher show the name on every page.
    revalidatePath("/", "layout");
    return { message: `The company is now called '${company.name}'` };
  },
);

export async function renameCompanyAction(
  _previous: RenameCompanyState,
  formData: FormData,
): Promise<RenameCompanyState> {
  return renameCompany(formData);
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
