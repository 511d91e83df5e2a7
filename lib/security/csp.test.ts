import { describe, expect, it } from "vitest";
import { API_CONTENT_SECURITY_POLICY, createNonce, pageContentSecurityPolicy, uploadOrigins } from "@/lib/security/csp";

type Settings = Parameters<typeof pageContentSecurityPolicy>[1];
const LOCAL: Settings = {
  NODE_ENV: "production",
  S3_BUCKET: undefined,
  S3_ENDPOINT: undefined,
  S3_PUBLIC_ENDPOINT: undefined,
  S3_REGION: "us-east-1",
  S3_FORCE_PATH_STYLE: false,
};

/** The policy as directive → sources. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split("; ").map((directive) => {
      const [name = "", ...sources] = directive.split(" ");
      return [name, sources];
    }),
  );
}

describe("pageContentSecurityPolicy", () => {
  it("lets only scripts carrying this response's nonce run, and frames, plugins, bases and foreign forms nothing", () => {
    const policy = directives(pageContentSecurityPolicy("abc123==", LOCAL));
    expect(policy).toEqual({
      "default-src": ["'self'"],
      "script-src": ["'self'", "'nonce-abc123=='", "'strict-dynamic'"],
      "style-src": ["'self'", "'unsafe-inline'"],
      "img-src": ["'self'", "data:", "blob:"],
      "font-src": ["'self'"],
      "connect-src": ["'self'"],
      "object-src": ["'none'"],
      "base-uri": ["'self'"],
      "form-action": ["'self'"],
      "frame-ancestors": ["'none'"],
    });
  });

  it.each([
    { NODE_ENV: "production", evalAllowed: false },
    { NODE_ENV: "test", evalAllowed: true },
    { NODE_ENV: "development", evalAllowed: true },
  ] as const)("in $NODE_ENV allows eval: $evalAllowed", ({ NODE_ENV, evalAllowed }) => {
    const scripts = directives(pageContentSecurityPolicy("n", { ...LOCAL, NODE_ENV }))["script-src"];
    expect(scripts?.includes("'unsafe-eval'")).toBe(evalAllowed);
  });

  it("lets the browser connect to the bucket it uploads to", () => {
    const s3 = { ...LOCAL, S3_BUCKET: "intake", S3_REGION: "eu-west-1" };
    expect(directives(pageContentSecurityPolicy("n", s3))["connect-src"]).toEqual([
      "'self'",
      "https://intake.s3.eu-west-1.amazonaws.com",
    ]);
  });
});

describe("uploadOrigins", () => {
  it.each([
    { name: "local storage", settings: {}, origins: [] },
    {
      name: "AWS",
      settings: { S3_BUCKET: "b", S3_REGION: "us-east-2" },
      origins: ["https://b.s3.us-east-2.amazonaws.com"],
    },
    {
      name: "AWS, path style",
      settings: { S3_BUCKET: "b", S3_REGION: "us-east-2", S3_FORCE_PATH_STYLE: true },
      origins: ["https://s3.us-east-2.amazonaws.com"],
    },
    {
      name: "an S3-compatible endpoint",
      settings: { S3_BUCKET: "b", S3_ENDPOINT: "https://minio.example.com:9000/" },
      origins: ["https://minio.example.com:9000", "https://b.minio.example.com:9000"],
    },
    {
      name: "a store the browser reaches at another address than the server",
      settings: {
        S3_BUCKET: "b",
        S3_ENDPOINT: "http://minio:9000",
        S3_PUBLIC_ENDPOINT: "https://files.example.com",
        S3_FORCE_PATH_STYLE: true,
      },
      origins: ["https://files.example.com"],
    },
    {
      name: "an S3-compatible endpoint, path style",
      settings: { S3_BUCKET: "b", S3_ENDPOINT: "http://127.0.0.1:4569", S3_FORCE_PATH_STYLE: true },
      origins: ["http://127.0.0.1:4569"],
    },
  ])("$name: $origins", ({ settings, origins }) => {
    expect(uploadOrigins({ ...LOCAL, ...settings })).toEqual(origins);
  });
});

describe("API_CONTENT_SECURITY_POLICY", () => {
  it("loads nothing and may not be framed", () => {
    expect(directives(API_CONTENT_SECURITY_POLICY)).toEqual({
      "default-src": ["'none'"],
      "frame-ancestors": ["'none'"],
    });
  });
});

describe("createNonce", () => {
  it("is 128 random bits, base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
