import "server-only";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { constants, type Dirent, type Stats } from "node:fs";
import { lstat, mkdir, open, readdir, rename, rm, rmdir, stat, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { contentTypeForKey } from "./content";
import { ByteLimit } from "./limit";
import {
  InvalidKeyError,
  ObjectNotFoundError,
  ObjectTooLargeError,
  type ObjectInfo,
  type ObjectStorage,
  type SignedUrl,
} from "./types";

/**
 * The embedded driver: objects are files under `root`, and clients send and fetch them through
 * short-lived HMAC-signed URLs served by `app/api/storage/[...key]/route.ts`.
 *
 *   PUT ${origin}/api/storage/<key>?method=PUT&expires=<unix s>&size=<max bytes>&sig=<hex>
 *   GET ${origin}/api/storage/<key>?method=GET&expires=<unix s>[&name=<file name>]&sig=<hex>
 *
 * The signature (HMAC-SHA256 under a key derived from AUTH_SECRET for this purpose only) covers the
 * method, the key, the expiry, the size limit and the download file name.
 */

/** The route handler that serves signed URLs. */
export const LOCAL_STORAGE_ROUTE = "/api/storage";

/** Longest key, in UTF-8 bytes (S3's limit too). */
export const MAX_KEY_BYTES = 1024;
/** Longest path segment, in UTF-8 bytes: a file name on common file systems. */
const MAX_SEGMENT_BYTES = 255;
/** Letters and digits of any script, combining marks, space and a few punctuation marks. */
const SEGMENT_CHARACTERS = /^[\p{L}\p{M}\p{N} ._\-()+,=@~!'&]+$/u;
const ALLOWED_DESCRIPTION = "letters, digits, spaces and . _ - ( ) + , = @ ~ ! ' &";

/** Throws InvalidKeyError unless `key` is a safe relative object name; returns its segments. */
export function validateKey(key: string): string[] {
  if (typeof key !== "string" || key.length === 0) throw new InvalidKeyError(String(key), "it is empty");
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidKeyError(key, `it is longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes("\0")) throw new InvalidKeyError(key, "it contains a NUL character");
  if (key.includes("\\")) throw new InvalidKeyError(key, "it contains a backslash");
  if (key.startsWith("/")) throw new InvalidKeyError(key, "it is an absolute path");
  const segments = key.split("/");
  for (const segment of segments) validateSegment(key, segment);
  return segments;
}

export function isValidKey(key: string): boolean {
  try {
    validateKey(key);
    return true;
  } catch {
    return false;
  }
}

function validateSegment(key: string, segment: string): void {
  if (segment === "") throw new InvalidKeyError(key, "it has an empty path segment");
  if (segment === "." || segment === "..") throw new InvalidKeyError(key, `it has a '${segment}' path segment`);
  // Also keeps keys apart from the driver's own dot-named temporary files.
  if (segment.startsWith(".")) throw new InvalidKeyError(key, "a path segment starts with '.'");
  if (segment.trim() !== segment) throw new InvalidKeyError(key, "a path segment starts or ends with a space");
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
    throw new InvalidKeyError(key, `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  if (!SEGMENT_CHARACTERS.test(segment)) throw new InvalidKeyError(key, `only ${ALLOWED_DESCRIPTION} are allowed`);
}

/** A list prefix: whole valid segments, then an optional partial last segment (`uploads/abc` or `uploads/`). */
function splitPrefix(prefix: string): { directory: string[]; namePrefix: string } {
  if (prefix === "") return { directory: [], namePrefix: "" };
  const slash = prefix.lastIndexOf("/");
  const directory = slash === -1 ? [] : validateKey(prefix.slice(0, slash));
  const namePrefix = prefix.slice(slash + 1);
  if (namePrefix !== "" && !SEGMENT_CHARACTERS.test(namePrefix)) {
    throw new InvalidKeyError(prefix, `only ${ALLOWED_DESCRIPTION} are allowed`);
  }
  return { directory, namePrefix };
}

/** Each segment percent-encoded, slashes kept: the path part of a URL for the key. */
export function encodeKeyPath(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

// ---------------------------------------------------------------------------------------------
// Signed URLs

type Grant = { method: "PUT" | "GET"; key: string; expires: number; maxBytes: number | null; fileName: string | null };

export type VerifyFailure = "expired" | "bad-signature" | "wrong-method" | "malformed";
export type VerifyResult =
  | { ok: true; method: "PUT" | "GET"; expiresAt: Date; maxBytes: number | null; fileName: string | null }
  | { ok: false; reason: VerifyFailure };

export type VerifyInput = {
  /** The request's method (HEAD counts as GET). */
  method: string;
  /** The object key, from the URL's path. */
  key: string;
  searchParams: URLSearchParams;
  now?: Date;
};

function signingKey(secret: string): Buffer {
  if (!secret) throw new Error("The local storage driver needs a secret to sign URLs");
  return createHash("sha256").update(`intake-storage:${secret}`).digest();
}

function signGrant(hmacKey: Buffer, grant: Grant): string {
  // JSON keeps the fields apart: no value can pass for another field's.
  const message = JSON.stringify(["intake-storage-v1", grant.method, grant.key, grant.expires, grant.maxBytes, grant.fileName]);
  return createHmac("sha256", hmacKey).update(message).digest("hex");
}

const DIGITS = /^\d{1,15}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

function single(searchParams: URLSearchParams, name: string): string | null | undefined {
  const values = searchParams.getAll(name);
  if (values.length > 1) return undefined; // repeated: malformed
  return values[0] ?? null;
}

function parseGrant(key: string, searchParams: URLSearchParams): { grant: Grant; sig: string } | null {
  if (!isValidKey(key)) return null;
  const method = single(searchParams, "method");
  const expires = single(searchParams, "expires");
  const size = single(searchParams, "size");
  const name = single(searchParams, "name");
  const sig = single(searchParams, "sig");
  if (method !== "PUT" && method !== "GET") return null;
  if (!expires || !DIGITS.test(expires)) return null;
  if (!sig || !SIGNATURE.test(sig)) return null;
  if (size === undefined || name === undefined) return null;
  if (method === "PUT") {
    if (size === null || !DIGITS.test(size) || name !== null) return null;
  } else if (size !== null) {
    return null;
  }
  return {
    grant: { method, key, expires: Number(expires), maxBytes: size === null ? null : Number(size), fileName: name },
    sig,
  };
}

function verifyWithKey(hmacKey: Buffer, input: VerifyInput): VerifyResult {
  const parsed = parseGrant(input.key, input.searchParams);
  if (!parsed) return { ok: false, reason: "malformed" };
  const { grant, sig } = parsed;
  const expected = Buffer.from(signGrant(hmacKey, grant), "hex");
  const given = Buffer.from(sig, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad-signature" };
  const method = input.method.toUpperCase() === "HEAD" ? "GET" : input.method.toUpperCase();
  if (method !== grant.method) return { ok: false, reason: "wrong-method" };
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (now > grant.expires) return { ok: false, reason: "expired" };
  return { ok: true, method: grant.method, expiresAt: new Date(grant.expires * 1000), maxBytes: grant.maxBytes, fileName: grant.fileName };
}

/**
 * Checks a request against the signed URL it came with: signature first (timing-safe), then the
 * method, then the expiry. `secret` is the one the URL was signed with (AUTH_SECRET).
 */
export function verifySignedRequest(input: VerifyInput & { secret: string }): VerifyResult {
  return verifyWithKey(signingKey(input.secret), input);
}

// ---------------------------------------------------------------------------------------------
// The driver

export type LocalStorageOptions = {
  /** Absolute directory holding the objects (e.g. `${DATA_DIR}/objects`). */
  root: string;
  /** Signs the URLs (AUTH_SECRET); a purpose-specific key is derived from it. */
  secret: string;
  /** Largest upload a URL is signed for, and largest body `write` accepts. */
  maxUploadBytes: number;
};

/** An open object: its bytes (or the requested range of them) and its details. */
export type OpenObject = ObjectInfo & { stream: Readable };

export class LocalObjectStorage implements ObjectStorage {
  readonly kind = "local" as const;
  readonly root: string;
  readonly maxUploadBytes: number;
  readonly #hmacKey: Buffer;

  constructor(options: LocalStorageOptions) {
    if (!path.isAbsolute(options.root)) throw new Error(`The local storage root must be absolute: ${options.root}`);
    if (!Number.isSafeInteger(options.maxUploadBytes) || options.maxUploadBytes <= 0) {
      throw new RangeError(`maxUploadBytes must be a positive integer: ${options.maxUploadBytes}`);
    }
    this.root = path.resolve(options.root);
    this.maxUploadBytes = options.maxUploadBytes;
    this.#hmacKey = signingKey(options.secret);
  }

  signUpload(input: { key: string; contentType: string; size: number; expiresInSeconds: number; origin: string }): Promise<SignedUrl> {
    return settle(() => {
      validateKey(input.key);
      if (!Number.isSafeInteger(input.size) || input.size < 0) throw new RangeError(`Invalid upload size: ${input.size}`);
      if (input.size > this.maxUploadBytes) throw new ObjectTooLargeError(this.maxUploadBytes);
      const grant = { method: "PUT", key: input.key, maxBytes: input.size, fileName: null } as const;
      return this.#sign(input.origin, input.expiresInSeconds, grant, { "Content-Type": input.contentType });
    });
  }

  signDownload(input: { key: string; expiresInSeconds: number; origin: string; fileName?: string }): Promise<SignedUrl> {
    return settle(() => {
      validateKey(input.key);
      const grant = { method: "GET", key: input.key, maxBytes: null, fileName: input.fileName ?? null } as const;
      return this.#sign(input.origin, input.expiresInSeconds, grant, {});
    });
  }

  /** Checks a request to the storage route against its signed URL (see `verifySignedRequest`). */
  verifySignedRequest(input: VerifyInput): VerifyResult {
    return verifyWithKey(this.#hmacKey, input);
  }

  #sign(origin: string, expiresInSeconds: number, grant: Omit<Grant, "expires">, headers: Record<string, string>): SignedUrl {
    if (!Number.isSafeInteger(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new RangeError(`expiresInSeconds must be a positive integer: ${expiresInSeconds}`);
    }
    const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const full: Grant = { ...grant, expires };
    const query = new URLSearchParams({ method: full.method, expires: String(expires) });
    if (full.maxBytes !== null) query.set("size", String(full.maxBytes));
    if (full.fileName !== null) query.set("name", full.fileName);
    query.set("sig", signGrant(this.#hmacKey, full));
    const base = new URL(origin);
    const url = `${base.origin}${LOCAL_STORAGE_ROUTE}/${encodeKeyPath(full.key)}?${query.toString()}`;
    return { url, method: full.method, headers, expiresAt: new Date(expires * 1000) };
  }

  /** The file of a key; throws InvalidKeyError for a key that could leave the root. */
  pathFor(key: string): string {
    const file = path.join(this.root, ...validateKey(key));
    if (!file.startsWith(this.root + path.sep)) throw new InvalidKeyError(key, "it resolves outside the storage root");
    return file;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const file = this.pathFor(key);
    try {
      return infoFrom(key, await stat(file));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async read(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    return (await this.open(key, range)).stream;
  }

  /**
   * Opens an object once and reports its size with the stream, so that the size always describes
   * the bytes streamed, even if the object is replaced meanwhile. Throws ObjectNotFoundError.
   */
  async open(key: string, range?: { start: number; end?: number }): Promise<OpenObject> {
    if (range) checkRange(range);
    const file = this.pathFor(key);
    let handle: FileHandle;
    try {
      handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
    try {
      const info = infoFrom(key, await handle.stat());
      if (!info) throw new ObjectNotFoundError(key);
      const stream = handle.createReadStream({ start: range?.start, end: range?.end, autoClose: true });
      return { ...info, stream };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async write(key: string, body: Readable | Buffer, _input: { contentType: string; size?: number }): Promise<void> {
    const file = this.pathFor(key);
    const source = Buffer.isBuffer(body) ? Readable.from([body], { objectMode: false }) : body;
    const directory = path.dirname(file);
    // Dot-named, so that list() and keys never see it; same directory, so that rename is atomic.
    const temp = path.join(directory, `.${randomBytes(9).toString("hex")}.partial`);
    let handle: FileHandle | undefined;
    try {
      handle = await createExclusive(directory, temp);
      const limit = new ByteLimit(this.maxUploadBytes);
      // The stream closes the file when done, after flushing it to disk (flush), so that the rename
      // below never exposes a file whose bytes are not yet durable.
      await pipeline(source, limit.pass, handle.createWriteStream({ flush: true }));
      await rename(temp, file);
    } catch (error) {
      source.destroy();
      await handle?.close().catch(() => undefined); // no-op when the stream closed it already
      await rm(temp, { force: true });
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    const file = this.pathFor(key);
    try {
      await unlink(file);
    } catch (error) {
      if (isMissing(error) || errorCode(error) === "EISDIR") return;
      throw error;
    }
    await this.#pruneEmptyDirectories(path.dirname(file));
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const { directory, namePrefix } = splitPrefix(prefix);
    const base = directory.length > 0 ? `${directory.join("/")}/` : "";
    yield* this.#walk(path.join(this.root, ...directory), base, namePrefix);
  }

  /** Files under `directory` in key order: entries sorted by name, a directory as if it ended in '/'. */
  async *#walk(directory: string, keyBase: string, namePrefix: string): AsyncGenerator<ObjectInfo> {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    const candidates: { name: string; isDirectory: boolean; order: Buffer }[] = [];
    for (const entry of entries) {
      if (!entry.name.startsWith(namePrefix) || !isValidKey(entry.name)) continue;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (!isDirectory && !isFile && !entry.isSymbolicLink()) {
        // Some file systems do not report entry types.
        const stats = await lstat(path.join(directory, entry.name)).catch(() => null);
        isDirectory = stats?.isDirectory() ?? false;
        isFile = stats?.isFile() ?? false;
      }
      if (!isDirectory && !isFile) continue; // symbolic links and special files are not objects
      candidates.push({ name: entry.name, isDirectory, order: Buffer.from(isDirectory ? `${entry.name}/` : entry.name) });
    }
    // S3 lists in UTF-8 byte order of the whole key.
    candidates.sort((a, b) => Buffer.compare(a.order, b.order));
    for (const candidate of candidates) {
      const key = `${keyBase}${candidate.name}`;
      const full = path.join(directory, candidate.name);
      if (candidate.isDirectory) {
        yield* this.#walk(full, `${key}/`, "");
        continue;
      }
      const stats = await lstat(full).catch((error: unknown) => {
        if (isMissing(error)) return null; // removed while listing
        throw error;
      });
      const info = stats && infoFrom(key, stats);
      if (info) yield info;
    }
  }

  async #pruneEmptyDirectories(directory: string): Promise<void> {
    let current = directory;
    while (current.startsWith(this.root + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone): stop
      }
      current = path.dirname(current);
    }
  }
}

export function createLocalStorage(options: LocalStorageOptions): LocalObjectStorage {
  return new LocalObjectStorage(options);
}

// ---------------------------------------------------------------------------------------------

/** Runs `fn` now, turning a throw into a rejected promise. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

function infoFrom(key: string, stats: Stats): ObjectInfo | null {
  if (!stats.isFile()) return null;
  return { key, size: stats.size, contentType: contentTypeForKey(key), lastModified: stats.mtime };
}

function checkRange(range: { start: number; end?: number }): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new RangeError(`Invalid byte range: ${start}-${end ?? ""}`);
  }
}

/** Creates the temporary file, with its directory; retries once if a concurrent remove pruned the directory. */
async function createExclusive(directory: string, file: string): Promise<FileHandle> {
  for (let attempt = 0; ; attempt++) {
    await mkdir(directory, { recursive: true });
    try {
      return await open(file, "wx", 0o600);
    } catch (error) {
      if (errorCode(error) !== "ENOENT" || attempt >= 2) throw error;
    }
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP";
}
