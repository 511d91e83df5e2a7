import "server-only";
import { randomBytes } from "node:crypto";
import { constants, type Dirent, type Stats } from "node:fs";
import { lstat, mkdir, open, readdir, rename, rm, rmdir, stat, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { contentTypeForKey } from "./content";
import { isValidKey, validateKey, validatePrefix } from "./keys";
import { ByteLimit } from "./limit";
import { checkRange } from "./range";
import { UrlSigner, type Grant, type VerifyInput, type VerifyResult } from "./signing";
import {
  InvalidKeyError,
  ObjectNotFoundError,
  ObjectTooLargeError,
  type ObjectInfo,
  type ObjectStorage,
  type SignedUrl,
  type SignDownloadInput,
  type SignUploadInput,
} from "./types";

/**
 * The embedded driver: objects are files under `root`, and clients send and fetch them through
 * short-lived signed URLs (see `./signing`) served by `app/api/storage/[...key]/route.ts`.
 */

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
  readonly #signer: UrlSigner;

  constructor(options: LocalStorageOptions) {
    if (!path.isAbsolute(options.root)) throw new Error(`The local storage root must be absolute: ${options.root}`);
    if (!Number.isSafeInteger(options.maxUploadBytes) || options.maxUploadBytes <= 0) {
      throw new RangeError(`maxUploadBytes must be a positive integer: ${options.maxUploadBytes}`);
    }
    this.root = path.resolve(options.root);
    this.maxUploadBytes = options.maxUploadBytes;
    this.#signer = new UrlSigner(options.secret);
  }

  signUpload(input: SignUploadInput): Promise<SignedUrl> {
    return settle(() => {
      validateKey(input.key);
      if (!Number.isSafeInteger(input.size) || input.size < 0)
        throw new RangeError(`Invalid upload size: ${input.size}`);
      if (input.size > this.maxUploadBytes) throw new ObjectTooLargeError(this.maxUploadBytes);
      const grant = { method: "PUT", key: input.key, maxBytes: input.size, fileName: null } as const;
      return this.#sign(input.origin, input.expiresInSeconds, grant, { "Content-Type": input.contentType });
    });
  }

  signDownload(input: SignDownloadInput): Promise<SignedUrl> {
    return settle(() => {
      validateKey(input.key);
      const grant = { method: "GET", key: input.key, maxBytes: null, fileName: input.fileName ?? null } as const;
      return this.#sign(input.origin, input.expiresInSeconds, grant, {});
    });
  }

  /** Checks a request to the storage route against the signed URL it came with (see `UrlSigner.verify`). */
  verifySignedRequest(input: VerifyInput): VerifyResult {
    return this.#signer.verify(input);
  }

  #sign(origin: string, expiresInSeconds: number, grant: Grant, headers: Record<string, string>): SignedUrl {
    const { url, expiresAt } = this.#signer.sign(grant, { origin, expiresInSeconds });
    return { url, method: grant.method, headers, expiresAt };
  }

  /** The file of a key; throws InvalidKeyError for a key that could leave the root. */
  #pathFor(key: string): string {
    const file = path.join(this.root, ...validateKey(key));
    if (!file.startsWith(this.root + path.sep)) throw new InvalidKeyError(key, "it resolves outside the storage root");
    return file;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const file = this.#pathFor(key);
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
    const file = this.#pathFor(key);
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
    const file = this.#pathFor(key);
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
    const file = this.#pathFor(key);
    try {
      await unlink(file);
    } catch (error) {
      if (isMissing(error) || errorCode(error) === "EISDIR") return;
      throw error;
    }
    await this.#pruneEmptyDirectories(path.dirname(file));
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const { directory, namePrefix } = validatePrefix(prefix);
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
      candidates.push({
        name: entry.name,
        isDirectory,
        order: Buffer.from(isDirectory ? `${entry.name}/` : entry.name),
      });
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
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP";
}
