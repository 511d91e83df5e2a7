import { CsvRuleError } from "./types";

/** Extensions accepted for contact files (compared case-insensitively). */
export const ALLOWED_EXTENSIONS = [".csv", ".tsv", ".txt"] as const;

/** Throws `UNSUPPORTED_EXTENSION` unless `name` ends in .csv, .tsv or .txt. */
export function checkFileName(name: string): void {
  const base = name.trim().split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  const extension = dot >= 0 ? base.slice(dot).toLowerCase() : "";
  if ((ALLOWED_EXTENSIONS as readonly string[]).includes(extension)) return;
  const allowed = ALLOWED_EXTENSIONS.join(", ");
  const problem = extension === "" ? "has no file extension" : `has an unsupported extension (${extension})`;
  throw new CsvRuleError("UNSUPPORTED_EXTENSION", `File "${name}" ${problem}. Allowed extensions: ${allowed}.`, {
    fileName: name,
    extension,
    allowed: [...ALLOWED_EXTENSIONS],
  });
}
