import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { env } from "@/lib/env";

/**
 * JSON logs (one object a line, with timestamp, level, message and context such as request_id,
 * user_id, company_id, duration_ms), or readable lines with LOG_FORMAT=simple.
 */
function createLogger(): Logger {
  const config = env();
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    messageKey: "message",
    base: { service: "intake" },
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
  };
  if (config.LOG_FORMAT === "simple") {
    // Synchronous, in-thread formatting: pino's worker-thread transports do not survive bundling.
    return pino(
      options,
      pretty({ sync: true, messageKey: "message", ignore: "service", translateTime: "SYS:HH:MM:ss.l" }),
    );
  }
  return pino({ ...options, formatters: { level: (label) => ({ level: label.toUpperCase() }) } });
}

const globalForLogger = globalThis as unknown as { intakeLogger?: Logger };

export function logger(): Logger {
  globalForLogger.intakeLogger ??= createLogger();
  return globalForLogger.intakeLogger;
}
