// Starts the production server built by `npm run build`. The standalone server changes its working
// directory to its own folder, so the embedded data directory is pinned to the project's first.
import { existsSync } from "node:fs";
import path from "node:path";

const server = path.resolve(".next/standalone/server.js");
if (!existsSync(server)) {
  console.error("No production build found: run `npm run build` first");
  process.exit(1);
}
process.env.DATA_DIR = path.resolve(process.env.DATA_DIR || ".data");
await import(server);
