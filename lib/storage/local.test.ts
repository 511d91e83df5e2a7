import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storageRequestParts } from "@/test/storage-url";
import { createLocalStorage, type LocalObjectStorage } from "./local";
import { UrlSigner } from "./signing";
import { InvalidKeyError, ObjectNotFoundError, ObjectTooLargeError } from "./types";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const ORIGIN = "http://intake.test";
const KEY = "uploads/0b3c9a4e-5d1f-4c2a-9e8b-7f6a5d4c3b2a/file name.csv";

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

let root: string;
/** Where the driver keeps an object: its key's segments under the root. */
const fileOf = (key: string) => path.join(root, ...key.split("/"));
let storage: LocalObjectStorage;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "intake-local-"));
  storage = createLocalStorage({ root, secret: SECRET, maxUploadBytes: 1024 * 1024 });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("unsafe keys", () => {
  it("refuses bad keys in every operation", async () => {
    const bad = "../escape.csv";
    await expect(storage.head(bad)).rejects.toThrow(InvalidKeyError);
    await expect(storage.read(bad)).rejects.toThrow(InvalidKeyError);
    await expect(storage.write(bad, Buffer.from("x"), { contentType: "text/csv" })).rejects.toThrow(InvalidKeyError);
    await expect(storage.remove(bad)).rejects.toThrow(InvalidKeyError);
    await expect(
      storage.signUpload({ key: bad, contentType: "text/csv", size: 1, expiresInSeconds: 60, origin: ORIGIN }),
    ).rejects.toThrow(InvalidKeyError);
    await expect(storage.signDownload({ key: bad, expiresInSeconds: 60, origin: ORIGIN })).rejects.toThrow(
      InvalidKeyError,
    );
    await expect(collect(storage.list("../"))).rejects.toThrow(InvalidKeyError);
    expect(existsSync(path.join(root, "..", "escape.csv"))).toBe(false);
  });
});

describe("signed URLs", () => {
  it("builds URLs that point at the storage route, with each key segment encoded", async () => {
    const signed = await storage.signUpload({
      key: KEY,
      contentType: "text/csv",
      size: 42,
      expiresInSeconds: 600,
      origin: `${ORIGIN}/`,
    });
    const url = new URL(signed.url);
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toBe("/api/storage/uploads/0b3c9a4e-5d1f-4c2a-9e8b-7f6a5d4c3b2a/file%20name.csv");
    expect(url.searchParams.get("method")).toBe("PUT");
    expect(url.searchParams.get("size")).toBe("42");
    expect(url.searchParams.get("sig")).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.method).toBe("PUT");
    expect(signed.headers).toEqual({ "Content-Type": "text/csv" });
    expect(Number(url.searchParams.get("expires"))).toBe(signed.expiresAt.getTime() / 1000);
    expect(signed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 590_000);
  });

  it("refuses to sign an upload larger than the limit", async () => {
    await expect(
      storage.signUpload({
        key: KEY,
        contentType: "text/csv",
        size: 1024 * 1024 + 1,
        expiresInSeconds: 60,
        origin: ORIGIN,
      }),
    ).rejects.toThrow(ObjectTooLargeError);
  });

  it.each([
    { kind: "upload", method: "PUT", expected: { ok: true, method: "PUT", maxBytes: 100, fileName: null } },
    {
      kind: "download",
      method: "GET",
      expected: { ok: true, method: "GET", maxBytes: null, fileName: "contacts (São Paulo).csv" },
    },
    { kind: "download", method: "HEAD", expected: { ok: true, method: "GET" } },
    { kind: "upload", method: "GET", expected: { ok: false, reason: "wrong-method" } },
    { kind: "download", method: "PUT", expected: { ok: false, reason: "wrong-method" } },
  ])("checks its $kind URL used for $method with the signer of its secret", async ({ kind, method, expected }) => {
    const signed =
      kind === "upload"
        ? await storage.signUpload({
            key: KEY,
            contentType: "text/csv",
            size: 100,
            expiresInSeconds: 600,
            origin: ORIGIN,
          })
        : await storage.signDownload({
            key: KEY,
            expiresInSeconds: 600,
            origin: ORIGIN,
            fileName: "contacts (São Paulo).csv",
          });
    const input = { method, ...storageRequestParts(signed.url) };
    expect(storage.verifySignedRequest(input)).toMatchObject(expected);
    expect(new UrlSigner(SECRET).verify(input)).toEqual(storage.verifySignedRequest(input));
  });

  it("refuses URLs signed with another secret", async () => {
    const other = createLocalStorage({ root, secret: `${SECRET}-other`, maxUploadBytes: 1024 });
    const signed = await other.signUpload({
      key: KEY,
      contentType: "text/csv",
      size: 100,
      expiresInSeconds: 600,
      origin: ORIGIN,
    });
    const input = { method: "PUT", ...storageRequestParts(signed.url) };
    expect(storage.verifySignedRequest(input)).toEqual({ ok: false, reason: "bad-signature" });
  });
});

