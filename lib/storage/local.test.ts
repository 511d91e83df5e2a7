import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLocalStorage, isValidKey, validateKey, verifySignedRequest, type LocalObjectStorage } from "./local";
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

/** Splits a signed URL into what the route sees: the decoded key and the query. */
function requestParts(url: string): { key: string; searchParams: URLSearchParams } {
  const parsed = new URL(url);
  const prefix = "/api/storage/";
  expect(parsed.pathname.startsWith(prefix)).toBe(true);
  const key = parsed.pathname.slice(prefix.length).split("/").map(decodeURIComponent).join("/");
  return { key, searchParams: parsed.searchParams };
}

let root: string;
let storage: LocalObjectStorage;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "intake-local-"));
  storage = createLocalStorage({ root, secret: SECRET, maxUploadBytes: 1024 * 1024 });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("key validation", () => {
  it.each([
    ["../x", "parent segment"],
    ["uploads/../../etc/passwd", "parent segment inside"],
    ["/abs", "absolute"],
    ["a\\b", "backslash"],
    ["a\0b", "NUL"],
    ["", "empty"],
    ["a//b", "empty segment"],
    ["a/", "trailing slash"],
    ["./a", "dot segment"],
    ["uploads/.hidden.csv", "dot-named segment"],
    ["a/ b.csv", "leading space"],
    ["a/b?.csv", "question mark"],
    ["a/b#c.csv", "hash"],
    ["a/b%2F.csv", "percent"],
    ["a/b\n.csv", "newline"],
    ["a/b\t.csv", "tab"],
    ["a/b*.csv", "asterisk"],
    ["a/<b>.csv", "angle brackets"],
    ["x".repeat(1025), "longer than 1024 bytes"],
    [`a/${"é".repeat(130)}`, "segment longer than 255 bytes"],
  ])("rejects %j (%s)", (key) => {
    expect(() => validateKey(key)).toThrow(InvalidKeyError);
    expect(isValidKey(key)).toBe(false);
  });

  it.each([
    KEY,
    "uploads/acme/2024-01-01/contacts (1).csv",
    "uploads/empresa/contatos São Paulo.csv",
    "a",
    "a/b/c/d.tsv",
    "x".repeat(255),
  ])("accepts %j", (key) => {
    expect(validateKey(key)).toEqual(key.split("/"));
  });

  it("refuses bad keys in every operation", async () => {
    const bad = "../escape.csv";
    await expect(storage.head(bad)).rejects.toThrow(InvalidKeyError);
    await expect(storage.read(bad)).rejects.toThrow(InvalidKeyError);
    await expect(storage.write(bad, Buffer.from("x"), { contentType: "text/csv" })).rejects.toThrow(InvalidKeyError);
    await expect(storage.remove(bad)).rejects.toThrow(InvalidKeyError);
    await expect(storage.signUpload({ key: bad, contentType: "text/csv", size: 1, expiresInSeconds: 60, origin: ORIGIN })).rejects.toThrow(
      InvalidKeyError,
    );
    await expect(storage.signDownload({ key: bad, expiresInSeconds: 60, origin: ORIGIN })).rejects.toThrow(InvalidKeyError);
    await expect(collect(storage.list("../"))).rejects.toThrow(InvalidKeyError);
    expect(existsSync(path.join(root, "..", "escape.csv"))).toBe(false);
  });
});

