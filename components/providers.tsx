"use client";

import { isServer, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Pages fetch their data in the browser; a few seconds' freshness avoids refetching on every mount.
        staleTime: 5_000,
        retry: (failures, error) =>
          failures < 2 && !(error instanceof Error && "status" in error && isClientError(error.status)),
      },
    },
  });
}

function isClientError(status: unknown): boolean {
  return typeof status === "number" && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

let browserClient: QueryClient | undefined;

/** One QueryClient for the browser session (kept across navigations); a fresh one for each server render. */
function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const client = getQueryClient();
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
