import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { NextRequest } from "next/server";
import { ApiError, errorResponse } from "@/lib/api/errors";
import { requestIdFrom } from "@/lib/api/request-id";
import { logger } from "@/lib/logger";
import {
  attachmentDisposition,
  ByteLimit,
  getLocalStorage,
  ObjectNotFoundError,
  ObjectTooLargeError,
  type LocalObjectStorage,
  type VerifyFailure,
} from "@/lib/storage";

/**
 * The local storage driver's endpoint: clients PUT a file's bytes to, and GET them from, the
 * short-lived signed URLs the driver hands out. With S3 configured, the URLs point at S3 and this
 * route answers 404. No session or API key here: the signature is the authorisation.
 */

type RouteContext = { params: Promise<{ key: string[] }> };

const FORBIDDEN_MESSAGES: Record<VerifyFailure, (method: string) => string> = {
  expired: () => "This storage URL has expired; request a new one",
  "bad-signature": () => "This storage URL's signature does not match (the URL was altered or was not issued here)",
  "wrong-method": (method) => `This storage URL was not signed for ${method} requests`,
  malformed: () => "This storage URL is malformed or incomplete",
};

export async function PUT(request: NextRequest, context: RouteContext): Promise<Response> {
  const requestId = requestIdFrom(request);
  try {
    const { storage, key, maxBytes } = await authorize(request, context);
    // An upload URL fills its key once: what was uploaded (and perhaps checked and registered) stays as it is.
    if (await storage.head(key)) {
      throw new ApiError("CONFLICT", "A file was already uploaded to this URL; ask POST /api/uploads for a new one");
    }

    const declared = request.headers.get("content-length");
    if (declared !== null) {
      if (!/^\d{1,16}$/.test(declared.trim())) throw new ApiError("BAD_REQUEST", "Content-Length is not a byte count");
      if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
    }

    // Streamed to a temporary file and counted on the way: never held in memory whole, and a body
    // longer than the signed size fails the write (which then leaves nothing behind).
    const limit = new ByteLimit(maxBytes);
    const body = request.body
      ? Readable.from(limit.pass(Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>)), {
          objectMode: false,
        })
      : Buffer.alloc(0);
    await storage.write(key, body, { contentType: request.headers.get("content-type") ?? "application/octet-stream" });

    return Response.json(
      { key, size: limit.bytes },
      { status: 200, headers: { "X-Request-Id": requestId, "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof ObjectTooLargeError) return errorResponse(tooLarge(error.maxBytes), requestId);
    if (request.signal.aborted && !ApiError.from(error)) {
      return errorResponse(
        new ApiError("BAD_REQUEST", "The upload was interrupted before the body was complete"),
        requestId,
      );
    }
    return failure(error, request, requestId);
  }
}

export async function GET(request: NextRequest, context: RouteContext): Promise<Response> {
  const requestId = requestIdFrom(request);
  try {
    const { storage, key, fileName } = await authorize(request, context);
    const object = await storage.open(key);
    const headers = new Headers({
      "Content-Type": object.contentType ?? "application/octet-stream",
      "Content-Length": String(object.size),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Request-Id": requestId,
    });
    if (fileName !== null) headers.set("Content-Disposition", attachmentDisposition(fileName));
    if (request.method === "HEAD") {
      object.stream.destroy();
      return new Response(null, { status: 200, headers });
    }
    return new Response(Readable.toWeb(object.stream) as unknown as ReadableStream<Uint8Array>, {
      status: 200,
      headers,
    });
  } catch (error) {
    return failure(error, request, requestId);
  }
}

function methodNotAllowed(request: NextRequest): Response {
  return errorResponse(
    new ApiError("METHOD_NOT_ALLOWED", `Storage URLs accept GET and PUT, not ${request.method}`, null, {
      Allow: "GET, HEAD, PUT",
    }),
    requestIdFrom(request),
  );
}

export const POST = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;

async function authorize(
  request: NextRequest,
  context: RouteContext,
): Promise<{ storage: LocalObjectStorage; key: string; maxBytes: number; fileName: string | null }> {
  const storage = getLocalStorage();
  if (!storage) throw new ApiError("NOT_FOUND", `No API route matches ${request.method} ${request.nextUrl.pathname}`);
  const { key: segments } = await context.params;
  // Next hands over the path decoded, one segment per element.
  const key = segments.join("/");
  const result = storage.verifySignedRequest({
    method: request.method,
    key,
    searchParams: request.nextUrl.searchParams,
  });
  if (!result.ok) {
    throw new ApiError("FORBIDDEN", FORBIDDEN_MESSAGES[result.reason](request.method), { reason: result.reason });
  }
  return { storage, key, maxBytes: result.maxBytes ?? 0, fileName: result.fileName };
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError("PAYLOAD_TOO_LARGE", `The upload is larger than the ${maxBytes} bytes this URL allows`, {
    max_bytes: maxBytes,
  });
}

function failure(error: unknown, request: NextRequest, requestId: string): Response {
  const known = ApiError.from(error);
  if (known) return errorResponse(known, requestId);
  if (error instanceof ObjectNotFoundError)
    return errorResponse(new ApiError("NOT_FOUND", "No stored object at this URL"), requestId);
  logger()
    .child({ request_id: requestId })
    .error({ err: error, method: request.method, path: request.nextUrl.pathname }, "storage request failed");
  return errorResponse(new ApiError("INTERNAL_ERROR", "The storage request failed"), requestId);
}
