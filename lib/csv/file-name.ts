import { CsvRuleError } from "./types";

/** Extensions accepted for contact files (compared case-insensitively). */
export const ALLOWED_EXTENSIONS = [".csv", ".tsv", ".txt"] as const;

/** Longest file name accepted, in characters (Unicode code points), on every upload path. */
export const MAX_FILE_NAME_LENGTH = 255;

/** The rule in words, for the API contracts. */
export const FILE_NAME_RULE =
  `1–${MAX_FILE_NAME_LENGTH} characters, ending in ${ALLOWED_EXTENSIONS.join(", ")}; no control characters ` +
  "(C0, DEL, C1), line or paragraph separators, or bidirectional embedding, override and isolate characters";

/**
 * Characters a file name may not hold: they are invisible, end a line in logs and headers, or (the
 * bidirectional controls) make a name read differently from what it is, e.g. `invoice\u202Evsc.exe`.
 */
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const FORBIDDEN_CHARACTERS_ALL = new RegExp(FORBIDDEN_CHARACTERS.source, "gu");

function characterKind(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code === 0x2028 || code === 0x2029) return "a line or paragraph separator";
  if (code >= 0x202a) return "a bidirectional text control";
  return "a control character";
}

const codePoint = (character: string) =>
  `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** The name with each forbidden character written as `\uXXXX`, so that a message shows where it is. */
function visibleFileName(name: string): string {
  return name.replace(FORBIDDEN_CHARACTERS_ALL, (character) => `\\u${codePoint(character).slice(2)}`);
}

/**
 * The one file-name rule of every upload path (POST /api/uploads, POST /api/jobs, POST /api/jobs/upload):
 * throws `INVALID_FILE_NAME` for an empty name, one that is not well-formed Unicode or one holding a
 * forbidden character; `FILE_NAME_TOO_LONG` past MAX_FILE_NAME_LENGTH characters; `UNSUPPORTED_EXTENSION`
 * unless it ends in .csv, .tsv or .txt.
 */
export function checkFileName(name: string): void {
  const characters = [...name];
  if (name.trim() === "") {
    throw new CsvRuleError("INVALID_FILE_NAME", "The file name is empty.", { fileName: name });
  }
  if (characters.length > MAX_FILE_NAME_LENGTH) {
    throw new CsvRuleError(
      "FILE_NAME_TOO_LONG",
      `The file name is ${characters.length} characters long; the limit is ${MAX_FILE_NAME_LENGTH}. Rename the file.`,
      { length: characters.length, limit: MAX_FILE_NAME_LENGTH },
    );
  }
  const forbidden = characters.findIndex((character) => FORBIDDEN_CHARACTERS.test(character));
  const character = characters[forbidden];
  if (character !== undefined) {
    const shown = visibleFileName(name);
    throw new CsvRuleError(
      "INVALID_FILE_NAME",
      `The file name "${shown}" contains ${characterKind(character)} (${codePoint(character)}) at character ${forbidden + 1}. Rename the file without it.`,
      { fileName: shown, character: codePoint(character), position: forbidden + 1 },
    );
  }
  if (!name.isWellFormed()) {
    throw new CsvRuleError(
      "INVALID_FILE_NAME",
      "The file name is not well-formed Unicode (it holds a lone surrogate).",
      {
        fileName: name.toWellFormed(),
      },
    );
  }
  checkExtension(name);
}

function checkExtension(name: string): void {
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
