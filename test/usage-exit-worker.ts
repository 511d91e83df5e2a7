/**
 * A server process for the usage recorder's shutdown test: on the Postgres named by DATABASE_URL it
 * records `--requests` API requests of the company USAGE_WORKER_COMPANY (buffered, not yet written),
 * says so on stdout, and stays up until a signal ends it.
 */
import { parseArgs } from "node:util";
import { getDatabase } from "@/db";
import { bufferedUsageCount, recordApiRequest } from "@/lib/usage/recorder";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: "string", default: "3" } } });
  await getDatabase();
  for (let request = 0; request < Number(values.requests); request += 1) {
    recordApiRequest({
      companyId: process.env.USAGE_WORKER_COMPANY ?? "",
      userId: null,
      apiKeyId: null,
      method: "GET",
      route: "/api/jobs",
      statusCode: 200,
      durationMs: 1,
      at: new Date(),
    });
  }
  process.stdout.write(`buffered ${bufferedUsageCount()}\n`);
  // Up until signalled, as a server is (the buffer's own timer does not hold the process).
  setInterval(() => {}, 60_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
