import "server-only";
import { randomBytes } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { companies, memberships, users } from "@/db/schema";
import { slugify } from "@/db/queries/companies";
import { findUserByEmail, normaliseEmail } from "@/db/queries/users";
import { env } from "@/lib/env";
import { hashPassword } from "@/lib/auth/passwords";

export const DEFAULT_ADMIN_EMAIL = "admin@intake.local";

export type SeedResult =
  | { created: false }
  | { created: true; email: string; password: string; passwordGenerated: boolean; companyName: string };

/**
 * First start: a demo company and its admin. When SEED_ADMIN_EMAIL is given that admin is created if
 * missing; otherwise an admin is created only while there are no users at all. Existing users are
 * never changed, so a password someone set is not reset by a restart.
 */
export async function ensureSeedData(): Promise<SeedResult> {
  const config = env();
  const db = await getDb();
  const email = normaliseEmail(config.SEED_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL);
  if (!config.SEED_ADMIN_EMAIL) {
    const [row] = await db.select({ users: count() }).from(users);
    if ((row?.users ?? 0) > 0) return { created: false };
  }
  if (await findUserByEmail({ email })) return { created: false };

  const passwordGenerated = !config.SEED_ADMIN_PASSWORD;
  const password = config.SEED_ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const companyName = config.SEED_COMPANY_NAME;
  const slug = slugify(companyName);

  const created = await db.transaction(async (tx) => {
    await tx.insert(companies).values({ name: companyName, slug }).onConflictDoNothing({ target: companies.slug });
    const [company] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.slug, slug)).limit(1);
    const [user] = await tx
      .insert(users)
      .values({ email, name: "Administrator", passwordHash, isPlatformAdmin: true, emailVerified: new Date() })
      .onConflictDoNothing()
      .returning({ id: users.id });
    // Another server starting at the same moment created the admin first.
    if (!company || !user) return false;
    await tx.insert(memberships).values({ companyId: company.id, userId: user.id, groups: ["admin"] });
    return true;
  });
  return created ? { created: true, email, password, passwordGenerated, companyName } : { created: false };
}

export function describeSeed(result: SeedResult & { created: true }): string {
  const lines = [
    "Intake created its first company and administrator. Sign in with:",
    `  company:  ${result.companyName}`,
    `  email:    ${result.email}`,
    `  password: ${result.password}`,
  ];
  if (result.passwordGenerated) lines.push("This password is shown only once; set SEED_ADMIN_PASSWORD to choose it.");
  const width = Math.max(...lines.map((line) => line.length));
  const rule = "=".repeat(width);
  return [rule, ...lines, rule].join("\n");
}
