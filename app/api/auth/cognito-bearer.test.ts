import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as me } from "@/app/api/auth/me/route";
import { memberships, users, type Company } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";

/**
 * Cognito ID tokens as bearer tokens, end to end: a key pair made here stands in for the user pool's.
 * Its public half is served as a JWKS document by a local HTTP server, and requests for the pool's
 * real JWKS address are sent there, so jose's remote key set fetches and caches it as it would AWS's.
 */

const POOL_ID = "eu-west-1_TestPool1";
const CLIENT_ID = "intake-test-client";
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL_ID}`;
const KID = "pool-key-1";

type MeJson = {
  auth_method: string;
  user: { id: string; email: string | null; name: string | null } | null;
  company: { id: string; slug: string };
  groups: string[];
};

// One pool for the file: jose caches the key set it fetched, as it would the real pool's, across both back ends.
let poolKey: CryptoKey;
/** Another pool's key: a token it signs must fail whatever its header says. */
let strangerKey: CryptoKey;
let jwksServer: Server;
const jwksRequests: string[] = [];

beforeAll(async () => {
  const pool = await generateKeyPair("RS256");
  poolKey = pool.privateKey;
  strangerKey = (await generateKeyPair("RS256")).privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pool.publicKey)), kid: KID, alg: "RS256", use: "sig" }] };
  jwksServer = createServer((request, response) => {
    jwksRequests.push(request.url ?? "");
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  const local = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  const realFetch = globalThis.fetch;
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    return realFetch(url.startsWith("https://cognito-idp.") ? url.replace(/^https:\/\/[^/]+/, local) : input, init);
  });
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await new Promise((resolve) => jwksServer.close(resolve));
});

describeEachBackend("Cognito ID tokens as bearer tokens", (database) => {
  let defaultCompany: Company;
  let otherCompany: Company;

  type Signing = { key?: CryptoKey; kid?: string; issuer?: string; audience?: string; expiresIn?: string | number };
  const idToken = async (
    claims: JWTPayload & Record<string, unknown>,
    { key = poolKey, kid = KID, issuer = ISSUER, audience = CLIENT_ID, expiresIn = "1h" }: Signing = {},
  ): Promise<string> =>
    new SignJWT({ token_use: "id", ...claims })
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key);
  const meWith = (token: string) => call(me, "/api/auth/me", { bearer: token });
  const usersWithEmail = (email: string) =>
    database.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  const membershipsOf = (userId: string) =>
    database.db
      .select({ companyId: memberships.companyId, groups: memberships.groups, isActive: memberships.isActive })
      .from(memberships)
      .where(eq(memberships.userId, userId));

  beforeAll(async () => {
    defaultCompany = await createCompany(database.db, "Cognito Default");
    otherCompany = await createCompany(database.db, "Cognito Other");
    vi.stubEnv("COGNITO_USER_POOL_ID", POOL_ID);
    vi.stubEnv("COGNITO_CLIENT_ID", CLIENT_ID);
    vi.stubEnv("COGNITO_DEFAULT_COMPANY", defaultCompany.slug);
    resetEnvForTests();
  });

  afterAll(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  it("a valid ID token signs in, creating the member on first use with the token's groups mapped to Intake's", async () => {
    const email = `ana-${unique()}@example.com`;
    const result = await meWith(
      await idToken({ email, name: "Ana Cognito", "cognito:groups": ["Editor", "uploader", "billing"] }),
    );
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    const body = result.json as MeJson;
    expect(body).toMatchObject({
      auth_method: "cognito",
      user: { email, name: "Ana Cognito" },
      company: { id: defaultCompany.id },
      groups: ["editor", "uploader"],
    });
    const [user] = await usersWithEmail(email);
    expect(user?.id).toBe(body.user?.id);
    expect(await membershipsOf(body.user?.id ?? "")).toEqual([
      { companyId: defaultCompany.id, groups: ["editor", "uploader"], isActive: true },
    ]);
    // The key set came from the pool's own address (here served locally), not from anything the token named.
    expect(jwksRequests).toContain(`/${POOL_ID}/.well-known/jwks.json`);
  });

  it("using tokens again creates no second user or membership; the groups follow the latest token (Cognito is the source of truth)", async () => {
    const email = `bo-${unique()}@example.com`;
    expect((await meWith(await idToken({ email, "cognito:groups": ["admin"] }))).status).toBe(200);
    const again = await meWith(await idToken({ email: email.toUpperCase(), "cognito:groups": ["viewer"] }));
    expect(again.status, JSON.stringify(again.json)).toBe(200);
    expect((again.json as MeJson).groups).toEqual(["viewer"]);

    const found = await usersWithEmail(email);
    expect(found).toHaveLength(1);
    expect(await membershipsOf(found[0]?.id ?? "")).toEqual([
      { companyId: defaultCompany.id, groups: ["viewer"], isActive: true },
    ]);
    const none = await meWith(await idToken({ email }));
    expect((none.json as MeJson).groups).toEqual(["viewer"]);
  });

  it("a custom:company claim puts the member in that company instead of the default one", async () => {
    const email = `cy-${unique()}@example.com`;
    const result = await meWith(await idToken({ email, "custom:company": otherCompany.slug }));
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    expect(result.json).toMatchObject({ company: { id: otherCompany.id }, groups: ["viewer"] });
  });

  it("a member an admin deactivated stays out: a new Cognito token neither signs them in nor reactivates them", async () => {
    const email = `di-${unique()}@example.com`;
    const first = await meWith(await idToken({ email, "cognito:groups": ["editor"] }));
    const userId = (first.json as MeJson).user?.id ?? "";
    await database.db
      .update(memberships)
      .set({ isActive: false })
      .where(and(eq(memberships.userId, userId), eq(memberships.companyId, defaultCompany.id)));

    expectEnvelope(await meWith(await idToken({ email, "cognito:groups": ["editor"] })), 403, "FORBIDDEN");
    expect((await membershipsOf(userId))[0]?.isActive).toBe(false);
  });

  const refusals: [string, (email: string) => Promise<string>][] = [
    ["an issuer other than the pool", (email) => idToken({ email }, { issuer: `${ISSUER}-other` })],
    ["an audience other than the app client", (email) => idToken({ email }, { audience: "another-client" })],
    ["an expired token", (email) => idToken({ email }, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ["an access token (token_use: access)", (email) => idToken({ email, token_use: "access" })],
    ["a token signed by another key under the pool key's id", (email) => idToken({ email }, { key: strangerKey })],
    ["a key id the pool does not publish", (email) => idToken({ email }, { key: strangerKey, kid: "unknown-kid" })],
    ["a token without an email", () => idToken({})],
    [
      "a signature cut off",
      async (email) => {
        const token = await idToken({ email });
        return token.slice(0, token.lastIndexOf(".") + 1);
      },
    ],
  ];

  describe.each(refusals)("%s", (_title, tokenFor) => {
    it("gets 401 and creates nobody", async () => {
      const email = `refused-${unique()}@example.com`;
      const error = expectEnvelope(await meWith(await tokenFor(email)), 401, "AUTHENTICATION_FAILED");
      expect(error.message).toMatch(/not valid/);
      expect(await usersWithEmail(email)).toEqual([]);
    });
  });
});
