import type { Group } from "@/lib/auth/groups";
import type { RequestLimits } from "@/lib/limits/request-limits";

export type AuthMethod = "session" | "access_token" | "api_key" | "cognito";

/** Who is calling and in which company: every handler and query works inside one of these. */
export type TenantContext = {
  method: AuthMethod;
  companyId: string;
  companyName: string;
  companySlug: string;
  groups: Group[];
  user: { id: string; email: string | null; name: string | null; isPlatformAdmin: boolean } | null;
  apiKey: { id: string; name: string } | null;
  /** The company's request limits, read with the membership or key (absent: the defaults apply). */
  rateLimits?: RequestLimits;
};
