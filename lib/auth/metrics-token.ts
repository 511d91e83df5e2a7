import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { looksLikeJwt } from "@/lib/auth/access-tokens";
import { isApiKey } from "@/lib/auth/api-keys";
import { bearerTokenOf } from "@/lib/auth/bearer";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";

/**
 * Who is asking for the metrics, from the Authorization header: a scraper presenting a bearer that
 * is no API key or JWT means the metrics token; anything else is a caller identified the usual way
 * (only a platform administrator gets through).
 */
export function presentsMetricsToken(authorization: string | null): boolean {
  const token = bearerTokenOf(authorization);
  return token !== null && !isApiKey(token) && !looksLikeJwt(token);
}

/** Refuses a bearer that is not this deployment's METRICS_TOKEN (compared in constant time). */
export function assertMetricsToken(authorization: string | null): void {
  const expected = env().METRICS_TOKEN;
  if (!expected) {
    throw new DomainError(
      "FORBIDDEN",
      "METRICS_TOKEN is not set on this deployment: only platform administrators may read the metrics",
      { required: "platform_admin" },
    );
  }
  const presented = bearerTokenOf(authorization) ?? "";
  // Equal-length digests, so the comparison takes the same time whatever was sent.
  if (!timingSafeEqual(digest(presented), digest(expected))) {
    throw new DomainError("FORBIDDEN", "The bearer token is not this deployment's METRICS_TOKEN", {
      required: "metrics_token",
    });
  }
}

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();
