const count = new Intl.NumberFormat("en");
const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return count.format(value);
}

/** "1 issue", "1,204 issues": the count and its noun, plural by adding an "s". */
export function formatCountOf(value: number, noun: string): string {
  return `${count.format(value)} ${noun}${value === 1 ? "" : "s"}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${count.format(bytes)} B`;
  const units = ["KB", "MB", "GB", "TB"] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${oneDecimal.format(value)} ${units[unit]}`;
}
