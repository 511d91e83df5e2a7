"use client";

import {
  keepPreviousData,
  useQuery,
  type QueryKey,
  type UseQueryOptions,
  type UseQueryResult,
} from "@tanstack/react-query";
import { pageCountOf } from "@/components/ui/pagination";

/** What every page of a list paged by the server says besides its items: how many there are in all. */
export type PagedData = { total: number };

export type PagedQuery<TData extends PagedData> = {
  query: UseQueryResult<TData>;
  total: number;
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
};

/**
 * One page of a list paged by the server: the page on screen stays until the next one is in (so the
 * table does not flash empty), and when the list shrinks under the page shown (items deleted here or
 * elsewhere) the page steps back to the new last page.
 */
export function usePagedQuery<TData extends PagedData>(
  options: Omit<UseQueryOptions<TData, Error, TData, QueryKey>, "placeholderData">,
  { page, pageSize, onPageChange }: { page: number; pageSize: number; onPageChange: (page: number) => void },
): PagedQuery<TData> {
  const query = useQuery({ ...options, placeholderData: keepPreviousData });
  const total = query.data?.total ?? 0;
  const pageCount = pageCountOf(total, pageSize);
  if (query.data && !query.isPlaceholderData && page > pageCount) onPageChange(pageCount);
  return { query, total, page, pageCount, onPageChange };
}
