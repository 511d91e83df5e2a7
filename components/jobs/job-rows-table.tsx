"use client";

import {
  createColumnHelper,
  functionalUpdate,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type PaginationState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { useState } from "react";
import type { RowCheck, StagingRow, StagingStatus } from "@/components/api/issues";
import { STAGING_STATUS_LABELS, STAGING_STATUS_LIST, StagingStatusText } from "@/components/review/issue-type";
import { fetchJobRows, jobRowsKey, type JobRowsQuery, type JobRowsSort } from "@/components/api/jobs";
import { SortButton, type AriaSort } from "@/components/ui/data-table";
import { QueryTable } from "@/components/ui/query-table";
import { SearchField } from "@/components/ui/search-field";
import { SelectField } from "@/components/ui/select-field";
import { useDebouncedSearch } from "@/components/ui/use-debounced-search";
import { usePagedQuery } from "@/components/ui/use-paged-query";
import { formatCount } from "@/lib/format/numbers";

export const ROWS_PAGE_SIZE = 50;

const features = tableFeatures({ rowPaginationFeature, rowSortingFeature });
const column = createColumnHelper<typeof features, StagingRow>();
const NO_ROWS: StagingRow[] = [];
const SORTABLE: ReadonlySet<string> = new Set<JobRowsSort>([
  "row_number",
  "email",
  "first_name",
  "last_name",
  "company",
]);
const CHECK_LABELS: Record<RowCheck, string | null> = {
  OK: null,
  INVALID_EMAIL: "Invalid email",
  MISSING_EMAIL: "Missing email",
  MALFORMED_ROW: "Malformed row",
  VALUE_TOO_LONG: "Value too long",
};

/** A header that sorts by its column on the server: ascending first, then flipping. */
function sortHeader(label: string) {
  function Header({
    column: sorted,
  }: {
    column: { getIsSorted: () => false | "asc" | "desc"; toggleSorting: (desc?: boolean) => void };
  }) {
    const direction = sorted.getIsSorted();
    return (
      <SortButton
        label={label}
        sorted={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none"}
        onToggle={() => sorted.toggleSorting(direction === "asc")}
      />
    );
  }
  return Header;
}

const text = (value: string | null) => value ?? <span className="text-slate-400">—</span>;

const columns = column.columns([
  column.accessor("staging_row_number", {
    id: "row_number",
    header: sortHeader("Row"),
    cell: ({ row }) => formatCount(row.original.staging_row_number),
  }),
  column.accessor("staging_email", {
    id: "email",
    header: sortHeader("Email"),
    cell: ({ row }) => {
      const problem = CHECK_LABELS[row.original.staging_row_check];
      return (
        <span className={problem ? "text-red-700" : "break-all"}>
          {text(row.original.staging_email)}
          {problem ? <span className="ml-2 text-xs font-medium">({problem})</span> : null}
        </span>
      );
    },
  }),
  column.accessor("staging_first_name", {
    id: "first_name",
    header: sortHeader("First name"),
    cell: ({ row }) => text(row.original.staging_first_name),
  }),
  column.accessor("staging_last_name", {
    id: "last_name",
    header: sortHeader("Last name"),
    cell: ({ row }) => text(row.original.staging_last_name),
  }),
  column.accessor("staging_company", {
    id: "company",
    header: sortHeader("Company"),
    cell: ({ row }) => text(row.original.staging_company),
  }),
  column.accessor("staging_status", {
    id: "status",
    header: "Status",
    enableSorting: false,
    cell: ({ row }) => <StagingStatusText status={row.original.staging_status} />,
  }),
]);

const RIGHT_ALIGNED: ReadonlySet<string> = new Set(["row_number"]);
const STATUS_OPTIONS = [
  { value: "", label: "All rows" },
  ...STAGING_STATUS_LIST.map((status) => ({ value: status, label: STAGING_STATUS_LABELS[status] })),
];

/** A job's staged rows, a page at a time: sorted, filtered and searched by the server (quick on 100,000 rows). */
export function JobRowsTable({ companyId, jobId }: { companyId: string; jobId: number }) {
  const [status, setStatus] = useState<StagingStatus | null>(null);
  const [sorting, setSorting] = useState<SortingState>([{ id: "row_number", desc: false }]);
  const [page, setPage] = useState(1);
  const { search, setSearch, q } = useDebouncedSearch(() => setPage(1));

  const sort = sorting[0];
  const params: JobRowsQuery = {
    status,
    q,
    sort: sort && SORTABLE.has(sort.id) ? (sort.id as JobRowsSort) : "row_number",
    order: sort?.desc ? "desc" : "asc",
    page,
    pageSize: ROWS_PAGE_SIZE,
  };
  const paged = usePagedQuery(
    {
      queryKey: [...jobRowsKey(companyId, jobId), params],
      queryFn: ({ signal }) => fetchJobRows(jobId, params, signal),
    },
    { page, pageSize: ROWS_PAGE_SIZE, onPageChange: setPage },
  );
  const { query, total } = paged;

  const pagination: PaginationState = { pageIndex: page - 1, pageSize: ROWS_PAGE_SIZE };
  const table = useTable({
    features,
    columns,
    data: query.data?.rows ?? NO_ROWS,
    getRowId: (row) => String(row.staging_id),
    manualPagination: true,
    manualSorting: true,
    enableSortingRemoval: false,
    rowCount: total,
    state: { pagination, sorting },
    onPaginationChange: (updater: Updater<PaginationState>) =>
      setPage(functionalUpdate(updater, pagination).pageIndex + 1),
    onSortingChange: (updater: Updater<SortingState>) => {
      setSorting((previous) => functionalUpdate(updater, previous));
      setPage(1);
    },
  });

  const sortOf = (id: string): AriaSort | undefined => {
    if (!SORTABLE.has(id)) return undefined;
    if (sort?.id !== id) return "none";
    return sort.desc ? "descending" : "ascending";
  };
  return (
    <QueryTable
      paged={paged}
      noun="row"
      caption="Rows of the file"
      table={table}
      rightAligned={RIGHT_ALIGNED}
      sortOf={sortOf}
      paginationLabel="Rows pagination"
      filters={
        <>
          <SelectField
            label="Row status"
            value={status ?? ""}
            options={STATUS_OPTIONS}
            onChange={(value) => {
              setStatus(STAGING_STATUS_LIST.find((candidate) => candidate === value) ?? null);
              setPage(1);
            }}
          />
          <SearchField label="Search rows" value={search} onChange={setSearch} placeholder="Email, name or company" />
        </>
      }
      empty={query.isPending ? "Loading rows…" : q || status ? "No rows match." : "No rows staged yet."}
    />
  );
}