describe("signed URLs", () => {
  it("builds URLs that point at the storage route, with each key segment encoded", async () => {
    const signed = await storage.signUpload({ key: KEY, contentType: "text/csv", size: 42, expiresInSeconds: 600, origin: `${ORIGIN}/` });
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
      storage.signUpload({ key: KEY, contentType: "text/csv", size: 1024 * 1024 + 1, expiresInSeconds: 60, origin: ORIGIN }),
    ).rejects.toThrow(ObjectTooLargeError);
  });

  type Case = {
    name: string;
    kind: "PUT" | "GET";
    method?: string;
    tamper?: (parts: { key: string; searchParams: URLSearchParams }) => void;
    now?: Date;
    secret?: string;
    expected: Record<string, unknown>;
  };

  const later = new Date(Date.now() + 3_600_000);
  const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

  it.each<Case>([
    { name: "valid upload", kind: "PUT", expected: { ok: true, method: "PUT", maxBytes: 100, fileName: null } },
    { name: "valid download", kind: "GET", expected: { ok: true, method: "GET", maxBytes: null, fileName: "contacts (São Paulo).csv" } },
    { name: "HEAD with a download URL", kind: "GET", method: "HEAD", expected: { ok: true, method: "GET" } },
    { name: "other key", kind: "PUT", tamper: (p) => (p.key = "uploads/other/file name.csv"), expected: { ok: false, reason: "bad-signature" } },
    {
      name: "later expiry",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("expires", String(Number(p.searchParams.get("expires")) + 3600)),
      expected: { ok: false, reason: "bad-signature" },
    },
    { name: "bigger size", kind: "PUT", tamper: (p) => p.searchParams.set("size", "100000"), expected: { ok: false, reason: "bad-signature" } },
    {
      name: "altered signature",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("sig", flip(p.searchParams.get("sig") ?? "")),
      expected: { ok: false, reason: "bad-signature" },
    },
    { name: "other file name", kind: "GET", tamper: (p) => p.searchParams.set("name", "evil.html"), expected: { ok: false, reason: "bad-signature" } },
    { name: "file name removed", kind: "GET", tamper: (p) => p.searchParams.delete("name"), expected: { ok: false, reason: "bad-signature" } },
    { name: "method switched in the query", kind: "PUT", method: "GET", tamper: (p) => p.searchParams.set("method", "GET"), expected: { ok: false, reason: "malformed" } },
    { name: "signed with another secret", kind: "PUT", secret: `${SECRET}-other`, expected: { ok: false, reason: "bad-signature" } },
    { name: "expired upload", kind: "PUT", now: later, expected: { ok: false, reason: "expired" } },
    { name: "expired download", kind: "GET", now: later, expected: { ok: false, reason: "expired" } },
    { name: "upload URL used to download", kind: "PUT", method: "GET", expected: { ok: false, reason: "wrong-method" } },
    { name: "download URL used to upload", kind: "GET", method: "PUT", expected: { ok: false, reason: "wrong-method" } },
    { name: "no signature", kind: "PUT", tamper: (p) => p.searchParams.delete("sig"), expected: { ok: false, reason: "malformed" } },
    { name: "short signature", kind: "PUT", tamper: (p) => p.searchParams.set("sig", "abc123"), expected: { ok: false, reason: "malformed" } },
    { name: "no expiry", kind: "PUT", tamper: (p) => p.searchParams.delete("expires"), expected: { ok: false, reason: "malformed" } },
    { name: "expiry not a number", kind: "PUT", tamper: (p) => p.searchParams.set("expires", "soon"), expected: { ok: false, reason: "malformed" } },
    { name: "upload without size", kind: "PUT", tamper: (p) => p.searchParams.delete("size"), expected: { ok: false, reason: "malformed" } },
    { name: "negative size", kind: "PUT", tamper: (p) => p.searchParams.set("size", "-1"), expected: { ok: false, reason: "malformed" } },
    { name: "unknown method", kind: "PUT", tamper: (p) => p.searchParams.set("method", "DELETE"), expected: { ok: false, reason: "malformed" } },
    { name: "repeated parameter", kind: "PUT", tamper: (p) => p.searchParams.append("sig", p.searchParams.get("sig") ?? ""), expected: { ok: false, reason: "malformed" } },
    { name: "empty query", kind: "GET", tamper: (p) => [...p.searchParams.keys()].forEach((k) => p.searchParams.delete(k)), expected: { ok: false, reason: "malformed" } },
    { name: "unsafe key", kind: "PUT", tamper: (p) => (p.key = "../file name.csv"), expected: { ok: false, reason: "malformed" } },
  ])("$name", async ({ kind, method, tamper, now, secret, expected }) => {
    const signer = secret ? createLocalStorage({ root, secret, maxUploadBytes: 1024 }) : storage;
    const signed =
      kind === "PUT"
        ? await signer.signUpload({ key: KEY, contentType: "text/csv", size: 100, expiresInSeconds: 600, origin: ORIGIN })
        : await signer.signDownload({ key: KEY, expiresInSeconds: 600, origin: ORIGIN, fileName: "contacts (São Paulo).csv" });
    const parts = requestParts(signed.url);
    tamper?.(parts);
    const input = { method: method ?? kind, key: parts.key, searchParams: parts.searchParams, now };
    expect(storage.verifySignedRequest(input)).toMatchObject(expected);
    // The standalone function agrees with the driver's own.
    expect(verifySignedRequest({ ...input, secret: SECRET })).toEqual(storage.verifySignedRequest(input));
  });

  it("accepts a URL up to the second it expires", async () => {
    const signed = await storage.signUpload({ key: KEY, contentType: "text/csv", size: 1, expiresInSeconds: 60, origin: ORIGIN });
    const parts = requestParts(signed.url);
    expect(storage.verifySignedRequest({ method: "PUT", ...parts, now: signed.expiresAt })).toMatchObject({ ok: true });
    const after = new Date(signed.expiresAt.getTime() + 1000);
    expect(storage.verifySignedRequest({ method: "PUT", ...parts, now: after })).toEqual({ ok: false, reason: "expired" });
  });
});

describe("objects on disk", () => {
  it("writes, heads, reads (whole and ranges), lists and removes", async () => {
    const body = "email,first_name\nana@example.com,Ana\n";
    await storage.write(KEY, Readable.from([Buffer.from(body.slice(0, 10)), Buffer.from(body.slice(10))]), { contentType: "text/csv" });

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
    expect(await readdir(path.dirname(storage.pathFor(KEY)))).toEqual(["file name.csv"]);

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
    const keys = ["p/a.csv", "p/a/b.csv", "p/a-b.csv", "p/ab.csv", "p/b/z/1.csv", "p/b/a.csv", "p/B.csv", "p/é.csv", "q/x.csv", "pz.csv"];
    for (const key of keys) await storage.write(key, Buffer.from(key), { contentType: "text/csv" });
    await writeFile(path.join(root, "p", ".0123.partial"), "half a file");
    await mkdir(path.join(root, "p", "sub dir?"), { recursive: true });
    await writeFile(path.join(root, "p", "sub dir?", "x.csv"), "not a valid key");

    const expectedOrder = (prefix: string) =>
      keys.filter((k) => k.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

    for (const prefix of ["", "p/", "p", "p/a", "p/b/", "p/b/z", "q/", "missing/", "p/zz"]) {
      const listed = await collect(storage.list(prefix));
      expect(listed.map((o) => o.key), `prefix ${JSON.stringify(prefix)}`).toEqual(expectedOrder(prefix));
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
    await expect(storage.write(KEY, Readable.from(failing()), { contentType: "text/csv" })).rejects.toThrow("connection reset");
    expect(await storage.head(KEY)).toBeNull();
    expect(await readdir(path.dirname(storage.pathFor(KEY)))).toEqual([]);
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
    await expect(small.write(KEY, Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), { contentType: "text/csv" })).rejects.toThrow(
      ObjectTooLargeError,
    );
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
