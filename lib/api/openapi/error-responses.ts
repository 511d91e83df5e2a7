import type { RouteContract } from "@/lib/api/contract";
import { ERROR_STATUS, type ErrorCode } from "@/lib/api/errors";

/** When each code is answered, for the response descriptions. */
const WHEN: Record<ErrorCode, string> = {
  VALIDATION_ERROR: "the path, query or body does not match the schema (`details.fields` names each problem)",
  BAD_REQUEST: "the request cannot be carried out as sent",
  AUTHENTICATION_FAILED: "no credentials where they are needed, or credentials that are not valid, expired or revoked",
  FORBIDDEN: "the caller lacks the group or role the route needs, or the company is suspended",
  NOT_FOUND: "no such resource in the caller's company",
  METHOD_NOT_ALLOWED: "the route does not take this method",
  CONFLICT: "the resource's current state does not allow it",
  PAYLOAD_TOO_LARGE: "the body or file is larger than the route accepts",
  UNSUPPORTED_MEDIA_TYPE: "the body is not in the media type the route reads",
  RATE_LIMIT_EXCEEDED:
    "too many requests, or too many failed sign-ins for the account or from the address; retry after the `Retry-After` header's seconds",
  INTERNAL_ERROR: "something failed on the server's side; quote the request id",
  SERVICE_UNAVAILABLE: "a service the route depends on (database, storage, queue) is not available",
  QUERY_TIMEOUT:
    "the request took longer than the database allows one request (DB_STATEMENT_TIMEOUT_MS); retry or ask for less",
};

/** Every error code the route can answer with, from what it declares: credentials, group, inputs and `errors`. */
export function errorCodesOf(contract: RouteContract): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  if (contract.auth !== "public" || contract.platformAdmin) {
    codes.add("AUTHENTICATION_FAILED");
    // A suspended company's members and keys get 403 on every route that identifies them.
    codes.add("FORBIDDEN");
    // Identifying the caller reads the database, so any such request can run past DB_STATEMENT_TIMEOUT_MS.
    codes.add("QUERY_TIMEOUT");
  }
  if (contract.params || contract.query || contract.body || contract.form) codes.add("VALIDATION_ERROR");
  if (contract.body) {
    codes.add("BAD_REQUEST");
    codes.add("PAYLOAD_TOO_LARGE");
    codes.add("UNSUPPORTED_MEDIA_TYPE");
  }
  for (const code of contract.errors ?? []) {
    if (!(code in ERROR_STATUS))
      throw new Error(`${contract.method} ${contract.path} declares an unknown error code '${code}'`);
    codes.add(code as ErrorCode);
  }
  // Every metered request counts against its company's (or address's) rate limits.
  if (contract.metered !== false) codes.add("RATE_LIMIT_EXCEEDED");
  codes.add("INTERNAL_ERROR");
  return [...codes];
}

export type ErrorStatus = { status: number; codes: ErrorCode[]; description: string };

/** The route's error answers by status, each described by the codes it can carry. */
export function errorStatusesOf(contract: RouteContract): ErrorStatus[] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(contract)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, codes]) => ({
      status,
      codes,
      description: codes.map((code) => `\`${code}\`: ${WHEN[code]}`).join("; "),
    }));
}
