import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from "@/test/s3";
import { createLocalStorage } from "./local";
import { createS3Storage, type S3ObjectStorage } from "./s3";
import { InvalidKeyError, ObjectNotFoundError, ObjectTooLargeError, type ObjectStorage } from "./types";

const CSV = "email,first_name,last_name,company\nana@example.com,Ana,Silva,Acme\nbo@example.com,Bo,Li,Initech\n";

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

let s3: TestS3;
let storage: S3ObjectStorage;

beforeAll(async () => {
  s3 = await startS3rver();
  storage = createS3Storage({
    bucket: s3.bucket,
    region: s3.region,
    forcePathStyle: true,
    client: s3.client,
    listPageSize: 2,
    partSize: 5 * 1024 * 1024,
  });
});

afterAll(async () => {
  await s3?.close();
});

describe("S3 driver (s3rver)", () => {
  // The SDK's default client adds a CRC32 of an empty body to presigned PutObject URLs; the driver
  // strips it, whatever client it is given. The app's own client (createS3Client) is the other row.
  it.each([
    { client: "createS3Client (custom endpoint)", make: () => s3.client },
    {
      client: "an SDK-default client",
      make: () =>
        new S3Client({
          region: s3.region,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          credentials: S3RVER_CREDENTIALS,
        }),
    },
  ])(
    "a presigned PUT made with $client uploads with plain fetch, bound to type, length and create-only",
    async ({ make }) => {
      const driver = createS3Storage({ bucket: s3.bucket, region: s3.region, forcePathStyle: true, client: make() });
      const key = `presigned/${Math.random().toString(36).slice(2)}/contatos São Paulo.csv`;
      const signed = await driver.signUpload({
        key,
        contentType: "text/csv",
        size: Buffer.byteLength(CSV),
        expiresInSeconds: 300,
        origin: "http://ignored",
      });

      expect(signed.method).toBe("PUT");
      expect(signed.headers).toEqual({ "Content-Type": "text/csv", "If-None-Match": "*" });
      expect(signed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 290_000);
      const url = new URL(signed.url);
      expect(url.origin).toBe(s3.endpoint);
      // The write is conditional (the URL cannot replace an object), and the condition is signed.
      expect(url.searchParams.get("X-Amz-SignedHeaders")?.split(";")).toEqual([
        "content-length",
        "content-type",
        "host",
        "if-none-match",
      ]);
      expect(url.searchParams.get("X-Amz-Expires")).toBe("300");
      expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);

      const response = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: CSV });
      expect(response.status).toBe(200);
      expect(await driver.head(key)).toMatchObject({ key, size: Buffer.byteLength(CSV), contentType: "text/csv" });
    },
  );

  it("signs URLs for the public endpoint browsers reach, while the server keeps its own", async () => {
    // The server reaches s3rver at 127.0.0.1; "browsers" at localhost, another host for the signature.
    const publicEndpoint = s3.endpoint.replace("127.0.0.1", "localhost");
    const driver = createS3Storage({
      bucket: s3.bucket,
      region: s3.region,
      forcePathStyle: true,
      client: s3.client,
      credentials: S3RVER_CREDENTIALS,
      publicEndpoint,
    });
    const key = `public-endpoint/${Math.random().toString(36).slice(2)}.csv`;
    const upload = await driver.signUpload({
      key,
      contentType: "text/csv",
      size: Buffer.byteLength(CSV),
      expiresInSeconds: 60,
      origin: "http://ignored",
    });
    expect(new URL(upload.url).origin).toBe(publicEndpoint);
    expect((await fetch(upload.url, { method: "PUT", headers: upload.headers, body: CSV })).status).toBe(200);
    // Read back through the server's own client, at its own endpoint.
    expect(await driver.head(key)).toMatchObject({ size: Buffer.byteLength(CSV) });
    const download = await driver.signDownload({ key, expiresInSeconds: 60, origin: "http://ignored" });
    expect(new URL(download.url).origin).toBe(publicEndpoint);
    expect(await (await fetch(download.url)).text()).toBe(CSV);
  });

  it("refuses to sign an upload over maxUploadBytes", async () => {
    const limited = createS3Storage({
      bucket: s3.bucket,
      region: s3.region,
      forcePathStyle: true,
      client: s3.client,
      maxUploadBytes: 10,
    });
    const input = { key: "limited.csv", contentType: "text/csv", expiresInSeconds: 60, origin: "http://ignored" };
    await expect(limited.signUpload({ ...input, size: 11 })).rejects.toThrow(ObjectTooLargeError);
    await expect(limited.signUpload({ ...input, size: 10 })).resolves.toMatchObject({ method: "PUT" });
  });

  it("serves a presigned GET, as an attachment when a file name is given", async () => {
    const key = "downloads/contacts.csv";
    await storage.write(key, Buffer.from(CSV), { contentType: "text/csv" });

    const plain = await storage.signDownload({ key, expiresInSeconds: 60, origin: "http://ignored" });
    expect(plain.method).toBe("GET");
    const response = await fetch(plain.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(CSV);

    const named = await storage.signDownload({
      key,
      expiresInSeconds: 60,
      origin: "http://ignored",
      fileName: "Relatório (1).csv",
    });
    const attachment = await fetch(named.url);
    expect(attachment.headers.get("content-disposition")).toBe(
      `attachment; filename="Relat_rio (1).csv"; filename*=UTF-8''Relat%C3%B3rio%20%281%29.csv`,
    );
    expect(await attachment.text()).toBe(CSV);
  });

  it("heads and reads byte ranges", async () => {
    const key = "ranges/file.csv";
    await storage.write(key, Buffer.from(CSV), { contentType: "text/csv" });
    const info = await storage.head(key);
    expect(info).toMatchObject({ key, size: Buffer.byteLength(CSV), contentType: "text/csv" });
    expect(info?.lastModified).toBeInstanceOf(Date);

    const cases: [{ start: number; end?: number } | undefined, string][] = [
      [undefined, CSV],
      [{ start: 0, end: 4 }, "email"],
      [{ start: 6, end: 15 }, "first_name"],
      [{ start: 35 }, CSV.slice(35)],
      [{ start: CSV.length - 1, end: CSV.length + 50 }, "\n"],
      [{ start: CSV.length + 10 }, ""],
    ];
    for (const [range, expected] of cases) {
      expect((await bytes(await storage.read(key, range))).toString("utf8"), JSON.stringify(range)).toBe(expected);
    }
    await expect(storage.read(key, { start: 4, end: 1 })).rejects.toThrow(RangeError);
  });

  it("writes a multi-megabyte stream in parts and reads back the same bytes", async () => {
    const key = "big/generated.csv";
    const chunk = 256 * 1024;
    const total = 12 * 1024 * 1024 + 123; // three 5 MiB parts, the last one short
    const expected = createHash("sha256");
    let produced = 0;
    async function* generate() {
      let n = 0;
      while (produced < total) {
        const size = Math.min(chunk, total - produced);
        const piece = Buffer.alloc(size, `row ${n++},x@example.com\n`);
        expected.update(piece);
        produced += size;
        yield piece;
        await Promise.resolve();
      }
    }
    await storage.write(key, Readable.from(generate()), { contentType: "text/csv" });
    expect(await storage.head(key)).toMatchObject({ size: total });

    const actual = createHash("sha256");
    let read = 0;
    for await (const piece of await storage.read(key)) {
      actual.update(piece as Buffer);
      read += (piece as Buffer).length;
    }
    expect(read).toBe(total);
    expect(actual.digest("hex")).toBe(expected.digest("hex"));
  });

  it("lists every object under a prefix, in key order, across pages", async () => {
    // No sibling like "list/a-b.csv" beside "list/a/…": s3rver walks its directories in file-system
    // order, which differs from S3's byte order there, and its pagination then skips keys.
    // (The local driver's test covers that ordering.)
    const keys = [
      "list/b.csv",
      "list/a/2.csv",
      "list/a/1.csv",
      "list/c.csv",
      "list/ab.csv",
      "list/é.csv",
      "list/B.csv",
      "list/d.csv",
    ];
    for (const key of [...keys, "listing-other/x.csv", "lis.csv"]) {
      await storage.write(key, Buffer.from(key), { contentType: "text/csv" });
    }
    const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const listed = await collect(storage.list("list/")); // page size 2: four pages
    expect(listed.map((o) => o.key)).toEqual(sorted);
    expect(listed[0]).toMatchObject({ key: sorted[0], size: Buffer.byteLength(sorted[0] ?? "") });
    expect((await collect(storage.list("list/a/"))).map((o) => o.key)).toEqual(["list/a/1.csv", "list/a/2.csv"]);
    expect(await collect(storage.list("nothing-here/"))).toEqual([]);
  });

  it("removes objects; missing objects are null, not found, or quietly not removed", async () => {
    const key = "remove/me.csv";
    await storage.write(key, Buffer.from(CSV), { contentType: "text/csv" });
    expect(await storage.head(key)).not.toBeNull();
    await storage.remove(key);
    expect(await storage.head(key)).toBeNull();
    await expect(storage.remove(key)).resolves.toBeUndefined();
    await expect(storage.read(key)).rejects.toThrow(ObjectNotFoundError);
    await expect(storage.read("never/was.csv", { start: 10 })).rejects.toThrow(ObjectNotFoundError);
  });

  it("fails a write whose stream errors, leaving no object", async () => {
    const key = "failed/upload.csv";
    async function* failing() {
      yield Buffer.alloc(6 * 1024 * 1024, "a"); // more than one part, so a multipart upload is under way
      await Promise.resolve();
      throw new Error("client went away");
    }
    await expect(storage.write(key, Readable.from(failing()), { contentType: "text/csv" })).rejects.toThrow(
      "client went away",
    );
    expect(await storage.head(key)).toBeNull();
  });
});

