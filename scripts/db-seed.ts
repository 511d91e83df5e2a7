import { parseArgs } from "node:util";
import { getDatabase } from "@/db";
import { ensureCompany, findCompanyBySlug, slugify, upsertMembership } from "@/db/queries/companies";
import { findUserByEmail } from "@/db/queries/users";
import { grantPlatformAdmin, resetPassword } from "@/lib/auth/account";
import { createApiKey } from "@/lib/auth/api-keys";
import { toGroups, type Group } from "@/lib/auth/groups";
import { ConfigError, env } from "@/lib/env";
import { ensureSeedData } from "@/lib/startup/seed";
import { reportSeed } from "@/lib/startup/start-server";

const USAGE = `Usage: npm run db:seed [-- options]
  Creates the first company and administrator when missing (as the server does at start-up), then:
  --api-key             creates an API key for a company and prints it (once)
  --name NAME           the key's name (default "Seed key")
  --company SLUG        the key's company (default the seed company)
  --add-member EMAIL    adds an existing user to the company named by --to-company (created if missing)
  --to-company NAME     that company's name
  --groups a,b          groups of the key or the membership (default: admin for keys, viewer for members)
  --reset-password EMAIL
                        gives that account a new generated password and prints it (once); its sessions
                        and tokens stop working. With the embedded database, stop the server first
  --platform-admin EMAIL
                        makes that account a platform administrator (it may manage every tenant)`;

function parseGroups(value: string | undefined, fallback: Group): Group[] {
  if (value === undefined) return [fallback];
  const groups = toGroups(value.split(","));
  if (groups.length === 0) throw new Error(`--groups: none of '${value}' is a group (admin, editor, uploader, viewer)`);
  return groups;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "api-key": { type: "boolean", default: false },
      name: { type: "string", default: "Seed key" },
      company: { type: "string" },
      "add-member": { type: "string" },
      "to-company": { type: "string" },
      groups: { type: "string" },
      "reset-password": { type: "string" },
      "platform-admin": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const handle = await getDatabase();
  try {
    const resetEmail = values["reset-password"];
    const seeded = await ensureSeedData();
    // About to reset a password or grant a role: how to reset one, or why SEED_ADMIN_PASSWORD was not applied, is noise.
    if (seeded.created || (resetEmail === undefined && values["platform-admin"] === undefined)) {
      reportSeed(seeded, { log: { info: console.log, warn: console.warn }, stopServerFirst: false });
    }

    if (resetEmail !== undefined) {
      const reset = await resetPassword({ email: resetEmail });
      console.log(
        `New password for ${reset.email}, shown only once:\n${reset.password}\n` +
          `Every session and token it had stops working (refresh tokens revoked: ${reset.revokedRefreshTokens}).`,
      );
    }

    if (values["platform-admin"] !== undefined) {
      const granted = await grantPlatformAdmin({ email: values["platform-admin"] });
      console.log(
        granted.already
          ? `${granted.email} already is a platform administrator.`
          : `${granted.email} is now a platform administrator.`,
      );
    }

    if (values["add-member"]) {
      if (!values["to-company"]) throw new Error("--add-member needs --to-company NAME");
      const user = await findUserByEmail({ email: values["add-member"] });
      if (!user) throw new Error(`--add-member: no user with email '${values["add-member"]}'`);
      const company = await ensureCompany({ name: values["to-company"] });
      const groups = parseGroups(values.groups, "viewer");
      await upsertMembership({ companyId: company.id, userId: user.id, groups });
      console.log(`${user.email} is a member of ${company.name} (${groups.join(", ")}).`);
    }

    if (values["api-key"]) {
      const slug = values.company ?? slugify(env().SEED_COMPANY_NAME);
      const company = await findCompanyBySlug({ slug });
      if (!company) throw new Error(`--company: no company with slug '${slug}'`);
      const groups = parseGroups(values.groups, "admin");
      const key = await createApiKey({ companyId: company.id, name: values.name, groups });
      console.log(`API key for ${company.name} (${groups.join(", ")}), shown only once:\n${key.key}`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
