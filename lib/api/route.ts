import "server-only";
import type { NextRequest } from "next/server";
import type { Logger } from "pino";
import type { z } from "zod";
import { ApiError, errorResponse } from "@/lib/api/errors";
import type { RouteContract } from "@/lib/api/contract";
import { requestIdFrom } from "@/lib/api/request-id";
import { withRequestScope } from "@/lib/request-scope";
import { withRequestQueries } from "@/db/request-queries";
import { contextFromAuthorization } from "@/lib/auth/bearer";
import type { TenantContext } from "@/lib/auth/context";
import { hasGroup } from "@/lib/auth/groups";
import { contextFromSession } from "@/lib/auth/session-context";
import { env } from "@/lib/env";
import { assertPlatformAdmin } from "@/lib/tenancy/tenants-access";
import { isSameOriginWrite } from "@/lib/security/cross-site";
import { logger } from "@/lib/logger";
import { observeHttpRequest } from "@/lib/metrics/registry";
import { rateLimitExceeded, rateLimitHeaders, requestMeter, type RequestMeter } from "@/lib/api/request-meter";
import { recordApiRequest } from "@/lib/usage/recorder";

const MAX_JSON_BODY_BYTES = 1024 * 1024;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export type HandlerInput<C extends RouteContract> = {
  request: NextRequest;
  requestId: string;
  ctx: C["auth"] extends "required" ? TenantContext : TenantContext | null;
  params: Parsed<C["params"]>;
  query: Parsed<C["query"]>;
  body: Parsed<C["body"]>;
  log: Logger;
};

type HandlerResult<C extends RouteContract> = z.input<C["response"]> | Response;

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * Every /api handler goes through here: request id, authentication, zod parsing, group check,
 * company scope (the context handed on), one error envelope, and a structured log line.
 */
export function route<const C extends RouteContract>(
  contract: C,
  handler: (input: HandlerInput<C>) => Promise<HandlerResult<C>> | HandlerResult<C>,
): (request: NextRequest, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    const started = performance.now();
    const requestId = requestIdFrom(request);
    let log = logger().child({ request_id: requestId });
    let ctx: TenantContext | null = null;
    let response: Response;
    const meter = requestMeter(contract, request);
    try {
      ctx = await withRequestQueries(request.signal, () => authenticate(request, contract, meter));
      if (ctx)
        log = log.child({ user_id: ctx.user?.id ?? null, api_key_id: ctx.apiKey?.id, company_id: ctx.companyId });
      const verdict = await meter.verdict(ctx);
      if (verdict && !verdict.allowed) throw rateLimitExceeded(verdict, ctx);
      if (contract.platformAdmin) {
        if (!ctx) throw authenticationRequired();
        assertPlatformAdmin(ctx);
      }

      // Who may call comes before what they sent: a caller without the group learns 403, not a validation error.
      if (contract.group && !ctx) throw authenticationRequired();
      if (contract.group && ctx && !hasGroup(ctx.groups, contract.group)) {
        throw new ApiError("FORBIDDEN", `This action needs the '${contract.group}' group`, {
          required_group: contract.group,
          your_groups: ctx.groups,
        });
      }

      const params = parse("path", contract.params, await context.params);
      const query = parse("query", contract.query, queryObject(request.nextUrl.searchParams));
      const body = contract.body ? parse("body", contract.body, await readJson(request)) : undefined;

      const input = { request, requestId, ctx, params, query, body, log } as HandlerInput<C>;
      // The handler's statements run on the request pool and stop when the client goes away.
      const result = await withRequestScope(requestId, () =>
        withRequestQueries(request.signal, async () => handler(input)),
      );
      response = result instanceof Response ? result : jsonResponse(contract, result);
    } catch (error) {
      response = toErrorResponse(error, requestId, log);
    }
    // Failed requests count too (a caller over its limit is refused whatever else went wrong).
    const verdict = await meter.verdict(ctx);
    if (verdict && !verdict.allowed && response.status !== 429) {
      response = errorResponse(rateLimitExceeded(verdict, ctx), requestId);
    }
    if (verdict)
      for (const [name, value] of Object.entries(rateLimitHeaders(verdict)))
        response = withHeader(response, name, value);
    response = withHeader(response, "X-Request-Id", requestId);
    const elapsedMs = performance.now() - started;
    observeHttpRequest({
      method: request.method,
      route: contract.path,
      status: response.status,
      seconds: elapsedMs / 1000,
    });
    const durationMs = Math.round(elapsedMs);
    if (ctx && env().USAGE_RECORDING_ENABLED) {
      recordApiRequest({
        companyId: ctx.companyId,
        userId: ctx.user?.id ?? null,
        apiKeyId: ctx.apiKey?.id ?? null,
        method: request.method,
        route: contract.path,
        statusCode: response.status,
        durationMs,
        at: new Date(),
      });
    }
    const line = {
      method: request.method,
      path: request.nextUrl.pathname,
      status: response.status,
      duration_ms: durationMs,
    };
    // An abandoned request's 503 (its statement was cancelled) reached nobody and is no server fault.
    if (request.signal.aborted) log.info(line, "request abandoned by its client");
    else if (response.status >= 500) log.error(line, "request failed");
    else log.info(line, "request completed");
    return response;
  };
}

