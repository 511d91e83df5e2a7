import { createDocument, type ZodOpenApiPathsObject } from "zod-openapi";
import type { RouteContract } from "@/lib/api/contract";
import { contracts } from "@/lib/api/contracts";
import { operationOf } from "@/lib/api/openapi/operation";
import { securitySchemes } from "@/lib/api/openapi/security";
import packageJson from "@/package.json";

export type OpenApiDocument = ReturnType<typeof createDocument>;

const DESCRIPTION = [
  "Intake ingests CSV files of contacts into a company's contact list: upload, review the issues found, import.",
  "Every answer carries an `X-Request-Id` header. Every error is the JSON envelope `ErrorEnvelope`: " +
    '`{"error":{"code","message","details","request_id","timestamp"}}`.',
  "Routes that need a group say so in their description and in `x-required-group`; platform routes carry `x-platform-admin`.",
].join("\n\n");

/** The OpenAPI 3.1 document of the given routes, generated from their contracts. */
export function buildOpenApiDocument(routes: readonly RouteContract[]): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const contract of routes) {
    const method = contract.method.toLowerCase() as Lowercase<RouteContract["method"]>;
    const item = (paths[contract.path] ??= {});
    if (item[method]) throw new Error(`Two contracts for ${contract.method} ${contract.path}`);
    item[method] = operationOf(contract);
  }
  return createDocument({
    openapi: "3.1.0",
    info: { title: "Intake API", version: packageJson.version, description: DESCRIPTION },
    tags: [...new Set(routes.flatMap((contract) => contract.tags))].sort().map((name) => ({ name })),
    paths,
    components: { securitySchemes },
  });
}

let cached: OpenApiDocument | undefined;

/** Every /api route's document, built on first use: the contracts do not change while the process runs. */
export function openApiDocument(): OpenApiDocument {
  return (cached ??= buildOpenApiDocument(contracts));
}
