import { STATUS_CODES } from "node:http";
import type { ZodType } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiResponsesObject } from "zod-openapi";
import type { RouteContract } from "@/lib/api/contract";
import { errorEnvelopeSchema } from "@/lib/api/openapi/error-envelope";
import { errorStatusesOf } from "@/lib/api/openapi/error-responses";
import { accessOf, securityOf } from "@/lib/api/openapi/security";

/** `POST /api/jobs/{job_id}/cancel` → `postJobsByJobIdCancel`: stable, unique per route, readable in generated clients. */
export function operationIdOf(contract: Pick<RouteContract, "method" | "path">): string {
  const words = contract.path
    .replace(/^\/api\/?/, "")
    .split("/")
    .filter(Boolean)
    .flatMap((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment)?.[1];
      return parameter ? ["by", ...parameter.split(/[^A-Za-z0-9]+/)] : segment.split(/[^A-Za-z0-9]+/);
    })
    .filter(Boolean);
  return [contract.method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join("");
}

/** Routes whose path names a CSV file answer with the file itself, not JSON. */
const mediaTypeOf = (contract: RouteContract) => (contract.path.endsWith(".csv") ? "text/csv" : "application/json");

function requestBodyOf(contract: RouteContract): ZodOpenApiOperationObject["requestBody"] {
  if (contract.body) return { required: true, content: { "application/json": { schema: contract.body } } };
  if (contract.form) return { required: true, content: { "multipart/form-data": { schema: contract.form } } };
  return undefined;
}

function requestParamsOf(contract: RouteContract): ZodOpenApiOperationObject["requestParams"] {
  if (!contract.params && !contract.query) return undefined;
  return {
    ...(contract.params ? { path: asObject(contract, contract.params) } : {}),
    ...(contract.query ? { query: asObject(contract, contract.query) } : {}),
  };
}

type ObjectSchema = NonNullable<NonNullable<ZodOpenApiOperationObject["requestParams"]>["path"]>;

/** Path and query parameters are the fields of an object schema; anything else cannot be listed as parameters. */
function asObject(contract: RouteContract, schema: ZodType): ObjectSchema {
  if (schema.def.type !== "object") {
    throw new Error(`${contract.method} ${contract.path}: path and query schemas must be z.object(…)`);
  }
  return schema as ObjectSchema;
}

type StatusKey = `${1 | 2 | 3 | 4 | 5}${string}`;
const statusKey = (status: number) => String(status) as StatusKey;

const seconds = { type: "integer", minimum: 0 } as const;

/** What every metered response says about the caller's rate limit (lib/api/request-meter.ts). */
const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": { description: "Requests the window allows (the window with the fewest left)", schema: seconds },
  "X-RateLimit-Remaining": { description: "Requests left in that window", schema: seconds },
  "X-RateLimit-Reset": { description: "When that window ends, in Unix seconds", schema: seconds },
};

const RETRY_AFTER = { "Retry-After": { description: "Seconds until the caller may try again", schema: seconds } };

function responsesOf(contract: RouteContract): ZodOpenApiResponsesObject {
  const status = contract.status ?? 200;
  const metered = contract.metered !== false;
  const headersFor = (answer: number) => ({
    ...(metered ? RATE_LIMIT_HEADERS : {}),
    ...(answer === 429 ? RETRY_AFTER : {}),
  });
  const responses: ZodOpenApiResponsesObject = {
    [statusKey(status)]: {
      description: STATUS_CODES[status] ?? "Success",
      headers: headersFor(status),
      content: { [mediaTypeOf(contract)]: { schema: contract.response } },
    },
  };
  for (const error of errorStatusesOf(contract)) {
    responses[statusKey(error.status)] = {
      description: error.description,
      headers: headersFor(error.status),
      content: { "application/json": { schema: errorEnvelopeSchema } },
    };
  }
  return responses;
}

/** One contract as an OpenAPI operation: the same zod schemas the route wrapper validates with. */
export function operationOf(contract: RouteContract): ZodOpenApiOperationObject {
  const access = accessOf(contract);
  return {
    operationId: operationIdOf(contract),
    summary: contract.summary,
    description: contract.description ? `${contract.description}\n\n${access}` : access,
    tags: [...contract.tags],
    security: securityOf(contract),
    ...(contract.group ? { "x-required-group": contract.group } : {}),
    ...(contract.platformAdmin ? { "x-platform-admin": true } : {}),
    requestParams: requestParamsOf(contract),
    requestBody: requestBodyOf(contract),
    responses: responsesOf(contract),
  };
}
