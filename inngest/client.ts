import { Inngest } from "inngest";
import { inngestSettings } from "@/lib/env";
import type { EventSender } from "@/lib/background/dispatch";
import { logger } from "@/lib/logger";

const settings = inngestSettings();

// The app logger is created on first use, so that loading this module never needs the runtime configuration.
const lazyLogger = {
  info: (...args: unknown[]) => logger().child({ component: "inngest" }).info(args.map(String).join(" ")),
  warn: (...args: unknown[]) => logger().child({ component: "inngest" }).warn(args.map(String).join(" ")),
  error: (...args: unknown[]) => logger().child({ component: "inngest" }).error(args.map(String).join(" ")),
  debug: (...args: unknown[]) => logger().child({ component: "inngest" }).debug(args.map(String).join(" ")),
};

export const inngest = new Inngest({
  id: "intake",
  eventKey: settings.INNGEST_EVENT_KEY,
  signingKey: settings.INNGEST_SIGNING_KEY,
  baseUrl: settings.INNGEST_BASE_URL,
  isDev: settings.INNGEST_DEV,
  logger: lazyLogger,
});

/** How dispatch hands events to Inngest (lib/background/dispatch.ts); set at start-up by instrumentation.ts. */
export const sendToInngest: EventSender = (event) => inngest.send(event);
