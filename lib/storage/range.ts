/** Throws RangeError unless `range` is a byte range `read` accepts: whole, non-negative, `end` (inclusive) not before `start`. */
export function checkRange(range: { start: number; end?: number }): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new RangeError(`Invalid byte range: ${start}-${end ?? ""}`);
  }
}
