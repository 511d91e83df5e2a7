import { count, eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { companies, memberships, users } from "@/db/schema";
import { slugify } from "@/db/queries/companies";
import { verifyAccessToken } from "@/lib/auth/access-tokens";
import { credentialStamp } from "@/lib/auth/credential-stamp";
import { verifyPassword } from "@/lib/auth/passwords";
import { loginWithPassword } from "@/lib/auth/token-service";
import { resetEnvForTests } from "@/lib/env";
import {
  DEFAULT_ADMIN_EMAIL,
  describeFoundAdmin,
  describeSeed,
  ensureSeedData,
  type SeedResult,
} from "@/lib/startup/seed";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany, createUser } from "@/test/fixtures";

const SEED_VARIABLES = ["SEED_ADMIN_EMAIL", "SEED_ADMIN_PASSWORD", "SEED_COMPANY_NAME"] as const;

/** Sets (or clears, with undefined) the seed variables for one test and re-reads the configuration. */
function seedEnv(values: Partial<Record<(typeof SEED_VARIABLES)[number], string>>): void {
  for (const name of SEED_VARIABLES) vi.stubEnv(name, values[name] ?? "");
  resetEnvForTests();
}

async function counts(database: TestDatabase) {
  const [[u], [c], [m]] = await Promise.all([
    database.db.select({ n: count() }).from(users),
    database.db.select({ n: count() }).from(companies),
    database.db.select({ n: count() }).from(memberships),
  ]);
  return { users: u?.n, companies: c?.n, memberships: m?.n };
}

describeEachBackend("ensureSeedData", (database) => {
  beforeEach(() => seedEnv({}));
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  it("creates the demo company and a platform admin in the admin group on an empty database", async () => {
    expect(await counts(database)).toEqual({ users: 0, companies: 0, memberships: 0 });

    const result = await ensureSeedData();
    expect(result).toMatchObject({
      created: true,
      email: DEFAULT_ADMIN_EMAIL,
      passwordGenerated: true,
      companyName: "Demo Company",
    });
    if (!result.created) throw new Error("expected the seed to create data");
    expect(result.password.length).toBeGreaterThanOrEqual(16);

    const [admin] = await database.db.select().from(users).where(eq(users.email, DEFAULT_ADMIN_EMAIL));
    expect(admin).toMatchObject({ name: "Administrator", isPlatformAdmin: true });
    expect(admin?.emailVerified).toBeInstanceOf(Date);
    expect(await verifyPassword(admin?.passwordHash, result.password)).toBe(true);

    const rows = await database.db
      .select({ slug: companies.slug, name: companies.name, groups: memberships.groups, userId: memberships.userId })
      .from(memberships)
      .innerJoin(companies, eq(companies.id, memberships.companyId));
    expect(rows).toEqual([{ slug: "demo-company", name: "Demo Company", groups: ["admin"], userId: admin?.id }]);
    expect(await counts(database)).toEqual({ users: 1, companies: 1, memberships: 1 });

    expect(describeSeed(result)).toContain(`password: ${result.password}`);
  });

  it("is a no-op the second time", async () => {
    const before = await counts(database);
    expect(before.users).toBe(1);
    const found = { created: false, adminEmail: DEFAULT_ADMIN_EMAIL, seedPasswordIgnored: false };
    await expect(ensureSeedData()).resolves.toEqual(found);
    await expect(ensureSeedData()).resolves.toEqual(found);
    expect(await counts(database)).toEqual(before);
  });

  it("with SEED_ADMIN_EMAIL and SEED_ADMIN_PASSWORD creates that admin, who can log in", async () => {
    seedEnv({ SEED_ADMIN_EMAIL: "Boss@Example.com", SEED_ADMIN_PASSWORD: "a-chosen-password" });

    const result = await ensureSeedData();
    expect(result).toEqual({
      created: true,
      email: "boss@example.com",
      password: "a-chosen-password",
      passwordGenerated: false,
      companyName: "Demo Company",
    });
    // The demo company already exists: the new admin joins it rather than creating another.
    expect(await counts(database)).toEqual({ users: 2, companies: 1, memberships: 2 });

    const pair = await loginWithPassword({ email: "boss@example.com", password: "a-chosen-password" });
    expect(pair.token_type).toBe("bearer");
    expect(pair.refresh_token).toMatch(/^rt_/);
    const verified = await verifyAccessToken(pair.access_token);
    const [company] = await database.db.select().from(companies).where(eq(companies.slug, "demo-company"));
    const [boss] = await database.db.select().from(users).where(eq(users.email, "boss@example.com"));
    expect(verified).toEqual({
      ok: true,
      claims: {
        userId: boss?.id,
        companyId: company?.id,
        credentialStamp: credentialStamp(boss?.passwordHash ?? null),
      },
    });

    await expect(loginWithPassword({ email: "boss@example.com", password: "wrong-password" })).rejects.toMatchObject({
      code: "AUTHENTICATION_FAILED",
    });

    // Running again with the same settings changes nothing, and never resets the password.
    seedEnv({ SEED_ADMIN_EMAIL: "boss@example.com", SEED_ADMIN_PASSWORD: "another-password" });
    await expect(ensureSeedData()).resolves.toEqual({
      created: false,
      adminEmail: "boss@example.com",
      seedPasswordIgnored: true,
    });
    await expect(
      loginWithPassword({ email: "boss@example.com", password: "a-chosen-password" }),
    ).resolves.toMatchObject({
      token_type: "bearer",
    });
  });

  it("treats SEED_ADMIN_EMAIL case-insensitively: no second account differing only in case", async () => {
    seedEnv({ SEED_ADMIN_EMAIL: "Case.Admin@Example.com", SEED_ADMIN_PASSWORD: "first-password" });
    expect((await ensureSeedData()).created).toBe(true);
    seedEnv({ SEED_ADMIN_EMAIL: "case.admin@EXAMPLE.com", SEED_ADMIN_PASSWORD: "second-password" });
    await expect(ensureSeedData()).resolves.toMatchObject({ created: false, adminEmail: "case.admin@example.com" });
    const matching = await database.db
      .select({ email: users.email })
      .from(users)
      .where(eq(users.email, "case.admin@example.com"));
    expect(matching).toHaveLength(1);
    await expect(
      database.db.insert(users).values({ email: "CASE.ADMIN@example.com", name: "Duplicate" }),
    ).rejects.toThrow();
  });

  it("with SEED_COMPANY_NAME puts a new admin in a new company", async () => {
    seedEnv({
      SEED_ADMIN_EMAIL: "owner@acme.test",
      SEED_ADMIN_PASSWORD: "acme-password",
      SEED_COMPANY_NAME: "Ácme Ltd.",
    });
    await expect(ensureSeedData()).resolves.toMatchObject({ created: true, companyName: "Ácme Ltd." });
    const rows = await database.db
      .select({ slug: companies.slug, email: users.email, groups: memberships.groups })
      .from(memberships)
      .innerJoin(companies, eq(companies.id, memberships.companyId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(users.email, "owner@acme.test"));
    expect(rows).toEqual([{ slug: "acme-ltd", email: "owner@acme.test", groups: ["admin"] }]);
  });
});

describeEachBackend("ensureSeedData when people exist but not the default administrator", (database) => {
  beforeEach(() => seedEnv({}));
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  it("creates nobody, and names the first platform administrator once there is one", async () => {
    const company = await createCompany(database.db);
    await createUser(database.db, { email: "member@acme.test", memberOf: [{ company, groups: ["editor"] }] });
    await expect(ensureSeedData()).resolves.toEqual({ created: false, adminEmail: null, seedPasswordIgnored: false });

    const first = await createUser(database.db, { email: "first-admin@acme.test" });
    await createUser(database.db, { email: "second-admin@acme.test" });
    await database.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.email, "second-admin@acme.test"));
    await database.db
      .update(users)
      .set({ isPlatformAdmin: true, createdAt: new Date(Date.now() - 60_000) })
      .where(eq(users.id, first.id));
    seedEnv({ SEED_ADMIN_PASSWORD: "never-applied" });
    await expect(ensureSeedData()).resolves.toEqual({
      created: false,
      adminEmail: "first-admin@acme.test",
      seedPasswordIgnored: true,
    });
    expect(await counts(database)).toMatchObject({ users: 3 });
  });
});

