import type { TenantContext } from "@/lib/auth/context";

/** How a caller is named on what they resolve: their email, or `api-key:<name>` for a program. */
export function actorName(ctx: TenantContext): string {
  if (ctx.user) return ctx.user.email ?? ctx.user.id;
  if (ctx.apiKey) return `api-key:${ctx.apiKey.name}`;
  return "unknown";
}
