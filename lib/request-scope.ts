import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

type RequestScope = { requestId: string };

// On globalThis: Next bundles routes, server actions and instrumentation apart, and a module-level
// instance per bundle would not see the scope another bundle's copy opened.
const globalForScope = globalThis as unknown as { intakeRequestScope?: AsyncLocalStorage<RequestScope> };
const scope = (globalForScope.intakeRequestScope ??= new AsyncLocalStorage<RequestScope>());

/** Runs `work` as part of one request, so what it records (audit events, logs) carries the request's id. */
export function withRequestScope<T>(requestId: string, work: () => Promise<T>): Promise<T> {
  return scope.run({ requestId }, work);
}

/** The id of the request being served, or null outside one (scripts, background runs). */
export function currentRequestId(): string | null {
  return scope.getStore()?.requestId ?? null;
}
