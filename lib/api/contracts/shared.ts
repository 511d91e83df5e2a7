import { z } from "zod";

/** Pieces several contracts share. */

export const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
};

/** `?resolved=true|false` (a query string has no booleans; anything else is refused, not read as false). */
export const booleanQuery = z.enum(["true", "false"]).transform((value) => value === "true");

/** A free-text search term; blank means no search. */
export const searchQuery = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((value) => (value ? value : undefined));
