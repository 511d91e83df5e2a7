/** A refusal from the API, carrying the error envelope's fields; `message` is the server's own words. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | null;
  readonly requestId: string | null;

  constructor(input: { status: number; code: string; message: string; details?: unknown; requestId?: string | null }) {
    super(input.message);
    this.name = "ApiRequestError";
    this.status = input.status;
    this.code = input.code;
    this.details = isRecord(input.details) ? input.details : null;
    this.requestId = input.requestId ?? null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fallbackMessage(status: number): string {
  if (status === 401) return "Your session has ended; sign in again";
  if (status === 403) return "You are not allowed to do that";
  if (status === 413) return "The file is too large";
  if (status === 429) return "Too many requests; wait a moment and try again";
  if (status >= 500) return `The server could not do that (HTTP ${status}); try again later`;
  return `The request was refused (HTTP ${status})`;
}

/** Turns a failed response's body (the JSON error envelope, or anything else) into an ApiRequestError. */
export function errorFromBody(status: number, bodyText: string, requestId: string | null = null): ApiRequestError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // Not JSON (a proxy's HTML page, S3's XML): the status says enough.
  }
  const envelope = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null;
  if (envelope && typeof envelope.message === "string" && envelope.message) {
    return new ApiRequestError({
      status,
      code: typeof envelope.code === "string" ? envelope.code : "ERROR",
      message: envelope.message,
      details: envelope.details,
      requestId: typeof envelope.request_id === "string" ? envelope.request_id : requestId,
    });
  }
  return new ApiRequestError({ status, code: "HTTP_" + status, message: fallbackMessage(status), requestId });
}

export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: "same-origin",
      ...rest,
      headers: {
        Accept: "application/json",
        ...(json === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiRequestError({
      status: 0,
      code: "NETWORK_ERROR",
      message: "The server could not be reached; check your connection",
    });
  }
  if (!response.ok) throw errorFromBody(response.status, await response.text(), response.headers.get("x-request-id"));
  return (await response.json()) as T;
}

/** A query string from the given parameters, leaving out those that are unset (null, undefined or ""). */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text === "" ? "" : `?${text}`;
}
