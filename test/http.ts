import { NextRequest } from "next/server";
import { expect } from "vitest";

/** Calls a route handler the way Next does: a NextRequest and a context whose params resolve later. */

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = (request: NextRequest, context: RouteContext) => Promise<Response> | Response;

export type CallOptions = {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON with Content-Type application/json, unless a string (sent as is). */
  body?: unknown;
  bearer?: string;
  params?: Record<string, string | string[]>;
};

export type CallResult = { status: number; headers: Headers; json: Record<string, unknown> };

async function respond(handler: RouteHandler, path: string, options: CallOptions): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.bearer !== undefined) headers.set("authorization", `Bearer ${options.bearer}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new NextRequest(`http://localhost${path}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

export async function call(handler: RouteHandler, path: string, options: CallOptions = {}): Promise<CallResult> {
  const response = await respond(handler, path, options);
  const text = await response.text();
  const json = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  return { status: response.status, headers: response.headers, json };
}

export type DownloadResult = { status: number; headers: Headers; bytes: Buffer };

/** Like `call`, for a response that is a file: its bytes, as sent. */
export async function download(
  handler: RouteHandler,
  path: string,
  options: CallOptions = {},
): Promise<DownloadResult> {
  const response = await respond(handler, path, options);
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

export type Envelope = { code: string; message: string; details: unknown; request_id: string; timestamp: string };

/** Checks the error envelope's shape and returns its `error` object. */
export function expectEnvelope(result: CallResult, status: number, code: string): Envelope {
  expect(result.status, JSON.stringify(result.json)).toBe(status);
  expect(Object.keys(result.json)).toEqual(["error"]);
  const error = result.json.error as Envelope;
  expect(Object.keys(error).sort()).toEqual(["code", "details", "message", "request_id", "timestamp"]);
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe("string");
  expect(typeof error.request_id).toBe("string");
  expect(error.message.length).toBeGreaterThan(0);
  expect(new Date(error.timestamp).toISOString()).toBe(error.timestamp);
  expect(result.headers.get("x-request-id")).toBe(error.request_id);
  return error;
}

// Asymmetric matchers typed as unknown, so object literals holding them stay free of `any`.
export const anyString: unknown = expect.any(String);
export const anyNumber: unknown = expect.any(Number);
export const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

/**
 * Calls a route handler with a request built by the test (multipart bodies, storage PUTs, …), for
 * handlers whose context is typed more narrowly than `call` allows (e.g. `{ key: string[] }`).
 */
export async function send<P>(
  handler: (request: NextRequest, context: { params: Promise<P> }) => Promise<Response> | Response,
  request: NextRequest,
  params: P,
): Promise<CallResult> {
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  const json = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  return { status: response.status, headers: response.headers, json };
}

/**
 * A multipart/form-data POST as a client sends it: the form encoded once, with its Content-Type
 * (boundary included) and Content-Length headers.
 */
export async function multipartRequest(
  path: string,
  form: FormData,
  { bearer, headers = {} }: { bearer?: string; headers?: Record<string, string> } = {},
): Promise<NextRequest> {
  const encoded = new Response(form);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const all = new Headers(headers);
  all.set("content-type", encoded.headers.get("content-type") ?? "multipart/form-data");
  all.set("content-length", String(bytes.byteLength));
  if (bearer !== undefined) all.set("authorization", `Bearer ${bearer}`);
  return new NextRequest(`http://localhost${path}`, { method: "POST", headers: all, body: bytes });
}
