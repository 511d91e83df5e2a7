// `next build` leaves static assets, public files and our migrations outside the standalone server;
// copy them in so that `.next/standalone` is the whole production artefact.
import { cpSync, existsSync } from "node:fs";

const standalone = ".next/standalone";
if (!existsSync(standalone)) {
  console.error("No .next/standalone: run `next build` with output: 'standalone' first");
  process.exit(1);
}
cpSync(".next/static", `${standalone}/.next/static`, { recursive: true });
if (existsSync("public")) cpSync("public", `${standalone}/public`, { recursive: true });
cpSync("db/migrations", `${standalone}/db/migrations`, { recursive: true });
console.log("standalone server ready: node .next/standalone/server.js");
