import type { Readable } from "node:stream";

/** A short-lived URL a client uses to send or fetch one object directly. */
export type SignedUrl = {
  url: string;
  method: "PUT" | "GET";
  /** Headers the client must send with the request (e.g. Content-Type for a signed PUT). */
  headers: Record<string, string>;
  expiresAt: Date;
};

export type ObjectInfo = { key: string; size: number; contentType: string | null; lastModified: Date | null };

/**
 * Where uploaded files live: S3 (or any S3-compatible store) in production, the local disk under
 * DATA_DIR by default. Keys are slash-separated paths such as `uploads/<company>/<uuid>/<file>.csv`.
 */
export type SignUploadInput = {
  key: string;
  contentType: string;
  size: number;
  expiresInSeconds: number;
  origin: string;
};
export type SignDownloadInput = { key: string; expiresInSeconds: number; origin: string; fileName?: string };

export interface ObjectStorage {
  readonly kind: "s3" | "local";
  /**
   * A URL the client PUTs the file's bytes to. `origin` is the app's public origin (e.g.
   * `https://intake.example.com`), used by drivers whose URLs point back at the app.
   */
  signUpload(input: SignUploadInput): Promise<SignedUrl>;
  /** A URL the client GETs the object from (served as an attachment named `fileName` when given). */
  signDownload(input: SignDownloadInput): Promise<SignedUrl>;
  /** Size and type of a stored object, or null when there is none. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Streams the object from byte `start` (inclusive) to `end` (inclusive) or its end. Throws ObjectNotFoundError. */
  read(key: string, range?: { start: number; end?: number }): Promise<Readable>;
  /** Stores a stream or buffer under the key (used by the direct multipart upload). */
  write(key: string, body: Readable | Buffer, input: { contentType: string; size?: number }): Promise<void>;
  /** Removes the object; removing a missing object is not an error. */
  remove(key: string): Promise<void>;
  /** Every object under a prefix, in key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored object at '${key}'`);
    this.name = "ObjectNotFoundError";
  }
}

/** A key that is not a safe object name (empty, too long, `..`, absolute, odd characters, …). */
export class InvalidKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid storage key ${JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key)}: ${reason}`);
    this.name = "InvalidKeyError";
  }
}

/** A body longer than the limit it was sent under (a signed upload's size, or MAX_UPLOAD_BYTES). */
export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The object is larger than the limit of ${maxBytes} bytes`);
    this.name = "ObjectTooLargeError";
  }
}
