import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "../lib/webhooks/verify";
import { expect, test } from "./fixtures/test";
import { SignInPage } from "./pages/sign-in-page";
import { WebhooksPage } from "./pages/webhooks-page";

type Received = { headers: Record<string, string | string[] | undefined>; rawBody: string };

/** A webhook receiver on this machine that answers 200 and keeps every request, for any path under `base`. */
async function startReceiver(): Promise<{ base: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let rawBody = "";
    request.on("data", (chunk: Buffer) => (rawBody += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ headers: request.headers, rawBody });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

function signedWith(secret: string, request: Received | undefined): boolean {
  return verifyWebhookSignature({
    secret,
    rawBody: request?.rawBody ?? "",
    timestamp: String(request?.headers["intake-webhook-timestamp"] ?? ""),
    signature: String(request?.headers["intake-webhook-signature"] ?? ""),
  });
}

test("an admin creates a webhook to a local receiver, sees its secret once, sends a test event and sees it delivered with 200", async ({
  page,
}) => {
  const { base, received, server } = await startReceiver();
  const url = `${base}/hooks/${Date.now()}`;
  try {
    await new SignInPage(page).signIn();
    const webhooks = new WebhooksPage(page);
    await webhooks.open();

    const secret = await webhooks.create(url, ["job.completed", "session.completed"]);
    expect(secret).toMatch(/^whsec_/);
    const item = webhooks.webhook(url);
    await expect(item).toContainText("Active");
    await expect(item).toContainText("job.completed, session.completed");
    await expect(webhooks.section).not.toContainText(secret);

    await webhooks.sendTestEvent(url);
    const row = webhooks.deliveries(url).getByRole("row").filter({ hasText: "ping" });
    await expect(row.getByRole("cell", { name: "SUCCEEDED" })).toBeVisible();
    await expect(row.getByRole("cell", { name: "200", exact: true })).toBeVisible();

    expect(received).toHaveLength(1);
    expect(signedWith(secret, received[0])).toBe(true);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("an admin edits a webhook's URL and events, is told why a bad edit is refused, and rotates its secret", async ({
  page,
}) => {
  const { base, received, server } = await startReceiver();
  const firstUrl = `${base}/hooks/${Date.now()}`;
  const url = `${firstUrl}/v2`;
  try {
    await new SignInPage(page).signIn();
    const webhooks = new WebhooksPage(page);
    await webhooks.open();
    const oldSecret = await webhooks.create(firstUrl, ["job.completed"]);

    // The form opens filled with the webhook as it is.
    await webhooks.webhook(firstUrl).getByRole("button", { name: "Edit", exact: true }).click();
    const firstForm = webhooks.editForm(firstUrl);
    await expect(firstForm.getByLabel("URL")).toHaveValue(firstUrl);
    await expect(firstForm.getByRole("checkbox", { name: "job.completed", exact: true })).toBeChecked();
    await expect(firstForm.getByRole("checkbox", { name: "job.failed", exact: true })).not.toBeChecked();

    await webhooks.submitEdit(firstUrl, {
      url,
      description: "CRM sync",
      events: ["job.failed", "session.completed"],
    });
    const item = webhooks.webhook(url);
    await expect(item.getByRole("status")).toHaveText("Changes saved.");
    await expect(item).toContainText("job.failed, session.completed · secret");
    await expect(item).toContainText("CRM sync");
    await expect(webhooks.webhook(firstUrl)).toHaveCount(0);

    await page.reload();
    await expect(item).toContainText("job.failed, session.completed · secret");
    await expect(item).toContainText("CRM sync");

    // Refusals: the server's reason beside the form, what was typed kept, nothing saved.
    const form = await webhooks.submitEdit(url, { url: "ftp://example.com/hooks", description: "Typed, not saved" });
    await expect(form.getByRole("alert")).toHaveText("URL: must use https (or http outside production), not ftp");
    await expect(form.getByLabel("URL")).toHaveValue("ftp://example.com/hooks");
    await expect(form.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("Description (optional)")).toHaveValue("Typed, not saved");
    await webhooks.submitEdit(url, { url, events: [] });
    await expect(form.getByRole("alert")).toHaveText("Events: must name at least one event");
    await form.getByRole("button", { name: "Cancel" }).click();
    await expect(form).toBeHidden();
    await expect(item).toContainText("job.failed, session.completed · secret");
    await expect(item).not.toContainText("Typed, not saved");

    const newSecret = await webhooks.rotateSecret(url);
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    await expect(webhooks.section).not.toContainText(newSecret);

    await webhooks.sendTestEvent(url);
    const row = webhooks.deliveries(url).getByRole("row").filter({ hasText: "ping" });
    await expect(row.getByRole("cell", { name: "SUCCEEDED" })).toBeVisible();
    expect(received).toHaveLength(1);
    expect(signedWith(newSecret, received[0])).toBe(true);
    expect(signedWith(oldSecret, received[0])).toBe(false);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
