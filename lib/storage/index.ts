import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { createLocalStorage, LocalObjectStorage } from "./local";
import { createS3Storage } from "./s3";
import type { ObjectStorage } from "./types";

export * from "./types";
export { attachmentDisposition } from "./content";
export { companyUploadsPrefix, isCompanyKey, isValidKey, uploadKey } from "./keys";
export { ByteLimit } from "./limit";
export { LocalObjectStorage } from "./local";
export { createS3Storage } from "./s3";
export type { VerifyFailure } from "./signing";

let storage: ObjectStorage | undefined;

/**
 * The application's object storage, chosen once from the settings: S3 (or an S3-compatible store)
 * when S3_BUCKET is set, else files under `${DATA_DIR}/objects` served through signed app URLs.
 */
export function getStorage(): ObjectStorage {
  if (!storage) {
    const config = env();
    storage = config.S3_BUCKET
      ? createS3Storage({
          bucket: config.S3_BUCKET,
          region: config.S3_REGION,
          endpoint: config.S3_ENDPOINT,
          publicEndpoint: config.S3_PUBLIC_ENDPOINT,
          forcePathStyle: config.S3_FORCE_PATH_STYLE,
          maxUploadBytes: config.MAX_UPLOAD_BYTES,
        })
      : createLocalStorage({
          root: path.join(config.DATA_DIR, "objects"),
          secret: config.AUTH_SECRET,
          maxUploadBytes: config.MAX_UPLOAD_BYTES,
        });
  }
  return storage;
}

/** The local driver when that is the one in use, else null (its route answers 404 then). */
export function getLocalStorage(): LocalObjectStorage | null {
  const current = getStorage();
  return current instanceof LocalObjectStorage ? current : null;
}

/** Tests change the settings between cases; this forgets the storage built from them. */
export function resetStorageForTests(): void {
  storage = undefined;
}

/** Points getStorage() at a given driver (e.g. a local one under a temporary directory) until reset. */
export function setStorageForTests(replacement: ObjectStorage): void {
  storage = replacement;
}
