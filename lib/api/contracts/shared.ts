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

type PrefixedShape<Shape extends Record<string, z.ZodType>, Prefix extends string> = {
  [Name in keyof Shape & string as `${Prefix}${Name}`]: Shape[Name];
};

/**
 * A partial-update body under Intake's short names (`resolved`) that also takes seed 001's prefixed ones
 * (`issue_resolved`), so clients written for the earlier API work unchanged. Both names are declared (the
 * OpenAPI document shows both); the handler sees only the short ones. Both given with different values → 400
 * naming both; no field at all → 400 listing them.
 */
export function updateBodyWithPrefixedAliases<
  const Shape extends Record<string, z.ZodType>,
  const Prefix extends string,
>(shape: Shape, prefix: Prefix) {
  const names = Object.keys(shape);
  const aliases = Object.fromEntries(
    Object.entries(shape).map(([name, schema]) => [
      `${prefix}${name}`,
      schema.describe(`The earlier API's name for \`${name}\`: send either`),
    ]),
  ) as PrefixedShape<Shape, Prefix>;
  return z
    .strictObject({ ...shape, ...aliases })
    .superRefine((body: Record<string, unknown>, ctx) => {
      for (const name of names) {
        const alias = `${prefix}${name}`;
        if (body[name] !== undefined && body[alias] !== undefined && body[name] !== body[alias]) {
          ctx.addIssue({
            code: "custom",
            path: [alias],
            message: `${alias} and ${name} name the same field with different values; send one of them`,
          });
        }
      }
    })
    .transform((body: Record<string, unknown>) => {
      const merged = Object.fromEntries(
        names.map((name) => [name, body[name] !== undefined ? body[name] : body[`${prefix}${name}`]]),
      );
      return merged as { [Name in keyof Shape]: z.output<Shape[Name]> };
    })
    .refine((body) => Object.values(body).some((value) => value !== undefined), {
      message: `Send at least one of ${names.map((name) => `${name} (or ${prefix}${name})`).join(", ")}`,
    });
}
