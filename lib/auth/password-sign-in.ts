import "server-only";
import { CredentialsSignin } from "@auth/core/errors";
import { z } from "zod";
import { resolveMembership } from "@/db/queries/memberships";
import { findSuspendedMembership } from "@/db/queries/tenants";
import { credentialOf, credentialStamp } from "@/lib/auth/credential-stamp";
import { userWithPassword } from "@/lib/auth/sign-in-limits";
import { RateLimitedError } from "@/lib/errors";
import { requestAddress } from "@/lib/limits/client-address";

const credentialsSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});

class NoCompanySignin extends CredentialsSignin {
  override code = "no_company";
}

class SuspendedCompanySignin extends CredentialsSignin {
  override code = "company_suspended";
}

/** Too many failed sign-ins; the form shows `message`, which says when to try again. */
export const RATE_LIMITED_CODE = "rate_limited";

export class RateLimitedSignin extends CredentialsSignin {
  override code = RATE_LIMITED_CODE;
  readonly retryAfterSeconds: number;

  /** The refusal as people read it (Auth.js appends a link to its own `message`). */
  readonly tryAgain: string;

  constructor(limited: RateLimitedError) {
    super(limited.message);
    this.retryAfterSeconds = limited.retryAfterSeconds;
    this.tryAgain = limited.message;
  }
}

/** The Credentials provider's check of the form's email and password, under the guessing limits. */
export async function authorizeWithPassword(raw: Partial<Record<string, unknown>>, request: Request) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const user = await userWithPassword({ ...parsed.data, address: requestAddress(request.headers) }).catch(
    (error: unknown) => {
      throw error instanceof RateLimitedError ? new RateLimitedSignin(error) : error;
    },
  );
  if (!user) return null;
  const membership = await resolveMembership({ userId: user.id });
  if (!membership) {
    const suspended = await findSuspendedMembership({ userId: user.id, companyId: null });
    throw suspended ? new SuspendedCompanySignin() : new NoCompanySignin();
  }
  // Stamped from the hash just verified: a reset racing this sign-in ends the new session too.
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    credentialStamp: credentialStamp(credentialOf(user)),
  };
}
