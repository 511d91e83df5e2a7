import type { TenantContext } from "@/lib/auth/context";
import { DomainError } from "@/lib/errors";

/** Refuses everyone but a platform administrator (an API key never is one: it acts within its company). */
export function assertPlatformAdmin(ctx: TenantContext): void {
  if (ctx.user?.isPlatformAdmin) return;
  throw new DomainError(
    "FORBIDDEN",
    ctx.apiKey
      ? "This is for platform administrators; an API key acts within its own company and cannot do it"
      : "This is for platform administrators; your account is not one",
    { required: "platform_admin" },
  );
}
