import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";

const SECRET = "s".repeat(32);

/** Runs parseEnv expecting a ConfigError and returns its message. */
function configError(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe("parseEnv defaults", () => {
  it("chooses the embedded defaults when nothing is set", () => {
    const config = parseEnv({ NODE_ENV: "test" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe(path.resolve(".data"));
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.LOG_FORMAT).toBe("json");
    expect(config.ACCESS_TOKEN_TTL_SECONDS).toBe(900);
    expect(config.REFRESH_TOKEN_TTL_DAYS).toBe(7);
    expect(config.AUTH_TRUST_HOST).toBe(true);
    expect(config.SEED_COMPANY_NAME).toBe("Demo Company");
    expect(config.APP_ENV).toBe("test");
    expect(config.cognito).toBeNull();
    expect(config.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it("treats empty strings as unset", () => {
    const config = parseEnv({ NODE_ENV: "test", DATABASE_URL: "", PORT: "", LOG_LEVEL: "", AUTH_SECRET: "" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe("info");
  });

  it("keeps a postgres DATABASE_URL", () => {
    const url = "postgres://intake:pw@db.example.com:5432/intake";
    expect(parseEnv({ NODE_ENV: "test", DATABASE_URL: url }).DATABASE_URL).toBe(url);
    expect(parseEnv({ NODE_ENV: "test", DATABASE_URL: "postgresql://localhost/x" }).DATABASE_URL).toBe(
      "postgresql://localhost/x",
    );
  });

  it.each([
    ["WARNING", "warn"],
    ["warning", "warn"],
    ["CRITICAL", "fatal"],
    ["critical", "fatal"],
    ["DEBUG", "debug"],
    ["info", "info"],
    ["Error", "error"],
    ["silent", "silent"],
  ])("LOG_LEVEL=%s → %s", (input, expected) => {
    expect(parseEnv({ NODE_ENV: "test", LOG_LEVEL: input }).LOG_LEVEL).toBe(expected);
  });

  it.each([
    ["simple", "simple"],
    ["SIMPLE", "simple"],
    ["json", "json"],
    ["JSON", "json"],
  ])("LOG_FORMAT=%s → %s", (input, expected) => {
    expect(parseEnv({ NODE_ENV: "test", LOG_FORMAT: input }).LOG_FORMAT).toBe(expected);
  });

  it.each([
    ["1", true],
    ["true", true],
    ["yes", true],
    ["0", false],
    ["false", false],
    ["no", false],
  ])("AUTH_TRUST_HOST=%s → %s", (input, expected) => {
    expect(parseEnv({ NODE_ENV: "test", AUTH_TRUST_HOST: input }).AUTH_TRUST_HOST).toBe(expected);
  });

  it("uses APP_ENV when given", () => {
    expect(parseEnv({ NODE_ENV: "test", APP_ENV: "staging" }).APP_ENV).toBe("staging");
  });

  it("uses AUTH_SECRET when given", () => {
    expect(parseEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET }).AUTH_SECRET).toBe(SECRET);
  });
});

describe("parseEnv rejects bad settings, naming them", () => {
  it("production without AUTH_SECRET", () => {
    const message = configError({ NODE_ENV: "production" });
    expect(message).toContain("AUTH_SECRET");
    expect(message).toMatch(/required in production/);
  });

  it.each<[string, Record<string, string>, string]>([
    ["a too-short AUTH_SECRET", { AUTH_SECRET: "short" }, "AUTH_SECRET"],
    ["a DATABASE_URL that is not a URL", { DATABASE_URL: "not a url" }, "DATABASE_URL"],
    ["a DATABASE_URL of another database", { DATABASE_URL: "mysql://localhost/intake" }, "DATABASE_URL"],
    [
      "COGNITO_USER_POOL_ID without COGNITO_CLIENT_ID",
      { COGNITO_USER_POOL_ID: "us-east-1_AbC123" },
      "COGNITO_CLIENT_ID",
    ],
    ["COGNITO_CLIENT_ID without COGNITO_USER_POOL_ID", { COGNITO_CLIENT_ID: "client" }, "COGNITO_USER_POOL_ID"],
    [
      "a malformed COGNITO_USER_POOL_ID",
      { COGNITO_USER_POOL_ID: "pool", COGNITO_CLIENT_ID: "c" },
      "COGNITO_USER_POOL_ID",
    ],
    ["a PORT that is not a number", { PORT: "eighty" }, "PORT"],
    ["a negative ACCESS_TOKEN_TTL_SECONDS", { ACCESS_TOKEN_TTL_SECONDS: "-5" }, "ACCESS_TOKEN_TTL_SECONDS"],
    ["an unknown LOG_LEVEL", { LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
    ["an unknown LOG_FORMAT", { LOG_FORMAT: "xml" }, "LOG_FORMAT"],
    ["an unknown NODE_ENV", { NODE_ENV: "staging" }, "NODE_ENV"],
    ["a bad SEED_ADMIN_EMAIL", { SEED_ADMIN_EMAIL: "admin" }, "SEED_ADMIN_EMAIL"],
    ["a short SEED_ADMIN_PASSWORD", { SEED_ADMIN_PASSWORD: "short" }, "SEED_ADMIN_PASSWORD"],
  ])("%s", (_label, overrides, name) => {
    const message = configError({ NODE_ENV: "test", ...overrides });
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} `));
  });

  it("says when a required setting is missing rather than malformed", () => {
    expect(configError({ NODE_ENV: "test", COGNITO_USER_POOL_ID: "us-east-1_AbC123" })).toBe(
      "Invalid configuration: COGNITO_CLIENT_ID is missing or empty (is required when COGNITO_USER_POOL_ID is set)",
    );
  });
});

describe("parseEnv Cognito", () => {
  it("derives the region and issuer from the pool id", () => {
    const config = parseEnv({
      NODE_ENV: "test",
      COGNITO_USER_POOL_ID: "eu-west-2_AbC123",
      COGNITO_CLIENT_ID: "client-1",
    });
    expect(config.cognito).toEqual({
      userPoolId: "eu-west-2_AbC123",
      clientId: "client-1",
      clientSecret: undefined,
      region: "eu-west-2",
      issuer: "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123",
    });
  });

  it("prefers an explicit COGNITO_REGION", () => {
    const config = parseEnv({
      NODE_ENV: "test",
      COGNITO_USER_POOL_ID: "eu-west-2_AbC123",
      COGNITO_CLIENT_ID: "client-1",
      COGNITO_CLIENT_SECRET: "shh",
      COGNITO_REGION: "us-east-1",
    });
    expect(config.cognito?.region).toBe("us-east-1");
    expect(config.cognito?.clientSecret).toBe("shh");
    expect(config.cognito?.issuer).toBe("https://cognito-idp.us-east-1.amazonaws.com/eu-west-2_AbC123");
  });
});

describe("parseEnv AUTH_SECRET outside production", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "intake-env-"));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("development generates a secret under DATA_DIR and reuses it on the next call", () => {
    const first = parseEnv({ NODE_ENV: "development", DATA_DIR: dataDir });
    expect(first.DATA_DIR).toBe(dataDir);
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, "auth-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first.AUTH_SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = parseEnv({ NODE_ENV: "development", DATA_DIR: dataDir });
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
  });

  it("NODE_ENV defaults to development (and so keeps a secret on disk)", () => {
    const config = parseEnv({ DATA_DIR: dataDir });
    expect(config.NODE_ENV).toBe("development");
    expect(readFileSync(path.join(dataDir, "auth-secret"), "utf8").trim()).toBe(config.AUTH_SECRET);
  });

  it("another DATA_DIR gets another secret", () => {
    const other = mkdtempSync(path.join(tmpdir(), "intake-env-"));
    try {
      const a = parseEnv({ NODE_ENV: "development", DATA_DIR: dataDir }).AUTH_SECRET;
      const b = parseEnv({ NODE_ENV: "development", DATA_DIR: other }).AUTH_SECRET;
      expect(a).not.toBe(b);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("test runs get a throwaway secret and write nothing", () => {
    const a = parseEnv({ NODE_ENV: "test", DATA_DIR: dataDir });
    const b = parseEnv({ NODE_ENV: "test", DATA_DIR: dataDir });
    expect(a.AUTH_SECRET).not.toBe(b.AUTH_SECRET);
    expect(() => statSync(path.join(dataDir, "auth-secret"))).toThrow(/ENOENT/);
  });
});

describe("the app's address and invitations", () => {
  it.each([
    { source: {}, appUrl: "http://localhost:3000" },
    { source: { PORT: "4100" }, appUrl: "http://localhost:4100" },
    { source: { AUTH_URL: "https://auth.example.com/" }, appUrl: "https://auth.example.com" },
    {
      source: { APP_URL: "https://intake.example.com/app/", AUTH_URL: "https://auth.example.com" },
      appUrl: "https://intake.example.com/app",
    },
  ])("APP_URL from $source is $appUrl", ({ source, appUrl }) => {
    expect(parseEnv({ NODE_ENV: "test", ...source }).APP_URL).toBe(appUrl);
  });

  it("refuses an APP_URL that is not an http(s) address", () => {
    expect(configError({ NODE_ENV: "test", APP_URL: "ftp://intake.example.com" })).toMatch(
      /^Invalid configuration: APP_URL/,
    );
    expect(configError({ NODE_ENV: "test", APP_URL: "intake.example.com" })).toMatch(/^Invalid configuration: APP_URL/);
  });

  it("invitations last 7 days unless INVITATION_TTL_DAYS says otherwise", () => {
    expect(parseEnv({ NODE_ENV: "test" }).INVITATION_TTL_DAYS).toBe(7);
    expect(parseEnv({ NODE_ENV: "test", INVITATION_TTL_DAYS: "2" }).INVITATION_TTL_DAYS).toBe(2);
    expect(configError({ NODE_ENV: "test", INVITATION_TTL_DAYS: "0" })).toMatch(/INVITATION_TTL_DAYS/);
  });
});

describe("parseEnv browser edge settings", () => {
  it.each([
    { value: undefined, origins: [] },
    { value: "", origins: [] },
    { value: "https://app.example.com", origins: ["https://app.example.com"] },
    {
      value: " https://a.example.com/ , http://localhost:5173",
      origins: ["https://a.example.com", "http://localhost:5173"],
    },
  ])("CORS_ORIGINS=$value allows $origins", ({ value, origins }) => {
    expect(parseEnv({ NODE_ENV: "test", CORS_ORIGINS: value }).CORS_ORIGINS).toEqual(origins);
  });

  it.each(["https://a.example.com/path", "a.example.com", "ftp://a.example.com", "*"])(
    "refuses CORS_ORIGINS=%s, naming the setting",
    (value) => {
      expect(configError({ NODE_ENV: "test", CORS_ORIGINS: value })).toMatch(
        /CORS_ORIGINS must be comma-separated origins/,
      );
    },
  );

  it.each([
    { value: undefined, trusted: false },
    { value: "true", trusted: true },
    { value: "0", trusted: false },
  ])("TRUST_PROXY=$value trusts forwarded headers: $trusted", ({ value, trusted }) => {
    expect(parseEnv({ NODE_ENV: "test", TRUST_PROXY: value }).TRUST_PROXY).toBe(trusted);
  });
});
