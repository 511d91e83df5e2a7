import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { TenantContext } from "@/lib/auth/context";
import { contextFromSession } from "@/lib/auth/session-context";
import { DomainError } from "@/lib/errors";

/** The signed-in person's context for a page; sends anyone else to the sign-in page. Once per request. */
export const requirePageContext = cache(async (): Promise<TenantContext> => {
  let ctx: TenantContext | null;
  try {
    ctx = await contextFromSession();
  } catch (error) {
    if (error instanceof DomainError) redirect("/sign-in");
    throw error;
  }
  if (!ctx) redirect("/sign-in");
  return ctx;
});
