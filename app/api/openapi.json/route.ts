import { route } from "@/lib/api/route";
import { openApiContract } from "@/lib/api/contracts/openapi";
import { openApiDocument } from "@/lib/api/openapi/document";

// The document changes only with a deployment: browsers and generators may keep it a few minutes.
export const GET = route(openApiContract, () =>
  Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }),
);
