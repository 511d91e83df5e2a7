/**
 * A second (third, …) API server for the rate-limit tests: in its own process, on the Postgres named by
 * DATABASE_URL, it sends `--requests` parallel GET /api/jobs through the real route handler with the
 * API key in RATE_LIMIT_WORKER_KEY, and prints the statuses and rate-limit headers as one JSON line.
 */
import { parseArgs } from "node:util";
import { NextRequest } from "next/server";
import { GET as listJobs } from "@/app/api/jobs/route";
import { getDatabase } from "@/db";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: "string", default: "10" } } });
  const key = process.env.RATE_LIMIT_WORKER_KEY ?? "";
  const results = await Promise.all(
    Array.from({ length: Number(values.requests) }, async () => {
      const request = new NextRequest("http://localhost:3000/api/jobs", {
        headers: { authorization: `Bearer ${key}` },
      });
      const response = await listJobs(request, { params: Promise.resolve({}) });
      return {
        status: response.status,
        limit: response.headers.get("x-ratelimit-limit"),
        remaining: response.headers.get("x-ratelimit-remaining"),
      };
    }),
  );
  process.stdout.write(`${JSON.stringify(results)}\n`);
  await (await getDatabase()).close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
