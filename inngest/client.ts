import { Inngest } from "inngest";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

let client: Inngest | undefined;

/**
 * The Inngest client, configured from lib/env. Created on first use rather than at import, so that
 * building the app never needs the runtime configuration.
 */
export function inngest(): Inngest {
  if (!client) {
    const config = env();
    client = new Inngest({
      id: "intake",
      eventKey: config.INNGEST_EVENT_KEY,
      signingKey: config.INNGEST_SIGNING_KEY,
      baseUrl: config.INNGEST_BASE_URL,
      isDev: config.INNGEST_DEV,
      logger: logger().child({ component: "inngest" }),
    });
  }
  return client;
}