describe("objects on disk", () => {
  it("writes, heads, reads (whole and ranges), lists and removes", async () => {
    const body = "email,first_name\nana@example.com,Ana\n";
    await storage.write(KEY, Readable.from([Buffer.from(body.slice(0, 10)), Buffer.from(body.slice(10))]), {
      contentType: "text/csv",
    });

    expect(await storage.head(KEY)).toMatchObject({ key: KEY, size: Buffer.byteLength(body), contentType: "text/csv" });
    expect((await storage.head(KEY))?.lastModified).toBeInstanceOf(Date);
    expect(await text(await storage.read(KEY))).toBe(body);

    const ranges: [{ start: number; end?: number }, string][] = [
      [{ start: 0, end: 4 }, "email"],
      [{ start: 6, end: 15 }, "first_name"],
      [{ start: 17 }, "ana@example.com,Ana\n"],
      [{ start: body.length - 1, end: body.length + 100 }, "\n"],
      [{ start: body.length + 5 }, ""],
    ];
    for (const [range, expected] of ranges) expect(await text(await storage.read(KEY, range))).toBe(expected);
    await expect(storage.read(KEY, { start: 5, end: 2 })).rejects.toThrow(RangeError);

    // Replacing an object is atomic and leaves no temporary files.
    await storage.write(KEY, Buffer.from("replaced"), { contentType: "text/csv" });
    expect(await text(await storage.read(KEY))).toBe("replaced");
    expect(await readdir(path.dirname(fileOf(KEY)))).toEqual(["file name.csv"]);

    await storage.remove(KEY);
    expect(await storage.head(KEY)).toBeNull();
    await expect(storage.read(KEY)).rejects.toThrow(ObjectNotFoundError);
    // Emptied directories are pruned, the root stays.
    expect(await readdir(root)).toEqual([]);
    // Removing again is not an error.
    await expect(storage.remove(KEY)).resolves.toBeUndefined();
  });

  it("treats directories and missing parents as missing objects", async () => {
    await storage.write("a/b/c.csv", Buffer.from("x"), { contentType: "text/csv" });
    expect(await storage.head("a/b")).toBeNull();
    expect(await storage.head("a/b/c.csv/d")).toBeNull();
    expect(await storage.head("nope/x.csv")).toBeNull();
    await expect(storage.read("a/b")).rejects.toThrow(ObjectNotFoundError);
    await expect(storage.read("nope/x.csv")).rejects.toThrow(ObjectNotFoundError);
    await expect(storage.remove("a/b")).resolves.toBeUndefined();
    expect(await storage.head("a/b/c.csv")).toMatchObject({ size: 1 });
  });

  it("lists under a prefix in key (byte) order, skipping temporary and foreign files", async () => {
    const keys = [
      "p/a.csv",
      "p/a/b.csv",
      "p/a-b.csv",
      "p/ab.csv",
      "p/b/z/1.csv",
      "p/b/a.csv",
      "p/B.csv",
      "p/é.csv",
      "q/x.csv",
      "pz.csv",
    ];
    for (const key of keys) await storage.write(key, Buffer.from(key), { contentType: "text/csv" });
    await writeFile(path.join(root, "p", ".0123.partial"), "half a file");
    await mkdir(path.join(root, "p", "sub dir?"), { recursive: true });
    await writeFile(path.join(root, "p", "sub dir?", "x.csv"), "not a valid key");

    const expectedOrder = (prefix: string) =>
      keys.filter((k) => k.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

    for (const prefix of ["", "p/", "p", "p/a", "p/b/", "p/b/z", "q/", "missing/", "p/zz"]) {
      const listed = await collect(storage.list(prefix));
      expect(
        listed.map((o) => o.key),
        `prefix ${JSON.stringify(prefix)}`,
      ).toEqual(expectedOrder(prefix));
    }
    const [first] = await collect(storage.list("p/a.csv"));
    expect(first).toMatchObject({ key: "p/a.csv", size: 7, contentType: "text/csv" });
  });

  it("leaves nothing behind when the stream fails midway", async () => {
    async function* failing() {
      yield Buffer.from("email,first_name\n");
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error("connection reset");
    }
    await expect(storage.write(KEY, Readable.from(failing()), { contentType: "text/csv" })).rejects.toThrow(
      "connection reset",
    );
    expect(await storage.head(KEY)).toBeNull();
    expect(await readdir(path.dirname(fileOf(KEY)))).toEqual([]);
  });

  it("keeps the old object when a replacement fails", async () => {
    await storage.write(KEY, Buffer.from("original"), { contentType: "text/csv" });
    async function* failing() {
      yield Buffer.from("new");
      await Promise.resolve();
      throw new Error("boom");
    }
    await expect(storage.write(KEY, Readable.from(failing()), { contentType: "text/csv" })).rejects.toThrow("boom");
    expect(await text(await storage.read(KEY))).toBe("original");
  });

  it("refuses a body over maxUploadBytes and stores nothing", async () => {
    const small = createLocalStorage({ root, secret: SECRET, maxUploadBytes: 10 });
    await expect(
      small.write(KEY, Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), { contentType: "text/csv" }),
    ).rejects.toThrow(ObjectTooLargeError);
    await expect(small.write(KEY, Buffer.alloc(11), { contentType: "text/csv" })).rejects.toThrow(ObjectTooLargeError);
    expect(await small.head(KEY)).toBeNull();
    await small.write(KEY, Buffer.alloc(10), { contentType: "text/csv" });
    expect(await small.head(KEY)).toMatchObject({ size: 10 });
  });

  it("writes and reads a larger file in chunks", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    function* many() {
      for (let i = 0; i < 10; i++) yield chunk;
    }
    await storage.write("big/file.csv", Readable.from(many()), { contentType: "text/csv" });
    expect(await storage.head("big/file.csv")).toMatchObject({ size: 640 * 1024 });
    const opened = await storage.open("big/file.csv", { start: 1000, end: 1999 });
    expect(opened.size).toBe(640 * 1024);
    expect((await text(opened.stream)).length).toBe(1000);
  });

  it("needs an absolute root and a secret", () => {
    expect(() => createLocalStorage({ root: "relative/dir", secret: SECRET, maxUploadBytes: 1 })).toThrow(/absolute/);
    expect(() => createLocalStorage({ root, secret: "", maxUploadBytes: 1 })).toThrow(/secret/);
  });
});
