import { describe, expect, it } from "vitest";
import { ApiRequestError } from "@/components/api/request";
import type { Webhook } from "@/components/api/webhooks";
import { changesFrom, describeRefusal, draftOf, type WebhookDraft } from "./form-values";

const webhook: Webhook = {
  id: "7d3f2a52-8a8e-4c4f-9d0e-6f1f2b1c0a11",
  url: "https://example.com/hooks/intake",
  events: ["job.completed", "session.completed"],
  description: "CRM sync",
  active: true,
  secret_prefix: "whsec_abc123",
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
};

describe("changesFrom", () => {
  const cases: Array<[string, Partial<WebhookDraft>, ReturnType<typeof changesFrom>]> = [
    ["nothing changed", {}, null],
    ["the same events in another order", { events: ["session.completed", "job.completed"] }, null],
    ["only blanks around the URL", { url: "  https://example.com/hooks/intake " }, null],
    ["a new URL, trimmed", { url: " https://example.com/v2 " }, { url: "https://example.com/v2" }],
    ["one event fewer", { events: ["job.completed"] }, { events: ["job.completed"] }],
    [
      "one event swapped",
      { events: ["job.failed", "session.completed"] },
      { events: ["job.failed", "session.completed"] },
    ],
    ["no event left (the server refuses it)", { events: [] }, { events: [] }],
    ["the description emptied", { description: "  " }, { description: null }],
    ["a new description", { description: "Billing" }, { description: "Billing" }],
    [
      "URL and description",
      { url: "https://example.com/v2", description: "" },
      { url: "https://example.com/v2", description: null },
    ],
  ];
  it.each(cases)("%s", (_name, edit, expected) => {
    expect(changesFrom(webhook, { ...draftOf(webhook), ...edit })).toEqual(expected);
  });

  it("sets a description on a webhook without one", () => {
    const bare = { ...webhook, description: null };
    expect(changesFrom(bare, draftOf(bare))).toBeNull();
    expect(changesFrom(bare, { ...draftOf(bare), description: "New" })).toEqual({ description: "New" });
  });
});

describe("describeRefusal", () => {
  const refusal = (fields: unknown) =>
    new ApiRequestError({ status: 400, code: "VALIDATION_ERROR", message: "Invalid body.url: …", details: { fields } });
  const cases: Array<[string, Error, ReturnType<typeof describeRefusal>]> = [
    [
      "a refused URL",
      refusal([{ field: "body.url", reason: "must use https (or http outside production), not ftp" }]),
      { field: "url", message: "URL: must use https (or http outside production), not ftp" },
    ],
    [
      "no event chosen",
      refusal([{ field: "body.events", reason: "must name at least one event" }]),
      { field: "events", message: "Events: must name at least one event" },
    ],
    [
      "an unknown event, named by its index",
      refusal([{ field: "body.events.0", reason: "Invalid option" }]),
      { field: "events", message: "Events: Invalid option" },
    ],
    [
      "a field the form does not have",
      refusal([{ field: "body", reason: "give at least one of url, events, description, active" }]),
      { field: null, message: "Invalid body.url: …" },
    ],
    [
      "a refusal without fields",
      new ApiRequestError({ status: 404, code: "NOT_FOUND", message: "The company has no webhook x" }),
      { field: null, message: "The company has no webhook x" },
    ],
    [
      "a network failure",
      new Error("Could not reach the server"),
      { field: null, message: "Could not reach the server" },
    ],
  ];
  it.each(cases)("%s", (_name, error, expected) => {
    expect(describeRefusal(error)).toEqual(expected);
  });
});
