import { z } from "zod/mini";
import type { RowCheck } from "./types";

/** The longest address SMTP carries (RFC 5321: a 256-octet path less its angle brackets). */
export const MAX_EMAIL_LENGTH = 254;
/** The longest part before the @ (RFC 5321). */
export const MAX_EMAIL_LOCAL_LENGTH = 64;

// zod's own email pattern, whose top-level domain must be letters only, with punycode top-level domains
// (`xn--p1ai`, the internationalised ones as DNS carries them) allowed as well. zod/mini has the same pattern
// as zod's full build, without the weight in the browser bundle: this module is shared by ingestion, the
// staging API and the review page's validation as you type.
const EMAIL_PATTERN = new RegExp(
  z.regexes.email.source.replace(/\[A-Za-z\]\{2,\}\$$/, "(?:[A-Za-z]{2,}|xn--[A-Za-z0-9-]+)$"),
);
const emailSchema = z.email({ pattern: EMAIL_PATTERN });

/** An email as it is staged: trimmed and lower-cased; empty (or only spaces) is no email at all. */
export function normaliseEmail(value: string | null | undefined): string | null {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed.toLowerCase();
}

export type EmailVerdict = { check: Extract<RowCheck, "OK" | "MISSING_EMAIL" | "INVALID_EMAIL">; detail?: string };

const count = (value: number) => value.toLocaleString("en");

// Shared answers for the usual cases: checking a million rows allocates nothing for them.
const VALID: EmailVerdict = Object.freeze({ check: "OK" });
const MISSING: EmailVerdict = Object.freeze({ check: "MISSING_EMAIL" });
const INVALID: EmailVerdict = Object.freeze({ check: "INVALID_EMAIL" });

/**
 * Checks a normalised email: missing, too long (`detail` says by how much), not an address, or fine. The
 * length comes first, so a huge cell is never run through the pattern.
 */
export function judgeEmail(email: string | null): EmailVerdict {
  if (email === null) return MISSING;
  if (email.length > MAX_EMAIL_LENGTH) {
    return {
      check: "INVALID_EMAIL",
      detail: `the address is ${count(email.length)} characters; at most ${MAX_EMAIL_LENGTH}`,
    };
  }
  if (!emailSchema.safeParse(email).success) return INVALID;
  // The pattern allows no @ before the domain's, so the first one ends the local part.
  const local = email.indexOf("@");
  if (local > MAX_EMAIL_LOCAL_LENGTH) {
    return {
      check: "INVALID_EMAIL",
      detail: `the part before the @ is ${count(local)} characters; at most ${MAX_EMAIL_LOCAL_LENGTH}`,
    };
  }
  return VALID;
}

/** The outcome of checking a normalised email. */
export function checkEmail(email: string | null): RowCheck {
  return judgeEmail(email).check;
}

/** What is wrong with an email someone typed, in words for them; null when it is fine. */
export function emailProblem(value: string): string | null {
  const email = normaliseEmail(value);
  const { check, detail } = judgeEmail(email);
  switch (check) {
    case "MISSING_EMAIL":
      return "Enter an email address";
    case "INVALID_EMAIL":
      return detail !== undefined
        ? `${detail[0]?.toUpperCase() ?? ""}${detail.slice(1)}`
        : `'${email ?? ""}' is not a valid email address`;
    case "OK":
      return null;
  }
}
