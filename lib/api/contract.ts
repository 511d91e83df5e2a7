import type { z } from "zod";
import type { Group } from "@/lib/auth/groups";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * What a route accepts and returns, declared once: the wrapper validates against it and the OpenAPI
 * document is generated from the list of contracts in `lib/api/contracts`.
 */
export type RouteContract = {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/jobs/{job_id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** `public`: anyone; `optional`: the caller is identified when credentials are sent; `required`: 401 without. */
  auth: "public" | "optional" | "required";
  /** The group the caller needs (admins pass every check). */
  group?: Group;
  /** Only platform administrators (users.is_platform_admin) may call it: everyone else, API keys too, gets 403. */
  platformAdmin?: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Fields of a multipart/form-data body, which the handler reads itself (the wrapper parses JSON bodies only). */
  form?: z.ZodType;
  response: z.ZodType;
  /** Status of a successful response; 200 when not given. */
  status?: number;
  /**
   * false: never counted against a rate limit and answered without X-RateLimit-* headers (the health,
   * readiness and metrics checks that infrastructure polls must not be refused).
   */
  metered?: false;
  /** Error codes this route may answer with besides the ones every route has. */
  errors?: readonly string[];
};

export function defineContract<const C extends RouteContract>(contract: C): C {
  return contract;
}