async function authenticate(
  request: NextRequest,
  contract: RouteContract,
  meter: RequestMeter,
): Promise<TenantContext | null> {
  if (contract.auth === "public") return null;
  const authorization = request.headers.get("authorization");
  if (authorization) return orRefuse(await contextFromAuthorization(authorization, meter.onCompany), contract);
  const ctx = await contextFromSession(meter.onCompany);
  if (ctx) refuseCrossSiteWrite(request);
  return orRefuse(ctx, contract);
}

function orRefuse(ctx: TenantContext | null, contract: RouteContract): TenantContext | null {
  if (!ctx && contract.auth === "required") throw authenticationRequired();
  return ctx;
}

/** The session cookie rides along on requests other sites start; a write it carries must come from the app. */
function refuseCrossSiteWrite(request: NextRequest): void {
  const provenance = {
    method: request.method,
    origin: request.headers.get("origin"),
    fetchSite: request.headers.get("sec-fetch-site"),
  };
  if (isSameOriginWrite(provenance, env().APP_URL)) return;
  throw new ApiError(
    "FORBIDDEN",
    `Cross-site request refused: a write with the session cookie must come from ${new URL(env().APP_URL).origin} ` +
      "(Origin or Sec-Fetch-Site: same-origin); another site's script must send 'Authorization: Bearer <token>' instead",
    { origin: provenance.origin, sec_fetch_site: provenance.fetchSite },
  );
}

const authenticationRequired = () =>
  new ApiError(
    "AUTHENTICATION_FAILED",
    "Authentication required: sign in, or send 'Authorization: Bearer <token>' with an access token or API key",
    null,
    { "WWW-Authenticate": "Bearer" },
  );

/** Some responses (e.g. Response.redirect) have immutable headers: copy those before adding one. */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

function parse<S extends z.ZodType | undefined>(location: string, schema: S, value: unknown): Parsed<S> {
  if (!schema) return undefined as Parsed<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw ApiError.validation(location, result.error);
  return result.data as Parsed<S>;
}

function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    object[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return object;
}

async function readJson(request: NextRequest): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "The request body must be JSON (Content-Type: application/json)");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await readLimited(request, MAX_JSON_BODY_BYTES);
  if (text.trim() === "") throw new ApiError("VALIDATION_ERROR", "The request body is empty; send a JSON object");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("VALIDATION_ERROR", "The request body is not valid JSON");
  }
}

/** Reads the body as text, stopping as soon as it passes the limit (a chunked body has no Content-Length). */
async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      // The client went away mid-body (a browser cancels a request it no longer needs): its fault, not ours.
      throw new ApiError("BAD_REQUEST", "The request body ended before it was complete (the client aborted it)", {
        reason: error instanceof Error ? error.message : String(error),
      });
    });
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const tooLarge = () =>
  new ApiError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_JSON_BODY_BYTES / 1024} KiB`);

function jsonResponse(contract: RouteContract, data: unknown): Response {
  // Outside production the declared response schema is enforced, so a contract cannot drift from the code.
  if (env().NODE_ENV !== "production") {
    const checked = contract.response.safeParse(data);
    if (!checked.success) {
      throw new Error(
        `Response of ${contract.method} ${contract.path} does not match its contract: ${checked.error.message}`,
      );
    }
  }
  return Response.json(data, { status: contract.status ?? 200, headers: { "Cache-Control": "no-store" } });
}

export function toErrorResponse(error: unknown, requestId: string, log: Logger): Response {
  const known = ApiError.from(error);
  if (known) return errorResponse(known, requestId);
  log.error({ err: error }, "unhandled error");
  return errorResponse(
    new ApiError("INTERNAL_ERROR", "Something went wrong on our side; quote the request id when reporting it"),
    requestId,
  );
}
