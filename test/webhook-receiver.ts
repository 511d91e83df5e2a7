import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "@/lib/webhooks/verify";

export type ReceivedDelivery = { headers: Record<string, string>; rawBody: string };

/**
 * A webhook receiver on a local port for tests: it records every request and answers with the next
 * status of `statuses` (the last one once they run out).
 */
export async function startReceiver(statuses: number[] = [200]): Promise<{
  url: string;
  received: ReceivedDelivery[];
  close: () => Promise<void>;
}> {
  const received: ReceivedDelivery[] = [];
  const server: Server = createServer((request, response) => {
    let rawBody = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (rawBody += chunk));
    request.on("end", () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(", ") : (value ?? ""),
        ]),
      );
      received.push({ headers, rawBody });
      response.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/intake`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Whether a received delivery carries a valid signature for `secret` (the README's check); false for none. */
export function signedWith(secret: string, delivery: ReceivedDelivery | undefined): boolean {
  return verifyWebhookSignature({
    secret,
    rawBody: delivery?.rawBody ?? "",
    timestamp: delivery?.headers["intake-webhook-timestamp"] ?? null,
    signature: delivery?.headers["intake-webhook-signature"] ?? null,
  });
}
