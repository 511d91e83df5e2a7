import type { InngestFunction } from "inngest";

/** Every background function Intake runs; served at /api/inngest. Each lives in inngest/functions/. */
export const functions: InngestFunction.Any[] = [];
