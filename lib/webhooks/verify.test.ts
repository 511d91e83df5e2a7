import { describe, expect, it } from "vitest";
import { signedHeaders } from "@/lib/webhooks/sign";
import { verifyWebhookSignature } from "@/lib/webhooks/verify";

const secret = "whsec_test-secret-for-signatures";
const body = JSON.stringify({ id: "3f0e…", type: "job.completed", created_at: "2026-01-01T00:00:00.000Z", data: {} });
const now = 1_767_225_600;
const headers = signedHeaders({ secret, eventId: "3f0e", event: "job.completed", body, timestamp: now });
const signature = headers["Intake-Webhook-Signature"] ?? "";
const flipped = signature.slice(0, -1) + (signature.endsWith("0") ? "1" : "0");

describe("verifyWebhookSignature (the README's check)", () => {
  it.each([
    ["the signed request", { rawBody: body, timestamp: String(now), signature, nowSeconds: now }, true],
    [
      "within the 5-minute tolerance",
      { rawBody: body, timestamp: String(now), signature, nowSeconds: now + 300 },
      true,
    ],
    [
      "one of several signatures",
      { rawBody: body, timestamp: String(now), signature: `v1=${"0".repeat(64)} ${signature}`, nowSeconds: now },
      true,
    ],
    ["a tampered signature", { rawBody: body, timestamp: String(now), signature: flipped, nowSeconds: now }, false],
    [
      "a tampered body",
      { rawBody: body.replace("job.completed", "job.failed"), timestamp: String(now), signature, nowSeconds: now },
      false,
    ],
    ["a changed timestamp", { rawBody: body, timestamp: String(now + 1), signature, nowSeconds: now }, false],
    ["a replay past the tolerance", { rawBody: body, timestamp: String(now), signature, nowSeconds: now + 301 }, false],
    [
      "another secret",
      { rawBody: body, timestamp: String(now), signature, nowSeconds: now, secret: "whsec_other" },
      false,
    ],
    ["no signature", { rawBody: body, timestamp: String(now), signature: null, nowSeconds: now }, false],
    ["no timestamp", { rawBody: body, timestamp: null, signature, nowSeconds: now }, false],
    [
      "an unknown version",
      { rawBody: body, timestamp: String(now), signature: signature.replace("v1=", "v0="), nowSeconds: now },
      false,
    ],
    ["a short signature", { rawBody: body, timestamp: String(now), signature: "v1=abcd", nowSeconds: now }, false],
  ])("%s → %s", (_name, input, expected) => {
    expect(verifyWebhookSignature({ secret, ...input })).toBe(expected);
  });

  it("signs with the documented headers", () => {
    expect(Object.keys(headers)).toEqual(
      expect.arrayContaining([
        "Intake-Webhook-Id",
        "Intake-Webhook-Event",
        "Intake-Webhook-Timestamp",
        "Intake-Webhook-Signature",
      ]),
    );
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
  });
});
