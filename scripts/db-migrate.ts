import { getDatabase } from "@/db";
import { ConfigError } from "@/lib/env";

try {
  const handle = await getDatabase();
  console.log(`migrations applied (${handle.kind})`);
  await handle.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
