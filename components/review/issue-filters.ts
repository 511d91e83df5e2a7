import type { IssueType } from "@/components/api/issues";
import { ISSUE_TYPE_LABELS, ISSUE_TYPE_LIST } from "@/components/review/issue-type";
import type { SelectOption } from "@/components/ui/select-field";

/** Which issues a list shows by their state; open ones by default (the work still to do). */
export type ResolvedFilter = "open" | "resolved" | "all";

export const RESOLVED_OPTIONS: readonly SelectOption[] = [
  { value: "open", label: "Open" },
  { value: "resolved", label: "Resolved" },
  { value: "all", label: "Open and resolved" },
];

export function resolvedParam(filter: ResolvedFilter): boolean | null {
  return filter === "all" ? null : filter === "resolved";
}

export function parseResolvedFilter(value: string | null | undefined): ResolvedFilter {
  return value === "resolved" || value === "all" ? value : "open";
}

export function parseIssueType(value: string | null | undefined): IssueType | null {
  return ISSUE_TYPE_LIST.find((type) => type === value) ?? null;
}

/** The type filter's options, each with its count of open issues when known. */
export function typeOptions(byType: Record<IssueType, number> | undefined): SelectOption[] {
  return [
    { value: "", label: "All types" },
    ...ISSUE_TYPE_LIST.map((type) => ({
      value: type,
      label: byType
        ? `${ISSUE_TYPE_LABELS[type]} (${byType[type].toLocaleString("en")} open)`
        : ISSUE_TYPE_LABELS[type],
    })),
  ];
}
