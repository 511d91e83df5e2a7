import { z } from "zod";
import { defineContract } from "@/lib/api/contract";

export const openApiContract = defineContract({
  method: "GET",
  path: "/api/openapi.json",
  summary: "This API's OpenAPI 3.1 document, generated from the same contracts the routes validate with",
  description: "Browsable at /docs.",
  tags: ["service"],
  auth: "public",
  response: z
    .looseObject({
      openapi: z.string(),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    })
    .describe("An OpenAPI 3.1 document"),
});
