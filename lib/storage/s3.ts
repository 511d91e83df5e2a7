import "server-only";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { attachmentDisposition } from "./content";
import { validateKey, validatePrefix } from "./keys";
import { checkRange } from "./range";
import {
  ObjectNotFoundError,
  ObjectTooLargeError,
  type ObjectInfo,
  type ObjectStorage,
  type SignedUrl,
  type SignDownloadInput,
  type SignUploadInput,
} from "./types";

/** Longest validity of a SigV4 presigned URL. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

export type S3ClientOptions = {
  region: string;
  /** An S3-compatible endpoint (MinIO, R2, …); unset for AWS. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Only for tests and special set-ups: normally the SDK's provider chain finds the credentials. */
  credentials?: S3ClientConfig["credentials"];
};

/**
 * The client the driver uses unless it is given one. Against a custom endpoint, request checksums
 * are sent only where the operation requires them: the SDK's newer default (CRC32 on every upload,
 * with aws-chunked trailers for streams) is not understood by every S3-compatible store.
 */
export function createS3Client(options: S3ClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint
      ? { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }
      : {}),
  });
}

export type S3StorageOptions = S3ClientOptions & {
  bucket: string;
  /** A ready client (tests); otherwise one is made with createS3Client. */
  client?: S3Client;
  /**
   * The endpoint browsers reach, when it is not `endpoint` (which the server uses, e.g. inside a compose
   * network): presigned URLs are signed for this host, since the signature covers the host it names.
   */
  publicEndpoint?: string;
  /** Keys per ListObjectsV2 page (default and maximum 1000). */
  listPageSize?: number;
  /** Multipart part size for `write` (default 8 MiB, minimum 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once by `write`: memory use is about queueSize × partSize. */
  queueSize?: number;
  /** Largest upload a URL is signed for (MAX_UPLOAD_BYTES); unlimited when unset. */
  maxUploadBytes?: number;
};

