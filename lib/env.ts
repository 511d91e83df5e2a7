import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads process.env. Every setting is declared here with its embedded default,
 * validated once, and read through `env()`.
 */

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().min(1).optional());
const positiveInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));
const flag = (fallback: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(["1", "0", "true", "false", "yes", "no"])
      .default(fallback ? "true" : "false")
      .transform((v) => v === "1" || v === "true" || v === "yes"),
  );

// The seeds use Python's level names; accept them alongside pino's.
const LOG_LEVEL_ALIASES: Record<string, string> = { warning: "warn", critical: "fatal" };

// Inngest's settings are also read on their own (inngestSettings), because the Inngest client is built
// when its module loads, which happens during `next build`, before runtime secrets exist.
const inngestShape = {
  JOB_CONCURRENCY: positiveInt(2),
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_DEV: flag(false),
  INNGEST_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
};

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    APP_ENV: optionalString,
    PORT: positiveInt(3000),
    DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(".data")),
    AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
    AUTH_TRUST_HOST: flag(true),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt(15 * 60),
    REFRESH_TOKEN_TTL_DAYS: positiveInt(7),
    APP_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    // Auth.js reads it itself; it is the app's address too when APP_URL is unset.
    AUTH_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    // Only behind a proxy that sets them may X-Forwarded-Host/-Proto name the app's address.
    TRUST_PROXY: flag(false),
    // Per-company request limits (companies.rate_limit_per_*); off only where a gateway in front limits instead.
    RATE_LIMIT_ENABLED: flag(true),
    // Usage records (GET /api/usage) of every API request; off only to measure what recording costs.
    USAGE_RECORDING_ENABLED: flag(true),
    // Password guessing: failed sign-ins (and refreshes) allowed per account and per client address in a window.
    SIGN_IN_MAX_FAILURES: positiveInt(10),
    SIGN_IN_ADDRESS_MAX_FAILURES: positiveInt(100),
    SIGN_IN_WINDOW_SECONDS: positiveInt(15 * 60),
    // Origins whose scripts may call /api with a bearer token (CORS), comma-separated; none when empty.
    CORS_ORIGINS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .default("")
        .transform((value, ctx) => {
          const origins = value
            .split(",")
            .map((entry) => entry.trim())
            .filter(Boolean);
          const invalid = origins.filter((entry) => originOf(entry) !== entry.replace(/\/+$/, ""));
          if (invalid.length > 0) {
            ctx.addIssue({
              code: "custom",
              message: `must be comma-separated origins such as https://app.example.com (no path); not ${invalid.join(", ")}`,
            });
            return z.NEVER;
          }
          return origins.map((entry) => originOf(entry) ?? entry);
        }),
    ),
    INVITATION_TTL_DAYS: positiveInt(7),
    LOG_LEVEL: z.preprocess(
      (v) => {
        const level = typeof v === "string" && v !== "" ? v.toLowerCase() : undefined;
        return level ? (LOG_LEVEL_ALIASES[level] ?? level) : undefined;
      },
      z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
    ),
    LOG_FORMAT: z.preprocess(
      (v) => (typeof v === "string" && v !== "" ? v.toLowerCase() : undefined),
      z.enum(["json", "simple"]).default("json"),
    ),
    SEED_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email().optional()),
    SEED_ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(8, "must be at least 8 characters").optional()),
    SEED_COMPANY_NAME: z.preprocess(emptyAsUndefined, z.string().default("Demo Company")),
    COGNITO_USER_POOL_ID: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[a-z]{2}-[a-z]+-\d_[A-Za-z0-9]+$/, "must look like us-east-1_AbCdEf123")
        .optional(),
    ),
    COGNITO_CLIENT_ID: optionalString,
    COGNITO_CLIENT_SECRET: optionalString,
    COGNITO_REGION: optionalString,
    COGNITO_DEFAULT_COMPANY: optionalString,
    ...inngestShape,
    S3_BUCKET: optionalString,
    S3_REGION: z.preprocess(emptyAsUndefined, z.string().default("us-east-1")),
    S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
    // Where browsers reach the store, when not at S3_ENDPOINT (e.g. the app reaches it inside a private network).
    S3_PUBLIC_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
    S3_FORCE_PATH_STYLE: flag(false),
    MAX_UPLOAD_BYTES: positiveInt(1024 * 1024 * 1024),
    /** Files of one upload session processed at once (each a job of its own). */
    SESSION_CONCURRENCY: positiveInt(4),
    UPLOAD_URL_TTL_SECONDS: positiveInt(15 * 60),
    INGEST_CHUNK_ROWS: positiveInt(100_000),
    STATEMENT_TIMEOUT_SECONDS: positiveInt(120),
    // An API request's statements are cancelled sooner than background work's.
    DB_STATEMENT_TIMEOUT_MS: positiveInt(15_000),
    // A Prometheus scraper's `Authorization: Bearer` for GET /api/metrics; unset, only platform admins read it.
    METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
    // Webhooks may call loopback, private and other internal addresses (and plain http to them in production).
    WEBHOOK_ALLOW_PRIVATE_URLS: flag(false),
  })
  .superRefine((value, ctx) => {
    if (value.COGNITO_USER_POOL_ID && !value.COGNITO_CLIENT_ID) {
      ctx.addIssue({
        code: "custom",
        path: ["COGNITO_CLIENT_ID"],
        message: "is required when COGNITO_USER_POOL_ID is set",
      });
    }
    if (value.COGNITO_CLIENT_ID && !value.COGNITO_USER_POOL_ID) {
      ctx.addIssue({
        code: "custom",
        path: ["COGNITO_USER_POOL_ID"],
        message: "is required when COGNITO_CLIENT_ID is set",
      });
    }
  });

