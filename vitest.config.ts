import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      // The real package throws unless imported under the react-server condition, which only Next's bundler sets.
      { find: /^server-only$/, replacement: path.join(root, "test", "empty.ts") },
      { find: /^@\//, replacement: `${root}/` },
    ],
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    setupFiles: ["test/setup/session-context.ts"],
    exclude: ["**/node_modules/**", "**/.next/**", "e2e/**", ".data/**"],
    // The tests assert the defaults: settings from the developer's shell must not leak in ("" counts as unset).
    env: {
      NODE_ENV: "test",
      APP_ENV: "",
      // Every request through the route wrapper logs a line; keep the test output readable.
      LOG_LEVEL: "silent",
      ACCESS_TOKEN_TTL_SECONDS: "",
      REFRESH_TOKEN_TTL_DAYS: "",
      SEED_ADMIN_EMAIL: "",
      SEED_ADMIN_PASSWORD: "",
      SEED_COMPANY_NAME: "",
      COGNITO_USER_POOL_ID: "",
      COGNITO_CLIENT_ID: "",
      COGNITO_CLIENT_SECRET: "",
    },
    // Integration files open PGlite (about 5 s) or create a throwaway Postgres database before their first test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: at most two files at once, each in its own process.
    pool: "forks",
    maxWorkers: 2,
  },
});
