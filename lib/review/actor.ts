import "server-only";
import { findCompanyMember } from "@/db/queries/memberships";
import type { TenantContext } from "@/lib/auth/context";
import { invalidField } from "@/lib/errors";

/** How a member is named on what they resolve: their email, or their user id when they have none. */
const memberName = (user: { id: string; email: string | null }): string => user.email ?? user.id;

/** How a caller is named on what they resolve: a member's name, or `api-key:<name>` for a program. */
export function actorName(ctx: TenantContext): string {
  if (ctx.user) return memberName(ctx.user);
  if (ctx.apiKey) return `api-key:${ctx.apiKey.name}`;
  return "unknown";
}

/**
 * The name to record for a `resolved_by` a client gave: it must name a member of the caller's
 * company by user id or email (any case), and is recorded the way actorName names that member, so
 * that an issue never names someone outside the company. 400 naming the field otherwise.
 */
export async function resolverNamed({
  companyId,
  resolvedBy,
}: {
  companyId: string;
  resolvedBy: string | undefined;
}): Promise<string | undefined> {
  if (resolvedBy === undefined) return undefined;
  const member = await findCompanyMember({ companyId, idOrEmail: resolvedBy });
  if (member) return memberName(member);
  throw invalidField("body.resolved_by", `no member of this company has the user id or email "${resolvedBy}"`);
}
