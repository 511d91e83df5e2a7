import "server-only";
import { countSessions } from "@/db/queries/upload-sessions";
import { isUniqueViolation } from "@/db/errors";
import { DomainError } from "@/lib/errors";

export type Page = { page: number; pageSize: number };

export const pageWindow = ({ page, pageSize }: Page) => ({ limit: pageSize, offset: (page - 1) * pageSize });

export function notFound(what: "project" | "cycle" | "session", id: number): DomainError {
  return new DomainError("NOT_FOUND", `The company has no ${what} ${id}`, { [`${what}_id`]: id });
}

/** Runs a write whose unique key may refuse the name, answering 409 with `conflict` instead. */
export async function withUniqueName<T>(write: () => Promise<T>, conflict: () => DomainError): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}

/**
 * Why a project or cycle may not be deleted now, as a 409: it has sessions and the caller did not cascade,
 * or some of them are not finished. Nothing when the sessions do not stand in the way.
 */
export async function refuseDeletionForSessions(
  owner: { kind: "project"; id: number; name: string } | { kind: "cycle"; id: number; name: string },
  companyId: string,
  cascade: boolean,
): Promise<DomainError | null> {
  const counts = await countSessions(
    owner.kind === "project" ? { companyId, projectId: owner.id } : { companyId, cycleId: owner.id },
  );
  const details = { [`${owner.kind}_id`]: owner.id, sessions: counts.total, unfinished_sessions: counts.unfinished };
  const sessions = (n: number) => `${n} session${n === 1 ? "" : "s"}`;
  if (counts.total > 0 && !cascade) {
    return new DomainError(
      "CONFLICT",
      `The ${owner.kind} "${owner.name}" has ${sessions(counts.total)}: delete them first, or pass ?cascade=true ` +
        "to delete them with it when all are finished",
      details,
    );
  }
  if (counts.unfinished > 0) {
    return new DomainError(
      "CONFLICT",
      `The ${owner.kind} "${owner.name}" has ${sessions(counts.unfinished)} still pending or in progress: ` +
        "finish or delete them first",
      details,
    );
  }
  return null;
}
