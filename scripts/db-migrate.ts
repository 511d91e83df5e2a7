import { getDatabase } from "@/db";
import { ConfigError } from "@/lib/env";

async function main(): Promise<void> {
  const handle = await getDatabase();
  console.log(`migrations applied (${handle.kind})`);
  await handle.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
