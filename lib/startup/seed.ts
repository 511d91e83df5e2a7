import "server-only";
import { slugify } from "@/db/queries/companies";
import {
  countUsers,
  createFirstAdmin,
  findFirstPlatformAdmin,
  findUserByEmail,
  normaliseEmail,
} from "@/db/queries/users";
import type { User } from "@/db/schema";
import { env } from "@/lib/env";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/passwords";

export const DEFAULT_ADMIN_EMAIL = "admin@intake.local";

export type SeedResult = SeedCreated | SeedFound;
type SeedCreated = { created: true; email: string; password: string; passwordGenerated: boolean; companyName: string };
type SeedFound = {
  created: false;
  /** The administrator already there (null when people exist but none is a platform admin). */
  adminEmail: string | null;
  /**
   * SEED_ADMIN_PASSWORD is set but is not the administrator's password: it was not applied, since it
   * only ever sets a new administrator's password.
   */
  seedPasswordIgnored: boolean;
};

/**
 * First start: a demo company and its admin. When SEED_ADMIN_EMAIL is given that admin is created if
 * missing; otherwise an admin is created only while there are no users at all. Existing users are
 * never changed: a restart must not undo a password someone changed since, nor put back one that
 * lingers in a deployment's settings (`--reset-password` is the way to replace a lost one).
 */
export async function ensureSeedData(): Promise<SeedResult> {
  const config = env();
  const email = normaliseEmail(config.SEED_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL);
  const found = async (admin: User | null): Promise<SeedFound> => ({
    created: false,
    adminEmail: admin?.email ?? null,
    // Quiet when the administrator's password is that one anyway (e.g. `db:seed` created it just before).
    seedPasswordIgnored:
      config.SEED_ADMIN_PASSWORD !== undefined &&
      !(await verifyPassword(admin?.passwordHash, config.SEED_ADMIN_PASSWORD)),
  });
  if (!config.SEED_ADMIN_EMAIL) {
    if ((await countUsers()) > 0) return found((await findUserByEmail({ email })) ?? (await findFirstPlatformAdmin()));
  }
  const existing = await findUserByEmail({ email });
  if (existing) return found(existing);

  const passwordGenerated = !config.SEED_ADMIN_PASSWORD;
  const password = config.SEED_ADMIN_PASSWORD ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const companyName = config.SEED_COMPANY_NAME;
  const slug = slugify(companyName);

  const created = await createFirstAdmin({ email, passwordHash, companyName, slug });
  if (created) return { created: true, email, password, passwordGenerated, companyName };
  // Another server created the admin a moment ago, from the same settings.
  return { created: false, adminEmail: email, seedPasswordIgnored: false };
}

export function resetPasswordCommand(email: string | null): string {
  return `npm run db:seed -- --reset-password ${email ?? "EMAIL"}`;
}

/**
 * What to tell whoever starts Intake when the administrator was already there: how to get back in
 * (the embedded database allows one process at a time, so its server must be stopped first), and, when
 * SEED_ADMIN_PASSWORD is set, that it was not applied and why.
 */
export function describeFoundAdmin(
  result: SeedFound,
  { stopServerFirst }: { stopServerFirst: boolean },
): { resetHint: string; seedPasswordWarning: string | null } {
  const command = resetPasswordCommand(result.adminEmail);
  const run = stopServerFirst ? `stop the server and run: ${command}` : `run: ${command}`;
  const resetHint = result.adminEmail
    ? `The administrator ${result.adminEmail} already exists; if its password is lost, ${run}`
    : `People already exist, so no administrator was created; to give someone a new password, ${run}`;
  const seedPasswordWarning = result.seedPasswordIgnored
    ? `SEED_ADMIN_PASSWORD was NOT applied: it sets the password only when the administrator is created, and ${
        result.adminEmail ? `${result.adminEmail} already exists` : "people already exist"
      }. To replace the password, ${run}`
    : null;
  return { resetHint, seedPasswordWarning };
}

export function describeSeed(result: SeedCreated): string {
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
