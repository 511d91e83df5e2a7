import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { createApiKey } from "@/db/queries/api-keys";
import { companies } from "@/db/schema";
import { describeSeed, ensureSeedData, slugify } from "@/db/seed";
import { toGroups } from "@/lib/auth/groups";
import { ConfigError, env } from "@/lib/env";

const USAGE = `Usage: npm run db:seed [-- --api-key [--name NAME] [--groups uploader,editor] [--company SLUG]]
  Creates the first company and administrator when missing (as the server does at start-up).
  --api-key   also creates an API key (printed once) for the company
  --name      the key's name (default "Seed key")
  --groups    comma-separated groups of the key (default admin)
  --company   the company's slug (default the seed company)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "api-key": { type: "boolean", default: false },
      name: { type: "string", default: "Seed key" },
      groups: { type: "string", default: "admin" },
      company: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const handle = await getDatabase();
  try {
    const seeded = await ensureSeedData();
    console.log(seeded.created ? describeSeed(seeded) : "The seed company and administrator already exist.");
    if (!values["api-key"]) return;

    const groups = toGroups(values.groups.split(","));
    if (groups.length === 0) throw new Error(`--groups: none of '${values.groups}' is a group (admin, editor, uploader, viewer)`);
    const slug = values.company ?? slugify(env().SEED_COMPANY_NAME);
    const [company] = await handle.db.select().from(companies).where(eq(companies.slug, slug)).limit(1);
    if (!company) throw new Error(`--company: no company with slug '${slug}'`);
    const key = await createApiKey({ companyId: company.id, name: values.name, groups });
    console.log(`API key for ${company.name} (${groups.join(", ")}), shown only once:\n${key.key}`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
