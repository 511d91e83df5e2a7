import type { IssueType, StagingStatus } from "@/components/api/issues";

export const ISSUE_TYPE_LABELS: Record<IssueType, string> = {
  DUPLICATE_EMAIL: "Duplicate email",
  INVALID_EMAIL: "Invalid email",
  MISSING_EMAIL: "Missing email",
  CONTACT_CONFLICT: "Contact conflict",
  MALFORMED_ROW: "Malformed row",
  VALUE_TOO_LONG: "Value too long",
};

export const ISSUE_TYPE_LIST = Object.keys(ISSUE_TYPE_LABELS) as IssueType[];

/** What the person is asked to do about each kind of issue. */
export const ISSUE_TYPE_HINTS: Record<IssueType, string> = {
  DUPLICATE_EMAIL: "Several rows share this email with different names or companies: keep one, or edit them apart.",
  INVALID_EMAIL: "Correct the email in place; the issue is resolved once it is valid.",
  MISSING_EMAIL: "Add the email in place, or skip the row.",
  CONTACT_CONFLICT:
    "This email is already a contact with a different identity: keep the file's row to update it, or keep the contact.",
  MALFORMED_ROW:
    "The file's quoting or column count is broken on this record: its raw text is shown. Edit the cells to rebuild the row, or skip it.",
  VALUE_TOO_LONG: "A name or company is longer than 255 characters: shorten it in place, or skip the row.",
};

const TONES: Record<IssueType, string> = {
  DUPLICATE_EMAIL: "bg-amber-50 text-amber-800 ring-amber-300",
  INVALID_EMAIL: "bg-red-50 text-red-800 ring-red-300",
  MISSING_EMAIL: "bg-orange-50 text-orange-800 ring-orange-300",
  CONTACT_CONFLICT: "bg-violet-50 text-violet-800 ring-violet-300",
  MALFORMED_ROW: "bg-rose-50 text-rose-800 ring-rose-300",
  VALUE_TOO_LONG: "bg-yellow-50 text-yellow-800 ring-yellow-300",
};

export function IssueTypeBadge({ type }: { type: IssueType }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[type]}`}
    >
      {ISSUE_TYPE_LABELS[type]}
    </span>
  );
}

export const STAGING_STATUS_LABELS: Record<StagingStatus, string> = {
  READY: "Ready",
  ISSUE: "Has an issue",
  IMPORTED: "Imported",
  SKIPPED: "Skipped",
};

export const STAGING_STATUS_LIST = Object.keys(STAGING_STATUS_LABELS) as StagingStatus[];

const STAGING_TONES: Record<StagingStatus, string> = {
  READY: "text-emerald-700",
  ISSUE: "text-amber-700",
  IMPORTED: "text-slate-600",
  SKIPPED: "text-slate-500",
};

export function StagingStatusText({ status }: { status: StagingStatus }) {
  return <span className={`text-xs font-medium ${STAGING_TONES[status]}`}>{STAGING_STATUS_LABELS[status]}</span>;
}

/** Open, or resolved with who and when; the colour is never the only signal. */
export function ResolutionBadge({ resolved }: { resolved: boolean }) {
  return resolved ? (
    <span className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-300 ring-inset">
      <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-500" />
      Resolved
    </span>
  ) : (
    <span className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-slate-300 ring-inset">
      <span aria-hidden="true" className="size-1.5 rounded-full bg-amber-500" />
      Open
    </span>
  );
}

/** What an issue is about: the email for duplicates and conflicts, the row for a bad or missing email. */
export function issueSubject(issue: { issue_type: IssueType; issue_subject: string }): string {
  return issue.issue_type === "DUPLICATE_EMAIL" || issue.issue_type === "CONTACT_CONFLICT"
    ? issue.issue_subject
    : `Row ${issue.issue_subject}`;
}