describe("keys: the S3 driver refuses what the local driver refuses", () => {
  let root: string;
  let local: ObjectStorage;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "intake-keys-"));
    local = createLocalStorage({ root, secret: "a-test-secret-that-is-long-enough-0123456789", maxUploadBytes: 1024 });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const operations: [string, (driver: ObjectStorage, key: string) => Promise<unknown>][] = [
    ["head", (driver, key) => driver.head(key)],
    ["read", (driver, key) => driver.read(key)],
    ["write", (driver, key) => driver.write(key, Buffer.from(CSV), { contentType: "text/csv" })],
    ["remove", (driver, key) => driver.remove(key)],
    [
      "signUpload",
      (driver, key) =>
        driver.signUpload({ key, contentType: "text/csv", size: 1, expiresInSeconds: 60, origin: "http://ignored" }),
    ],
    ["signDownload", (driver, key) => driver.signDownload({ key, expiresInSeconds: 60, origin: "http://ignored" })],
    ["list", (driver, key) => collect(driver.list(key))],
  ];
  const badKeys = ["../escape.csv", "/absolute.csv", "uploads//empty-segment.csv", "uploads/what?.csv"];

  it.each(operations.flatMap(([operation, run]) => badKeys.map((key) => ({ operation, run, key }))))(
    "$operation($key) fails with the local driver's InvalidKeyError",
    async ({ run, key }) => {
      const localError = await run(local, key).then(
        () => null,
        (error: unknown) => error,
      );
      const s3Error = await run(storage, key).then(
        () => null,
        (error: unknown) => error,
      );
      expect(localError).toBeInstanceOf(InvalidKeyError);
      expect(s3Error).toBeInstanceOf(InvalidKeyError);
      expect((s3Error as InvalidKeyError).message).toBe((localError as InvalidKeyError).message);
    },
  );
});
