import { createHash } from "node:crypto";

/** A UUID that is always the same for the same name (RFC 9562 version 5 layout, from SHA-1): an event's stable id. */
export function nameBasedUuid(name: string): string {
  const bytes = createHash("sha1").update(`intake:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
