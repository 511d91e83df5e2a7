import "server-only";
import type { NextRequest } from "next/server";
import { ApiError } from "@/lib/api/errors";
import type { RouteContract } from "@/lib/api/contract";
import type { CompanyKnown } from "@/lib/auth/bearer";
import type { TenantContext } from "@/lib/auth/context";
import { env } from "@/lib/env";
import { DIRECT_ADDRESS, requestAddress } from "@/lib/limits/client-address";
import {
  addressSubject,
  companySubject,
  countRequest,
  DEFAULT_REQUEST_LIMITS,
  judgeRequest,
  type RateLimitVerdict,
  type WindowCount,
} from "@/lib/limits/request-limits";
import { logger } from "@/lib/logger";
import { incrementRateLimitRejections } from "@/lib/metrics/registry";

/** One request's rate-limit count: started early by authentication, judged once the caller is known. */
export type RequestMeter = {
  onCompany: CompanyKnown;
  /** The verdict for the request as authenticated (null: not metered, or the count could not be made). */
  verdict: (ctx: TenantContext | null) => Promise<RateLimitVerdict | null>;
};

export function requestMeter(contract: RouteContract, request: NextRequest): RequestMeter {
  const metered = contract.metered !== false && env().RATE_LIMIT_ENABLED;
  let counting: { subject: string; counts: Promise<WindowCount[]> } | null = null;
  let decided: Promise<RateLimitVerdict | null> | null = null;

  const start = (subject: string) => {
    const counts = countRequest(subject);
    // Judged later, or never when authentication fails before: not an unhandled rejection meanwhile.
    counts.catch(() => undefined);
    return (counting = { subject, counts });
  };

  // A caller without a company counts by its address, known only behind a trusted proxy; unknown, it is
  // not limited here (one shared count would let anyone lock every anonymous caller out).
  const subjectOf = (ctx: TenantContext | null): string | null => {
    if (ctx) return companySubject(ctx.companyId);
    if (counting) return counting.subject;
    const address = requestAddress(request.headers);
    return address === DIRECT_ADDRESS ? null : addressSubject(address);
  };

  const decide = async (ctx: TenantContext | null): Promise<RateLimitVerdict | null> => {
    const subject = metered ? subjectOf(ctx) : null;
    if (!subject) return null;
    const current = counting?.subject === subject ? counting : start(subject);
    try {
      return judgeRequest(await current.counts, ctx?.rateLimits ?? DEFAULT_REQUEST_LIMITS);
    } catch (error) {
      // The request's own statements meet the same database; the limit fails open rather than failing them.
      logger().warn({ err: error, subject }, "rate-limit count failed; request not limited");
      return null;
    }
  };

  return {
    onCompany: (companyId) => {
      if (metered && !counting) start(companySubject(companyId));
    },
    verdict: (ctx) => (decided ??= decide(ctx)),
  };
}

/** The 429 for a refused request (counted in intake_rate_limit_rejections_total). */
export function rateLimitExceeded(verdict: RateLimitVerdict, ctx: TenantContext | null): ApiError {
  incrementRateLimitRejections(ctx ? "company" : "address");
  const retryAfter = verdict.retryAfterSeconds ?? 1;
  const who = ctx ? `The company '${ctx.companyName}'` : "This client address";
  return new ApiError(
    "RATE_LIMIT_EXCEEDED",
    `Too many requests: ${who} may make ${verdict.limit} requests a ${verdict.window}; try again in ${retryAfter} second${retryAfter === 1 ? "" : "s"}`,
    { limit: verdict.limit, window: verdict.window, retry_after_seconds: retryAfter },
    { "Retry-After": String(retryAfter) },
  );
}

/** The X-RateLimit-* headers every metered response carries. */
export function rateLimitHeaders(verdict: RateLimitVerdict): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(verdict.limit),
    "X-RateLimit-Remaining": String(verdict.remaining),
    "X-RateLimit-Reset": String(verdict.resetAt),
  };
}
