import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { assertMetricsToken, presentsMetricsToken } from "@/lib/auth/metrics-token";

const TOKEN = "scraper-token-0123456789abcdef";

describe("presentsMetricsToken", () => {
  it.each([
    { header: `Bearer ${TOKEN}`, expected: true },
    { header: "bearer something-else", expected: true },
    { header: `Bearer ik_${"a".repeat(30)}`, expected: false },
    { header: "Bearer aaa.bbb.ccc", expected: false },
    { header: "Basic dXNlcjpwYXNz", expected: false },
    { header: null, expected: false },
  ])("$header → $expected", ({ header, expected }) => {
    expect(presentsMetricsToken(header)).toBe(expected);
  });
});

describe("assertMetricsToken", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  it.each([
    { configured: TOKEN, header: `Bearer ${TOKEN}`, refusal: null },
    { configured: TOKEN, header: `Bearer ${TOKEN}x`, refusal: /not this deployment's METRICS_TOKEN/ },
    { configured: TOKEN, header: "Bearer short", refusal: /not this deployment's METRICS_TOKEN/ },
    { configured: "", header: `Bearer ${TOKEN}`, refusal: /METRICS_TOKEN is not set/ },
  ])("METRICS_TOKEN='$configured', $header", ({ configured, header, refusal }) => {
    vi.stubEnv("METRICS_TOKEN", configured);
    resetEnvForTests();
    if (!refusal) {
      expect(() => assertMetricsToken(header)).not.toThrow();
      return;
    }
    let thrown: unknown;
    try {
      assertMetricsToken(header);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe("FORBIDDEN");
    expect((thrown as DomainError).message).toMatch(refusal);
  });
});
