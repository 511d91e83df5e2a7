import { afterEach, expect, it, vi } from "vitest";
import { loginWithPassword } from "@/lib/auth/token-service";
import { resetEnvForTests } from "@/lib/env";
import { ensureSeedData } from "@/lib/startup/seed";
import { reportSeed } from "@/lib/startup/start-server";
import { describeEachBackend } from "@/test/database";

function startWith(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  resetEnvForTests();
}

async function start({ stopServerFirst = false } = {}) {
  const log = { info: vi.fn<(message: string) => void>(), warn: vi.fn<(message: string) => void>() };
  const print = vi.fn<(text: string) => void>();
  reportSeed(await ensureSeedData(), { log, stopServerFirst, print });
  return {
    info: log.info.mock.calls.map(([message]) => message),
    warn: log.warn.mock.calls.map(([message]) => message),
    printed: print.mock.calls.map(([text]) => text),
  };
}

describeEachBackend("start-up report", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  it("the first start prints the new administrator and nothing else", async () => {
    startWith({ SEED_ADMIN_EMAIL: "boss@acme.test", SEED_ADMIN_PASSWORD: "first-password" });
    const first = await start();
    expect(first.info).toEqual([]);
    expect(first.warn).toEqual([]);
    expect(first.printed).toHaveLength(1);
    expect(first.printed[0]).toContain("email:    boss@acme.test");
  });

  it.each([
    ["without SEED_ADMIN_PASSWORD", {}],
    ["with SEED_ADMIN_PASSWORD still the administrator's password", { SEED_ADMIN_PASSWORD: "first-password" }],
  ])("a later start %s logs one line naming the reset command", async (_label, variables) => {
    startWith({ SEED_ADMIN_EMAIL: "boss@acme.test", ...variables });
    const later = await start({ stopServerFirst: true });
    expect(later.printed).toEqual([]);
    expect(later.warn).toEqual([]);
    expect(later.info).toEqual([
      "The administrator boss@acme.test already exists; if its password is lost, stop the server and run: npm run db:seed -- --reset-password boss@acme.test",
    ]);
  });

  it("a later start with another SEED_ADMIN_PASSWORD says it was NOT applied, and it is not", async () => {
    startWith({ SEED_ADMIN_EMAIL: "boss@acme.test", SEED_ADMIN_PASSWORD: "changed-in-the-env" });
    const later = await start();
    expect(later.info).toHaveLength(1);
    expect(later.warn).toEqual([
      "SEED_ADMIN_PASSWORD was NOT applied: it sets the password only when the administrator is created, and boss@acme.test already exists. To replace the password, run: npm run db:seed -- --reset-password boss@acme.test",
    ]);
    await expect(loginWithPassword({ email: "boss@acme.test", password: "changed-in-the-env" })).rejects.toMatchObject({
      code: "AUTHENTICATION_FAILED",
    });
    await expect(loginWithPassword({ email: "boss@acme.test", password: "first-password" })).resolves.toMatchObject({
      token_type: "bearer",
    });
  });
});
