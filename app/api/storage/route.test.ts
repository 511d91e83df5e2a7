import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { getStorage, resetStorageForTests } from "@/lib/storage";
import { DELETE, GET, POST, PUT } from "./[...key]/route";

const ORIGIN = "http://localhost:3000";
const KEY = "uploads/company-1/5f0c2f8e-3a8e-4a57-9d1e-2b7c1d9e4f10/contatos São Paulo (1).csv";
const CSV = "email,first_name,last_name,company\nana@example.com,Ana,Silva,Acme\n";

type Method = "GET" | "PUT" | "POST" | "DELETE" | "HEAD";

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "intake-storage-route-"));
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("S3_BUCKET", "");
  vi.stubEnv("MAX_UPLOAD_BYTES", String(1024 * 1024));
  resetEnvForTests();
  resetStorageForTests();
});

afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetEnvForTests();
  resetStorageForTests();
  await rm(dataDir, { recursive: true, force: true });
});

/** A body that arrives in pieces, as an upload over the network does. */
function chunked(text: string, size = 16): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** Calls the route the way Next does: the key's path segments decoded, one per element. */
async function call(
  method: Method,
  url: string,
  init: { body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Response> {
  const { pathname } = new URL(url);
  const key = pathname
    .replace(/^\/api\/storage\//, "")
    .split("/")
    .map(decodeURIComponent);
  const request = new NextRequest(url, { method, body: init.body, headers: init.headers, duplex: "half" });
  const context = { params: Promise.resolve({ key }) };
  const handler = { GET, HEAD: GET, PUT, POST, DELETE }[method];
  return handler(request, context);
}

async function signedPut(size: number, key = KEY) {
  return getStorage().signUpload({ key, contentType: "text/csv", size, expiresInSeconds: 600, origin: ORIGIN });
}

async function signedGet(fileName?: string, key = KEY) {
  return getStorage().signDownload({ key, expiresInSeconds: 600, origin: ORIGIN, fileName });
}

const objectsDir = () => path.join(dataDir, "objects");
const objectFile = (key = KEY) => path.join(objectsDir(), ...key.split("/"));

/** Every file under the objects directory (temporary ones included). */
async function filesOnDisk(): Promise<string[]> {
  if (!existsSync(objectsDir())) return [];
  const entries = await readdir(objectsDir(), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

type Envelope = { error: { code: string; message: string; details: unknown; request_id: string; timestamp: string } };

async function expectEnvelope(response: Response, status: number, code: string): Promise<Envelope["error"]> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Envelope;
  expect(body.error).toMatchObject({ code });
  expect(body.error.request_id).toBe(response.headers.get("x-request-id"));
  expect(Number.isNaN(Date.parse(body.error.timestamp))).toBe(false);
  return body.error;
}

describe("storage route (local driver)", () => {
  it("stores a signed PUT's streamed bytes and serves them to a signed GET", async () => {
    expect(getStorage().kind).toBe("local");
    const upload = await signedPut(Buffer.byteLength(CSV));
    const put = await call("PUT", upload.url, {
      body: chunked(CSV),
      headers: { ...upload.headers, "X-Request-Id": "req-123" },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get("x-request-id")).toBe("req-123");
    expect(await put.json()).toEqual({ key: KEY, size: Buffer.byteLength(CSV) });
    expect(await readFile(objectFile(), "utf8")).toBe(CSV);
    expect(await filesOnDisk()).toEqual([objectFile()]);

    const download = await signedGet("contatos São Paulo (1).csv");
    const get = await call("GET", download.url);
    expect(get.status).toBe(200);
    expect(get.headers.get("content-type")).toBe("text/csv");
    expect(get.headers.get("content-length")).toBe(String(Buffer.byteLength(CSV)));
    expect(get.headers.get("content-disposition")).toBe(
      `attachment; filename="contatos S_o Paulo (1).csv"; filename*=UTF-8''contatos%20S%C3%A3o%20Paulo%20%281%29.csv`,
    );
    expect(await get.text()).toBe(CSV);

    // Without a signed file name: no attachment header.
    const plain = await call("GET", (await signedGet()).url);
    expect(plain.headers.get("content-disposition")).toBeNull();
    expect(await plain.text()).toBe(CSV);

    const head = await call("HEAD", download.url);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(CSV)));
  });

  it("accepts a body given whole, with its Content-Length, and an empty body", async () => {
    const upload = await signedPut(Buffer.byteLength(CSV));
    const put = await call("PUT", upload.url, {
      body: CSV,
      headers: { "Content-Type": "text/csv", "Content-Length": String(Buffer.byteLength(CSV)) },
    });
    expect(put.status).toBe(200);
    expect(await readFile(objectFile(), "utf8")).toBe(CSV);

    const empty = await call("PUT", (await signedPut(0, "uploads/empty.csv")).url);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ key: "uploads/empty.csv", size: 0 });
  });

  type ForbiddenCase = {
    name: string;
    method: "GET" | "PUT";
    url: () => Promise<string>;
    reason: string;
    message: RegExp;
    later?: boolean;
  };

  const tamper = async (url: Promise<{ url: string }>, edit: (u: URL) => void) => {
    const parsed = new URL((await url).url);
    edit(parsed);
    return parsed.toString();
  };

  it.each<ForbiddenCase>([
    {
      name: "tampered signature",
      method: "PUT",
      url: () => tamper(signedPut(10), (u) => u.searchParams.set("sig", "0".repeat(64))),
      reason: "bad-signature",
      message: /signature/,
    },
    {
      name: "raised size limit",
      method: "PUT",
      url: () => tamper(signedPut(10), (u) => u.searchParams.set("size", "999999")),
      reason: "bad-signature",
      message: /signature/,
    },
    {
      name: "another key",
      method: "PUT",
      url: () => tamper(signedPut(10), (u) => (u.pathname = u.pathname.replace("company-1", "company-2"))),
      reason: "bad-signature",
      message: /signature/,
    },
    {
      name: "another download name",
      method: "GET",
      url: () => tamper(signedGet("a.csv"), (u) => u.searchParams.set("name", "b.html")),
      reason: "bad-signature",
      message: /signature/,
    },
    {
      name: "expired upload",
      method: "PUT",
      url: async () => (await signedPut(10)).url,
      reason: "expired",
      message: /expired/,
      later: true,
    },
    {
      name: "expired download",
      method: "GET",
      url: async () => (await signedGet()).url,
      reason: "expired",
      message: /expired/,
      later: true,
    },
    {
      name: "download URL reused for PUT",
      method: "PUT",
      url: async () => (await signedGet()).url,
      reason: "wrong-method",
      message: /PUT/,
    },
    {
      name: "upload URL reused for GET",
      method: "GET",
      url: async () => (await signedPut(10)).url,
      reason: "wrong-method",
      message: /GET/,
    },
    {
      name: "no signature",
      method: "PUT",
      url: () => tamper(signedPut(10), (u) => u.searchParams.delete("sig")),
      reason: "malformed",
      message: /malformed/,
    },
    {
      name: "bare path",
      method: "GET",
      url: () => Promise.resolve(`${ORIGIN}/api/storage/${encodeURI(KEY)}`),
      reason: "malformed",
      message: /malformed/,
    },
  ])("$name → 403", async ({ method, url, reason, message, later }) => {
    // Something to download, so that a 403 cannot be mistaken for a 404.
    await getStorage().write(KEY, Buffer.from(CSV), { contentType: "text/csv" });
    const target = await url();
    if (later) {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 601_000);
    }
    const response = await call(method, target, method === "PUT" ? { body: "0123456789" } : {});
    const error = await expectEnvelope(response, 403, "FORBIDDEN");
    expect(error.message).toMatch(message);
    expect(error.details).toEqual({ reason });
    expect(await readFile(objectFile(), "utf8")).toBe(CSV); // a refused PUT changes nothing
  });

  it("refuses a declared Content-Length over the signed size before reading the body", async () => {
    const upload = await signedPut(10);
    // A body that never arrives: only an answer that does not wait for it can pass.
    const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) });
    const response = await call("PUT", upload.url, { body: stalled, headers: { "Content-Length": "11" } });
    const error = await expectEnvelope(response, 413, "PAYLOAD_TOO_LARGE");
    expect(error.details).toEqual({ max_bytes: 10 });
    expect(await filesOnDisk()).toEqual([]);
  });

  it("stops a streamed body that grows past the signed size and leaves nothing behind", async () => {
    const upload = await signedPut(100);
    const response = await call("PUT", upload.url, { body: chunked("y".repeat(1000), 32) });
    await expectEnvelope(response, 413, "PAYLOAD_TOO_LARGE");
    expect(await filesOnDisk()).toEqual([]);
    expect(await getStorage().head(KEY)).toBeNull();
  });

  it("never replaces an object already uploaded to the key (its bytes may have been checked and registered)", async () => {
    await getStorage().write(KEY, Buffer.from(CSV), { contentType: "text/csv" });
    const upload = await signedPut(100);
    await expectEnvelope(await call("PUT", upload.url, { body: "email\nx@y.z\n" }), 409, "CONFLICT");
    expect(await filesOnDisk()).toEqual([objectFile()]);
    expect(await readFile(objectFile(), "utf8")).toBe(CSV);
  });

  it("answers 400 for a Content-Length that is not a number", async () => {
    const upload = await signedPut(10);
    const response = await call("PUT", upload.url, { body: "abc", headers: { "Content-Length": "ten" } });
    await expectEnvelope(response, 400, "BAD_REQUEST");
  });

  it("answers 404 for a signed GET of an object that does not exist", async () => {
    const download = await signedGet("x.csv", "uploads/nothing/here.csv");
    const error = await expectEnvelope(await call("GET", download.url), 404, "NOT_FOUND");
    expect(error.message).toMatch(/No stored object/);
  });

  it("answers 405 for other methods", async () => {
    const response = await call("DELETE", (await signedGet()).url);
    await expectEnvelope(response, 405, "METHOD_NOT_ALLOWED");
    expect(response.headers.get("allow")).toBe("GET, HEAD, PUT");
  });

  it("answers 404 when the storage is S3", async () => {
    const upload = await signedPut(10); // signed while local
    vi.stubEnv("S3_BUCKET", "intake-bucket");
    resetEnvForTests();
    resetStorageForTests();
    expect(getStorage().kind).toBe("s3");
    await expectEnvelope(await call("PUT", upload.url, { body: "0123456789" }), 404, "NOT_FOUND");
    await expectEnvelope(await call("GET", upload.url), 404, "NOT_FOUND");
  });
});