/** Takes only the keys the local driver takes (`./keys`), so that both drivers accept and refuse the same. */
export class S3ObjectStorage implements ObjectStorage {
  readonly kind = "s3" as const;
  readonly bucket: string;
  readonly client: S3Client;
  readonly #signingClient: S3Client;
  readonly #listPageSize: number;
  readonly #partSize: number;
  readonly #queueSize: number;
  readonly #maxUploadBytes: number | undefined;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.client = options.client ?? createS3Client(options);
    this.#signingClient = options.publicEndpoint
      ? createS3Client({ ...options, endpoint: options.publicEndpoint })
      : this.client;
    this.#listPageSize = options.listPageSize ?? 1000;
    this.#partSize = options.partSize ?? 8 * 1024 * 1024;
    this.#queueSize = options.queueSize ?? 4;
    this.#maxUploadBytes = options.maxUploadBytes;
  }

  async signUpload(input: SignUploadInput): Promise<SignedUrl> {
    validateKey(input.key);
    if (!Number.isSafeInteger(input.size) || input.size < 0) throw new RangeError(`Invalid upload size: ${input.size}`);
    if (this.#maxUploadBytes !== undefined && input.size > this.#maxUploadBytes)
      throw new ObjectTooLargeError(this.#maxUploadBytes);
    const expiresIn = checkExpiry(input.expiresInSeconds);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ContentType: input.contentType,
      ContentLength: input.size,
      // A conditional write: the URL can create the object once, never replace bytes already checked.
      IfNoneMatch: "*",
    });
    withoutPresignedChecksum(command);
    const url = await getSignedUrl(this.#signingClient, command, {
      expiresIn,
      // The presigner leaves these unsigned by default; bind the type, the exact length and the condition.
      signableHeaders: new Set(["content-type", "content-length", "if-none-match"]),
    });
    return {
      url,
      method: "PUT",
      headers: { "Content-Type": input.contentType, "If-None-Match": "*" },
      expiresAt: expiry(expiresIn),
    };
  }

  async signDownload(input: SignDownloadInput): Promise<SignedUrl> {
    validateKey(input.key);
    const expiresIn = checkExpiry(input.expiresInSeconds);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ...(input.fileName !== undefined ? { ResponseContentDisposition: attachmentDisposition(input.fileName) } : {}),
    });
    const url = await getSignedUrl(this.#signingClient, command, { expiresIn });
    return { url, method: "GET", headers: {}, expiresAt: expiry(expiresIn) };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    validateKey(key);
    try {
      const output = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        size: output.ContentLength ?? 0,
        contentType: output.ContentType ?? null,
        lastModified: output.LastModified ?? null,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async read(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    validateKey(key);
    if (range) checkRange(range);
    try {
      const output = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end ?? ""}` } : {}),
        }),
      );
      return toReadable(output.Body);
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      // A range starting at or past the end: no bytes, as the local driver answers.
      if (range && statusOf(error) === 416 && (await this.head(key))) return Readable.from([]);
      throw error;
    }
  }

  async write(key: string, body: Readable | Buffer, input: { contentType: string; size?: number }): Promise<void> {
    validateKey(key);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: input.contentType },
      partSize: this.#partSize,
      queueSize: this.#queueSize,
      // Failed multipart uploads are aborted, so no parts are left behind.
      leavePartsOnError: false,
    });
    // When the body fails, Upload aborts the multipart upload; should that abort fail as well, its
    // error would hide the body's, so the body's own error is the one reported.
    let bodyError: unknown;
    const onBodyError = (error: unknown) => {
      bodyError ??= error;
    };
    if (!Buffer.isBuffer(body)) body.once("error", onBodyError);
    try {
      await upload.done();
    } catch (error) {
      if (!Buffer.isBuffer(body)) body.destroy();
      throw bodyError ?? error;
    } finally {
      if (!Buffer.isBuffer(body)) body.off("error", onBodyError);
    }
  }

  async remove(key: string): Promise<void> {
    validateKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: this.#listPageSize,
          ContinuationToken: continuationToken,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield { key: object.Key, size: object.Size ?? 0, contentType: null, lastModified: object.LastModified ?? null };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }
}

export function createS3Storage(options: S3StorageOptions): S3ObjectStorage {
  return new S3ObjectStorage(options);
}

// ---------------------------------------------------------------------------------------------

/**
 * With the SDK's default checksum setting, a presigned PutObject URL carries the CRC32 of an empty
 * body (x-amz-checksum-crc32=AAAAAA==), which no real upload matches. The browser sends the body,
 * not the SDK, so no checksum belongs in the URL: drop those headers after the checksum middleware
 * (step "build", normal priority) added them and before the presigner hoists them into the query.
 */
function withoutPresignedChecksum(command: PutObjectCommand): void {
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers) {
        for (const name of Object.keys(request.headers)) {
          const lower = name.toLowerCase();
          if (lower.startsWith("x-amz-checksum-") || lower === "x-amz-sdk-checksum-algorithm")
            delete request.headers[name];
        }
      }
      return next(args);
    },
    { step: "build", priority: "low", name: "intakeWithoutPresignedChecksum", override: true },
  );
}

function checkExpiry(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`expiresInSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS}: ${seconds}`);
  }
  return seconds;
}

function expiry(seconds: number): Date {
  return new Date(Date.now() + seconds * 1000);
}

function toReadable(body: unknown): Readable {
  if (body instanceof Readable) return body;
  if (body === undefined || body === null) return Readable.from([]);
  if (typeof body === "object" && "transformToWebStream" in body && typeof body.transformToWebStream === "function") {
    return Readable.fromWeb((body.transformToWebStream as () => NodeReadableStream<Uint8Array>)());
  }
  throw new TypeError("Unexpected S3 response body");
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  if (typeof error === "object" && error !== null && "$metadata" in error) {
    const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
    return metadata?.httpStatusCode;
  }
  return undefined;
}

/** A missing object; a missing bucket is a configuration error and is not swallowed (where S3 says which). */
function isNotFound(error: unknown): boolean {
  const name = error instanceof Error ? error.name : undefined;
  if (name === "NoSuchBucket") return false;
  return name === "NotFound" || name === "NoSuchKey" || statusOf(error) === 404;
}
