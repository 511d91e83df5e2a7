import { z } from "zod/mini";
import type { RowCheck } from "./types";

// zod/mini has the same email pattern as zod's full build, without the weight in the browser bundle:
// this module is shared by ingestion, the staging API and the review page's validation as you type.
const emailSchema = z.email();

/** An email as it is staged: trimmed and lower-cased; empty (or only spaces) is no email at all. */
export function normaliseEmail(value: string | null | undefined): string | null {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed.toLowerCase();
}

/** The outcome of checking a normalised email. */
export function checkEmail(email: string | null): RowCheck {
  if (email === null) return "MISSING_EMAIL";
  return emailSchema.safeParse(email).success ? "OK" : "INVALID_EMAIL";
}

/** What is wrong with an email someone typed, in words for them; null when it is fine. */
export function emailProblem(value: string): string | null {
  const email = normaliseEmail(value);
  switch (checkEmail(email)) {
    case "MISSING_EMAIL":
      return "Enter an email address";
    case "INVALID_EMAIL":
      return `'${email ?? ""}' is not a valid email address`;
    case "OK":
      return null;
  }
}
