import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { TenantContext } from "@/lib/auth/context";
import { hasGroup, type Group } from "@/lib/auth/groups";
import { contextFromSession } from "@/lib/auth/session-context";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { withRequestScope } from "@/lib/request-scope";

export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

/**
 * Server actions are public endpoints: this signs the caller in from the session, parses the input,
 * checks the group and hands on the company context. User errors come back as results (for
 * useActionState), never as thrown errors.
 */
export function authedAction<S extends z.ZodType, T>(
  options: { schema: S; group?: Group },
  act: (args: { input: z.output<S>; ctx: TenantContext }) => Promise<T>,
): (input: unknown) => Promise<ActionResult<T>> {
  return async (raw) => {
    try {
      const ctx = await contextFromSession();
      if (!ctx) return { ok: false, error: "Your session has ended; sign in again" };
      const parsed = options.schema.safeParse(raw instanceof FormData ? Object.fromEntries(raw) : raw);
      if (!parsed.success) {
        const fieldErrors = byField(
          parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "form", reason: issue.message })),
        );
        return { ok: false, error: "Some fields need attention", fieldErrors };
      }
      if (options.group && !hasGroup(ctx.groups, options.group)) {
        return { ok: false, error: `This action needs the '${options.group}' group` };
      }
      const data = await withRequestScope(crypto.randomUUID(), () => act({ input: parsed.data, ctx }));
      return { ok: true, data };
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof DomainError) {
        const fieldErrors = fieldErrorsOf(error);
        return fieldErrors ? { ok: false, error: error.message, fieldErrors } : { ok: false, error: error.message };
      }
      logger().error({ err: error }, "server action failed");
      return { ok: false, error: "Something went wrong on our side; try again" };
    }
  };
}

function byField(entries: { field: string; reason: string }[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const { field, reason } of entries) (fieldErrors[field] ??= []).push(reason);
  return fieldErrors;
}

/** The `{ fields: [{ field, reason }] }` details of a validation error (lib/errors.ts invalidField), keyed by field as a form needs them. */
function fieldErrorsOf(error: DomainError): Record<string, string[]> | null {
  const details = error.details as { fields?: unknown } | null;
  if (!details || !Array.isArray(details.fields)) return null;
  const entries = (details.fields as { field?: unknown; reason?: unknown }[]).filter(
    (entry): entry is { field: string; reason: string } =>
      typeof entry.field === "string" && typeof entry.reason === "string",
  );
  return entries.length > 0 ? byField(entries) : null;
}
