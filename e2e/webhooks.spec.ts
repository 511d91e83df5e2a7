import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "../lib/webhooks/verify";
import { expect, test } from "./fixtures/test";
import { SignInPage } from "./pages/sign-in-page";
import { WebhooksPage } from "./pages/webhooks-page";

type Received = { headers: Record<string, string | string[] | undefined>; rawBody: string };

test("an admin creates a webhook to a local receiver, sees its secret once, sends a test event and sees it delivered with 200", async ({
  page,
}) => {
  const received: Received[] = [];
  const receiver = createServer((request, response) => {
    let rawBody = "";
    request.on("data", (chunk: Buffer) => (rawBody += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ headers: request.headers, rawBody });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/${Date.now()}`;
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
    const [request] = received;
    expect(
      verifyWebhookSignature({
        secret,
        rawBody: request?.rawBody ?? "",
        timestamp: String(request?.headers["intake-webhook-timestamp"] ?? ""),
        signature: String(request?.headers["intake-webhook-signature"] ?? ""),
      }),
    ).toBe(true);
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
