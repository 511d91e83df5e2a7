import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import type { CsvEncoding } from "./types";

/** Bytes per code unit: 2 for UTF-16, 1 otherwise (UTF-8 multi-byte sequences never contain ASCII bytes). */
export function unitBytes(encoding: CsvEncoding): 1 | 2 {
  return encoding === "utf-16le" || encoding === "utf-16be" ? 2 : 1;
}

/** Views any byte array as a Buffer without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes `bytes[start, end)`. UTF-8 uses Node's decoder; windows-1252 and UTF-16 use iconv-lite
 * (Node's TextDecoder treats windows-1252 as Latin-1, which is wrong for 0x80–0x9F). A BOM is never stripped here:
 * callers skip it by offset.
 */
export function decodeBytes(bytes: Buffer, encoding: CsvEncoding, start = 0, end = bytes.length): string {
  if (encoding === "utf-8") return bytes.toString("utf8", start, end);
  return iconv.decode(bytes.subarray(start, end), ICONV_NAMES[encoding], { stripBOM: false });
}

const ICONV_NAMES: Record<Exclude<CsvEncoding, "utf-8">, "win1252" | "utf16le" | "utf16be"> = {
  "windows-1252": "win1252",
  "utf-16le": "utf16le",
  "utf-16be": "utf16be",
};

/** Encoding and byte-order mark length found at the start of a file. */
export type DetectedEncoding = { encoding: CsvEncoding; bomBytes: number };

/** Share of code units that must be zero on one side (and nearly never on the other) to call BOM-less text UTF-16. */
const UTF16_ZERO_SHARE = 0.3;
const UTF16_OTHER_SIDE_MAX = 0.05;
const UTF16_SAMPLE_BYTES = 4096;

/**
 * Works out the encoding of a file from its first bytes: a BOM if there is one, else UTF-16 by the pattern of
 * zero bytes, else UTF-8 if the bytes decode strictly (a character cut by the end of an incomplete head is
 * tolerated), else windows-1252 (a superset of the printable Latin-1 range).
 */
export function detectEncoding(head: Buffer, complete: boolean): DetectedEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: "utf-8", bomBytes: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomBytes: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomBytes: 2 };

  const utf16 = utf16ByZeroBytes(head);
  if (utf16 !== undefined) return { encoding: utf16, bomBytes: 0 };

  const checked = complete ? head : withoutCutUtf8Tail(head);
  return { encoding: isUtf8(checked) ? "utf-8" : "windows-1252", bomBytes: 0 };
}

/** UTF-16 without BOM: ASCII-heavy text has a zero byte in (nearly) every code unit, always on the same side. */
function utf16ByZeroBytes(head: Buffer): "utf-16le" | "utf-16be" | undefined {
  const pairs = Math.floor(Math.min(head.length, UTF16_SAMPLE_BYTES) / 2);
  if (pairs === 0) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= pairs * UTF16_ZERO_SHARE && evenZeros <= pairs * UTF16_OTHER_SIDE_MAX) return "utf-16le";
  if (evenZeros >= pairs * UTF16_ZERO_SHARE && oddZeros <= pairs * UTF16_OTHER_SIDE_MAX) return "utf-16be";
  return undefined;
}

/** Drops a UTF-8 sequence that the end of the buffer cuts short, so a partial head can still be checked strictly. */
function withoutCutUtf8Tail(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}