type Found = Extract<SeedResult, { created: false }>;

it.each<[string, Found, boolean, string, string | null]>([
  [
    "an admin found, embedded database",
    { created: false, adminEmail: "boss@acme.test", seedPasswordIgnored: false },
    true,
    "The administrator boss@acme.test already exists; if its password is lost, stop the server and run: npm run db:seed -- --reset-password boss@acme.test",
    null,
  ],
  [
    "an admin found, Postgres, SEED_ADMIN_PASSWORD set",
    { created: false, adminEmail: "boss@acme.test", seedPasswordIgnored: true },
    false,
    "The administrator boss@acme.test already exists; if its password is lost, run: npm run db:seed -- --reset-password boss@acme.test",
    "SEED_ADMIN_PASSWORD was NOT applied: it sets the password only when the administrator is created, and boss@acme.test already exists. To replace the password, run: npm run db:seed -- --reset-password boss@acme.test",
  ],
  [
    "no platform admin among the people there",
    { created: false, adminEmail: null, seedPasswordIgnored: true },
    false,
    "People already exist, so no administrator was created; to give someone a new password, run: npm run db:seed -- --reset-password EMAIL",
    "SEED_ADMIN_PASSWORD was NOT applied: it sets the password only when the administrator is created, and people already exist. To replace the password, run: npm run db:seed -- --reset-password EMAIL",
  ],
])("describeFoundAdmin: %s", (_label, found, stopServerFirst, resetHint, seedPasswordWarning) => {
  expect(describeFoundAdmin(found, { stopServerFirst })).toEqual({ resetHint, seedPasswordWarning });
});

it.each([
  ["Demo Company", "demo-company"],
  ["  Ácme & Søns, Ltd. ", "acme-s-ns-ltd"],
  ["Crème Brûlée", "creme-brulee"],
  ["!!!", "company"],
  ["", "company"],
])("slugify(%j) → %j", (name, slug) => {
  expect(slugify(name)).toBe(slug);
});
