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
  ALL_WINDOWS,
  uncountRequest,
  type RateLimitVerdict,
  type WindowCount,
  type WindowName,
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
  const anonymousSubject = (): string | null => {
    const address = requestAddress(request.headers);
    return address === DIRECT_ADDRESS ? null : addressSubject(address);
  };

  const giveBack = async (
    counted: { subject: string; counts: Promise<WindowCount[]> },
    windows: readonly WindowName[],
  ) => {
    try {
      // Only once it was counted, or the point would come back before it was taken.
      await counted.counts;
      if (windows.length) await uncountRequest(counted.subject, windows);
    } catch (error) {
      logger().warn({ err: error, subject: counted.subject }, "rate-limit count could not be given back");
    }
  };

  const decide = async (ctx: TenantContext | null): Promise<RateLimitVerdict | null> => {
    if (!metered) return null;
    const subject = ctx ? companySubject(ctx.companyId) : anonymousSubject();
    // Counted early against the company its credentials named, the request turned out not to be that
    // company's (refused credentials, or a session fallen back to another company): give the point back,
    // so that a revoked token's holder cannot spend a company's limit.
    if (counting && counting.subject !== subject) await giveBack(counting, ALL_WINDOWS);
    if (!subject) return null;
    const current = counting?.subject === subject ? counting : start(subject);
    try {
      const verdict = judgeRequest(await current.counts, ctx?.rateLimits ?? DEFAULT_REQUEST_LIMITS);
      if (!verdict.allowed) {
        await giveBack(
          current,
          ALL_WINDOWS.filter((window) => !verdict.refusedWindows.includes(window)),
        );
      }
      return verdict;
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
