import type { IssueList } from "@/components/api/issues";
import { ISSUE_TYPE_LABELS, ISSUE_TYPE_LIST } from "@/components/review/issue-type";
import { formatCount } from "@/lib/format/numbers";

/** Open and resolved issues under the current filters, and the open ones by type. */
export function IssueCounts({ list, label }: { list: IssueList | undefined; label: string }) {
  const figures: [string, number | undefined][] = [
    ["Open", list?.unresolved_count],
    ["Resolved", list?.resolved_count],
    ...ISSUE_TYPE_LIST.map((type): [string, number | undefined] => [
      `${ISSUE_TYPE_LABELS[type]} (open)`,
      list?.by_type[type],
    ]),
  ];
  return (
    <section aria-label={label}>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {figures.map(([name, value]) => (
          <div key={name} className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
            <dt className="text-xs text-slate-500">{name}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums">
              {value === undefined ? "—" : formatCount(value)}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