/** `https://host[:port]` of an http(s) URL, or null for anything else. */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

type RawEnv = z.output<typeof schema>;

export type Env = Omit<RawEnv, "AUTH_SECRET" | "DATA_DIR" | "APP_URL"> & {
  AUTH_SECRET: string;
  /** The app's public address (no trailing slash), for links Intake hands out, such as invitations. */
  APP_URL: string;
  /** Absolute path of the directory for embedded data (PGlite, local files, the dev secret). */
  DATA_DIR: string;
  APP_ENV: string;
  cognito: { userPoolId: string; clientId: string; clientSecret?: string; region: string; issuer: string } | null;
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Source = Record<string, string | undefined>;

/** Builds the configuration from a source of variables; throws a ConfigError naming the first bad setting. */
export function parseEnv(source: Source): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = issue?.path.join(".") ?? "configuration";
    const value = source[name];
    const reason =
      value === undefined || value === "" ? `is missing or empty (${issue?.message ?? "invalid"})` : issue?.message;
    throw new ConfigError(`Invalid configuration: ${name} ${reason}`);
  }
  const raw = result.data;
  const dataDir = path.resolve(raw.DATA_DIR);
  let secret = raw.AUTH_SECRET;
  if (!secret) {
    if (raw.NODE_ENV === "production") {
      throw new ConfigError(
        "Invalid configuration: AUTH_SECRET is required in production (generate one with `openssl rand -base64 33`)",
      );
    }
    // Test runs get a throwaway secret; development keeps one so sessions survive restarts.
    secret = raw.NODE_ENV === "test" ? randomBytes(33).toString("base64") : devSecret(dataDir);
  }
  const cognito =
    raw.COGNITO_USER_POOL_ID && raw.COGNITO_CLIENT_ID
      ? (() => {
          const region = raw.COGNITO_REGION ?? raw.COGNITO_USER_POOL_ID.split("_")[0] ?? "us-east-1";
          return {
            userPoolId: raw.COGNITO_USER_POOL_ID,
            clientId: raw.COGNITO_CLIENT_ID,
            clientSecret: raw.COGNITO_CLIENT_SECRET,
            region,
            issuer: `https://cognito-idp.${region}.amazonaws.com/${raw.COGNITO_USER_POOL_ID}`,
          };
        })()
      : null;
  const appUrl = (raw.APP_URL ?? raw.AUTH_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
  return {
    ...raw,
    AUTH_SECRET: secret,
    DATA_DIR: dataDir,
    APP_ENV: raw.APP_ENV ?? raw.NODE_ENV,
    APP_URL: appUrl,
    cognito,
  };
}

function devSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(33).toString("base64");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export type InngestSettings = z.output<z.ZodObject<typeof inngestShape>> & { enabled: boolean };

/** Inngest runs the background functions when it has a signing key or a dev server; otherwise they run in-process. */
export function inngestSettings(source: Source = process.env): InngestSettings {
  const result = z.object(inngestShape).safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(
      `Invalid configuration: ${issue?.path.join(".") ?? "INNGEST"} ${issue?.message ?? "is invalid"}`,
    );
  }
  return { ...result.data, enabled: Boolean(result.data.INNGEST_SIGNING_KEY) || result.data.INNGEST_DEV };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change variables between cases; this forgets the parsed configuration. */
export function resetEnvForTests(): void {
  cached = undefined;
}
