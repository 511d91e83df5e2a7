import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/api/errors";

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The one shape of every error answer (lib/api/errors.ts `errorEnvelope`), as a named component. */
export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe("What kind of refusal; each code has one HTTP status"),
      message: z.string().describe("What went wrong, in words a person can act on"),
      details: z
        .unknown()
        .describe(
          "Facts a client can act on (ids, statuses, `fields: [{ field, reason }]` for invalid input); null when none",
        ),
      request_id: z.string().describe("Also in the X-Request-Id header; quote it when reporting a problem"),
      timestamp: z.iso.datetime(),
    }),
  })
  .meta({ id: "ErrorEnvelope", description: "Every error answer of /api has this shape" });
