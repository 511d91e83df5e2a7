import { describe, expect, it } from "vitest";
import { storageRequestParts } from "@/test/storage-url";
import { UrlSigner, type Grant } from "./signing";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const ORIGIN = "http://intake.test";
const KEY = "uploads/0b3c9a4e-5d1f-4c2a-9e8b-7f6a5d4c3b2a/file name.csv";

const UPLOAD: Grant = { method: "PUT", key: KEY, maxBytes: 100, fileName: null };
const DOWNLOAD: Grant = { method: "GET", key: KEY, maxBytes: null, fileName: "contacts (São Paulo).csv" };

const signer = new UrlSigner(SECRET);

describe("signing", () => {
  it("builds a URL on the origin's storage route, each key segment encoded, the grant and expiry in the query", () => {
    const before = Math.floor(Date.now() / 1000);
    const { url, expiresAt } = signer.sign(UPLOAD, { origin: `${ORIGIN}/some/page?x=1`, expiresInSeconds: 600 });
    const parsed = new URL(url);
    expect(parsed.origin).toBe(ORIGIN);
    expect(parsed.pathname).toBe("/api/storage/uploads/0b3c9a4e-5d1f-4c2a-9e8b-7f6a5d4c3b2a/file%20name.csv");
    expect([...parsed.searchParams.keys()]).toEqual(["method", "expires", "size", "sig"]);
    expect(parsed.searchParams.get("size")).toBe("100");
    expect(Number(parsed.searchParams.get("expires"))).toBe(expiresAt.getTime() / 1000);
    expect(expiresAt.getTime() / 1000 - before).toBeGreaterThanOrEqual(600);
    expect(expiresAt.getTime() / 1000 - before).toBeLessThanOrEqual(601);

    const download = new URL(signer.sign(DOWNLOAD, { origin: ORIGIN, expiresInSeconds: 60 }).url);
    expect([...download.searchParams.keys()]).toEqual(["method", "expires", "name", "sig"]);
    expect(download.searchParams.get("name")).toBe("contacts (São Paulo).csv");
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses an expiry of %s seconds", (expiresInSeconds) => {
    expect(() => signer.sign(UPLOAD, { origin: ORIGIN, expiresInSeconds })).toThrow(RangeError);
  });

  it("needs a secret", () => {
    expect(() => new UrlSigner("")).toThrow(/secret/);
  });
});

describe("verifying", () => {
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
    {
      name: "valid download",
      kind: "GET",
      expected: { ok: true, method: "GET", maxBytes: null, fileName: "contacts (São Paulo).csv" },
    },
    { name: "HEAD with a download URL", kind: "GET", method: "HEAD", expected: { ok: true, method: "GET" } },
    {
      name: "other key",
      kind: "PUT",
      tamper: (p) => (p.key = "uploads/other/file name.csv"),
      expected: { ok: false, reason: "bad-signature" },
    },
    {
      name: "later expiry",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("expires", String(Number(p.searchParams.get("expires")) + 3600)),
      expected: { ok: false, reason: "bad-signature" },
    },
    {
      name: "bigger size",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("size", "100000"),
      expected: { ok: false, reason: "bad-signature" },
    },
    {
      name: "altered signature",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("sig", flip(p.searchParams.get("sig") ?? "")),
      expected: { ok: false, reason: "bad-signature" },
    },
    {
      name: "other file name",
      kind: "GET",
      tamper: (p) => p.searchParams.set("name", "evil.html"),
      expected: { ok: false, reason: "bad-signature" },
    },
    {
      name: "file name removed",
      kind: "GET",
      tamper: (p) => p.searchParams.delete("name"),
      expected: { ok: false, reason: "bad-signature" },
    },
    {
      name: "method switched in the query",
      kind: "PUT",
      method: "GET",
      tamper: (p) => p.searchParams.set("method", "GET"),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "signed with another secret",
      kind: "PUT",
      secret: `${SECRET}-other`,
      expected: { ok: false, reason: "bad-signature" },
    },
    { name: "expired upload", kind: "PUT", now: later, expected: { ok: false, reason: "expired" } },
    { name: "expired download", kind: "GET", now: later, expected: { ok: false, reason: "expired" } },
    {
      name: "upload URL used to download",
      kind: "PUT",
      method: "GET",
      expected: { ok: false, reason: "wrong-method" },
    },
    {
      name: "download URL used to upload",
      kind: "GET",
      method: "PUT",
      expected: { ok: false, reason: "wrong-method" },
    },
    {
      name: "no signature",
      kind: "PUT",
      tamper: (p) => p.searchParams.delete("sig"),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "short signature",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("sig", "abc123"),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "no expiry",
      kind: "PUT",
      tamper: (p) => p.searchParams.delete("expires"),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "expiry not a number",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("expires", "soon"),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "upload without size",
      kind: "PUT",
      tamper: (p) => p.searchParams.delete("size"),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "negative size",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("size", "-1"),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "unknown method",
      kind: "PUT",
      tamper: (p) => p.searchParams.set("method", "DELETE"),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "repeated parameter",
      kind: "PUT",
      tamper: (p) => p.searchParams.append("sig", p.searchParams.get("sig") ?? ""),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "empty query",
      kind: "GET",
      tamper: (p) => [...p.searchParams.keys()].forEach((k) => p.searchParams.delete(k)),
      expected: { ok: false, reason: "malformed" },
    },
    {
      name: "unsafe key",
      kind: "PUT",
      tamper: (p) => (p.key = "../file name.csv"),
      expected: { ok: false, reason: "malformed" },
    },
  ])("$name", ({ kind, method, tamper, now, secret, expected }) => {
    const issuer = secret ? new UrlSigner(secret) : signer;
    const signed = issuer.sign(kind === "PUT" ? UPLOAD : DOWNLOAD, { origin: ORIGIN, expiresInSeconds: 600 });
    const parts = storageRequestParts(signed.url);
    tamper?.(parts);
    const input = { method: method ?? kind, key: parts.key, searchParams: parts.searchParams, now };
    expect(signer.verify(input)).toMatchObject(expected);
    // Another signer of the same secret agrees: the key is derived from the secret alone.
    expect(new UrlSigner(SECRET).verify(input)).toEqual(signer.verify(input));
  });

  it("accepts a URL up to the second it expires", () => {
    const signed = signer.sign({ ...UPLOAD, maxBytes: 1 }, { origin: ORIGIN, expiresInSeconds: 60 });
    const parts = storageRequestParts(signed.url);
    expect(signer.verify({ method: "PUT", ...parts, now: signed.expiresAt })).toMatchObject({ ok: true });
    const after = new Date(signed.expiresAt.getTime() + 1000);
    expect(signer.verify({ method: "PUT", ...parts, now: after })).toEqual({ ok: false, reason: "expired" });
  });
});
