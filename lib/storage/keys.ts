import { InvalidKeyError } from "./types";

/**
 * What an object key may be, whichever driver stores it. Keys are relative slash-separated paths
 * that are also safe file paths (the local driver stores each as one), so that an object can move
 * between drivers and no key can name something outside the store.
 */

/** Longest key, in UTF-8 bytes (S3's limit too). */
const MAX_KEY_BYTES = 1024;
/** Longest path segment, in UTF-8 bytes: a file name on common file systems. */
const MAX_SEGMENT_BYTES = 255;
/** Letters and digits of any script, combining marks, space and a few punctuation marks. */
const SEGMENT_CHARACTERS = /^[\p{L}\p{M}\p{N} ._\-()+,=@~!'&]+$/u;
const ALLOWED_DESCRIPTION = "letters, digits, spaces and . _ - ( ) + , = @ ~ ! ' &";
/** Longest file name kept in an upload's key; the company and a UUID make the key unique. */
const MAX_UPLOAD_NAME_CHARACTERS = 100;

/** Throws InvalidKeyError unless `key` is a safe relative object name; returns its segments. */
export function validateKey(key: string): string[] {
  if (typeof key !== "string" || key.length === 0) throw new InvalidKeyError(String(key), "it is empty");
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new InvalidKeyError(key, `it is longer than ${MAX_KEY_BYTES} bytes`);
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
  // Also keeps keys apart from the local driver's own dot-named temporary files.
  if (segment.startsWith(".")) throw new InvalidKeyError(key, "a path segment starts with '.'");
  if (segment.trim() !== segment) throw new InvalidKeyError(key, "a path segment starts or ends with a space");
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
    throw new InvalidKeyError(key, `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  if (!SEGMENT_CHARACTERS.test(segment)) throw new InvalidKeyError(key, `only ${ALLOWED_DESCRIPTION} are allowed`);
}

/**
 * Throws InvalidKeyError unless `prefix` is a list prefix: whole valid segments, then an optional
 * partial last segment (`uploads/abc` or `uploads/`). Returns the whole segments and the partial one.
 */
export function validatePrefix(prefix: string): { directory: string[]; namePrefix: string } {
  if (prefix === "") return { directory: [], namePrefix: "" };
  const slash = prefix.lastIndexOf("/");
  const directory = slash === -1 ? [] : validateKey(prefix.slice(0, slash));
  const namePrefix = prefix.slice(slash + 1);
  if (namePrefix !== "" && !SEGMENT_CHARACTERS.test(namePrefix)) {
    throw new InvalidKeyError(prefix, `only ${ALLOWED_DESCRIPTION} are allowed`);
  }
  return { directory, namePrefix };
}

/** Where every stored object of the company lives: `uploads/<company>/`. */
export function companyUploadsPrefix(companyId: string): string {
  return `uploads/${companyId}/`;
}

/** A new key for a company's upload: `uploads/<company>/<uuid>/<file name made safe>`. */
export function uploadKey({ companyId, fileName }: { companyId: string; fileName: string }): string {
  // Trimmed after shortening too: the cut may land just before a dot, and no segment may start with one.
  const safe =
    fileName
      .normalize("NFKD")
      .replace(/[^\w.-]+/g, "_")
      .slice(-MAX_UPLOAD_NAME_CHARACTERS)
      .replace(/^[._]+/, "") || "upload.csv";
  return `${companyUploadsPrefix(companyId)}${crypto.randomUUID()}/${safe}`;
}

/** A key of the company's uploads, and a well-formed one (no `..`, NUL, empty or odd segments): anything else is no upload of theirs. */
export function isCompanyKey({ companyId, key }: { companyId: string; key: string }): boolean {
  return key.startsWith(companyUploadsPrefix(companyId)) && isValidKey(key);
}
