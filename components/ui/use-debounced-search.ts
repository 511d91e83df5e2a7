"use client";

import { useState } from "react";
import { useDebouncedValue } from "@/components/ui/use-debounced-value";

/**
 * A search box's text and `q`, the trimmed search the server is asked for once typing pauses.
 * `onSearch` runs as `q` changes: a new search starts from its first page.
 */
export function useDebouncedSearch(onSearch: () => void) {
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search.trim());
  const [searched, setSearched] = useState(q);
  if (searched !== q) {
    setSearched(q);
    onSearch();
  }
  return { search, setSearch, q, typing: search.trim() !== q };
}
