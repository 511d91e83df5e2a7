export type IdRange = { from: number; to: number };

/**
 * Cuts the ids `low`..`high` into ranges of at most `maxSize`, all about the same size. The count is
 * rounded up to a multiple of `multipleOf` (ranges run that many at a time, so the last group keeps
 * every connection busy too) unless that would make ranges smaller than `minSize`.
 */
export function splitIds({
  low,
  high,
  maxSize,
  multipleOf,
  minSize,
}: {
  low: number;
  high: number;
  maxSize: number;
  multipleOf: number;
  minSize: number;
}): IdRange[] {
  if (high < low) return [];
  const span = high - low + 1;
  let count = Math.ceil(span / maxSize);
  const rounded = Math.ceil(count / multipleOf) * multipleOf;
  if (span / rounded >= minSize) count = rounded;
  const size = Math.ceil(span / count);
  const ranges: IdRange[] = [];
  for (let from = low; from <= high; from += size) ranges.push({ from, to: Math.min(from + size - 1, high) });
  return ranges;
}
