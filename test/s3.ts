import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect } from "vitest";
import { env } from "@/lib/env";
import { createS3Storage, getStorage, resetStorageForTests, setStorageForTests } from "@/lib/storage";
import { createS3Client } from "@/lib/storage/s3";

/**
 * A real S3-protocol server for tests: s3rver, with its files under a temporary directory. It speaks
 * enough S3 for the driver (presigned URLs, multipart uploads, ListObjectsV2, ranges) but does not
 * check SigV4 signatures or their expiry, and has no AbortMultipartUpload.
 *
 * It runs in a child Node process started with --openssl-legacy-provider: s3rver makes its
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node ≥ 17) only has in its legacy
 * provider, so in-process every truncated listing fails with ERR_OSSL_EVP_UNSUPPORTED (a 500).
 *
 *   const s3 = await startS3rver();   // in beforeAll
 *   const storage = createS3Storage({ bucket: s3.bucket, client: s3.client, … });
 *   await s3.close();                 // in afterAll
 */

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export type TestS3 = {
  endpoint: string;
  bucket: string;
  region: string;
  /** A client configured as the app's own (createS3Client), with s3rver's fixed credentials. */
  client: S3Client;
  close(): Promise<void>;
};

// Runs in the child: starts s3rver on a free port, prints the port, and stops when stdin closes
// (the test process ended or closed it), so that no server outlives its tests.
const SERVER_SCRIPT = `
const S3rver = require(process.env.S3RVER_MODULE);
const server = new S3rver({
  port: 0,
  address: "127.0.0.1",
  silent: true,
  directory: process.env.S3RVER_DIRECTORY,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET }],
});
server.run().then(
  ({ port }) => process.stdout.write(JSON.stringify({ port }) + "\\n"),
  (error) => { console.error(error); process.exit(1); },
);
process.stdin.on("end", () => server.close().finally(() => process.exit(0)));
process.stdin.resume();
`;

export async function startS3rver(bucket = "intake-test"): Promise<TestS3> {
  const directory = await mkdtemp(path.join(tmpdir(), "intake-s3rver-"));
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "--no-deprecation", "-e", SERVER_SCRIPT], {
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      S3RVER_MODULE: createRequire(import.meta.url).resolve("s3rver"),
      S3RVER_DIRECTORY: directory,
      S3RVER_BUCKET: bucket,
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let port: number;
  try {
    port = await readPort(child);
  } catch (error) {
    child.kill();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const region = "us-east-1";
  const client = createS3Client({ region, endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    bucket,
    region,
    client,
    async close() {
      client.destroy();
      await stop(child);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) return reject(new Error("s3rver: no stdout"));
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error("s3rver did not start within 20 s")), 20_000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      const parsed = JSON.parse(line) as { port?: unknown };
      if (typeof parsed.port === "number") resolve(parsed.port);
      else reject(new Error(`s3rver: unexpected output ${line}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with code ${code} before it started`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}

/**
 * Registers hooks in the current `describe` that run it on one storage driver: the local disk (the
 * default), or the app's S3 driver pointed at the s3rver `s3()` gives (started in an outer beforeAll).
 */
export function useStorageDriver(kind: "local" | "s3", s3: () => TestS3): void {
  beforeAll(() => {
    resetStorageForTests();
    if (kind === "s3") {
      const { bucket, region, client } = s3();
      setStorageForTests(
        createS3Storage({ bucket, region, forcePathStyle: true, client, maxUploadBytes: env().MAX_UPLOAD_BYTES }),
      );
    }
    expect(getStorage().kind).toBe(kind);
  });
  afterAll(() => resetStorageForTests());
}
