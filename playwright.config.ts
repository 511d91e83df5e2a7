import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password" };
export const E2E_SECOND_COMPANY = "Second Company";

// Tests run against the production build (`npm run build`) on the embedded defaults, with a fresh
// data directory each run, in Debian's Chromium (Playwright never downloads a browser here).
export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // A second company (the admin is a viewer there) exercises the company switcher.
    command: `rm -rf .data/e2e && npm run --silent db:seed -- --add-member ${E2E_ADMIN.email} --to-company "${E2E_SECOND_COMPANY}" --groups viewer && node scripts/start.mjs`,
    url: `${baseURL}/api/ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      DATA_DIR: ".data/e2e",
      AUTH_SECRET: "e2e-only-secret-000000000000000000000000000",
      AUTH_URL: baseURL,
      SEED_ADMIN_EMAIL: E2E_ADMIN.email,
      SEED_ADMIN_PASSWORD: E2E_ADMIN.password,
      LOG_LEVEL: "warn",
      // The webhooks spec's receiver listens on this machine.
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    },
  },
});
