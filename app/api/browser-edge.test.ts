import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as directUpload } from "@/app/api/jobs/upload/route";
import { POST as createUpload } from "@/app/api/uploads/route";
import type { Company } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { contextFromSession } from "@/lib/auth/session-context";
import { resetEnvForTests } from "@/lib/env";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import { call, expectEnvelope, multipartRequest, send, type CallResult } from "@/test/http";
import { keyFor, storedKeys, type Signed } from "@/test/jobs";

/**
 * Issue 13 part 3 on real routes: a write carried by the session cookie is refused unless the browser
 * says it came from the app's own origin (APP_URL; the tests' default is http://localhost:3000); the
 * same request with a bearer token is not a cookie's and goes through. Upload URLs come from APP_URL,
 * whatever Host or X-Forwarded-Host the request names.
 */

const APP_ORIGIN = "http://localhost:3000";
const csv = () => `email,first_name,last_name,company\n${unique()}@example.com,Ana,Silva,Acme\n`;

const presign = (headers: Record<string, string>, bearer?: string): Promise<CallResult> =>
  call(createUpload, "/api/uploads", {
    headers,
    bearer,
    body: { filename: `c-${unique()}.csv`, size: 100, content_type: "text/csv" },
  });

async function uploadMultipart(headers: Record<string, string>, bearer?: string): Promise<CallResult> {
  const form = new FormData();
  form.set("file", new File([csv()], `c-${unique()}.csv`, { type: "text/csv" }));
  return send(directUpload, await multipartRequest("/api/jobs/upload", form, { headers, bearer }), {});
}

const CROSS_SITE: Record<string, Record<string, string>> = {
  "another site's Origin": { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  "another origin of the same site": { origin: "http://files.localhost:3000", "sec-fetch-site": "same-site" },
  "a sandboxed page (Origin: null)": { origin: "null" },
  "no Origin and no Sec-Fetch-Site": {},
};

const SAME_ORIGIN: Record<string, Record<string, string>> = {
  "the app's Origin": { origin: APP_ORIGIN },
  "Sec-Fetch-Site: same-origin without Origin": { "sec-fetch-site": "same-origin" },
};

describeEachBackend("the browser edge on real routes", (database) => {
  withTempDataDir("intake-browser-edge");
  let company: Company;
  let member: TestUser;
  let bearer: string;

  beforeAll(async () => {
    company = await createCompany(database.db);
    member = await createUser(database.db, { memberOf: [{ company, groups: ["uploader"] }] });
    bearer = await keyFor(company, ["uploader"]);
  });
  beforeEach(() => {
    vi.mocked(contextFromSession).mockResolvedValue({
      method: "session",
      companyId: company.id,
      companyName: company.name,
      companySlug: company.slug,
      groups: ["uploader"],
      user: { id: member.id, email: member.email, name: member.name, isPlatformAdmin: false },
      apiKey: null,
    });
  });
  afterEach(async () => {
    vi.mocked(contextFromSession).mockReset().mockResolvedValue(null);
    await drain();
  });

  describe("a write with the session cookie", () => {
    it.each(Object.entries(CROSS_SITE))("from %s is refused (JSON POST /api/uploads)", async (_, headers) => {
      const error = expectEnvelope(await presign(headers), 403, "FORBIDDEN");
      expect(error.message).toMatch(/^Cross-site request refused: .* must come from http:\/\/localhost:3000/);
      expect(error.details).toEqual({
        origin: headers.origin ?? null,
        sec_fetch_site: headers["sec-fetch-site"] ?? null,
      });
    });

    it.each(Object.entries(CROSS_SITE))(
      "from %s is refused before anything is stored (multipart POST /api/jobs/upload)",
      async (_, headers) => {
        expectEnvelope(await uploadMultipart(headers), 403, "FORBIDDEN");
        expect(await storedKeys(`uploads/${company.id}/`)).toEqual([]);
      },
    );

    it.each(Object.entries(SAME_ORIGIN))("from %s is accepted", async (_, headers) => {
      expect((await presign(headers)).status).toBe(201);
      const created = await uploadMultipart(headers);
      expect(created.status, JSON.stringify(created.json)).toBe(201);
    });

    it("a read from another site is answered (reads change nothing)", async () => {
      const result = await call(me, "/api/auth/me", { headers: CROSS_SITE["another site's Origin"] });
      expect(result.status).toBe(200);
    });
  });

  describe("the same cross-site writes with a bearer token", () => {
    it.each(Object.entries(CROSS_SITE))("from %s succeed, and never consult the session", async (_, headers) => {
      vi.mocked(contextFromSession).mockClear();
      expect((await presign(headers, bearer)).status).toBe(201);
      const created = await uploadMultipart(headers, bearer);
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      expect(contextFromSession).not.toHaveBeenCalled();
    });
  });

  describe("absolute URLs", () => {
    it.each<{ host: string; forwarded: Record<string, string> }>([
      { host: "evil.example", forwarded: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" } },
      { host: "evil.example:8443", forwarded: {} },
    ])("Host $host and $forwarded change no upload URL", async ({ host, forwarded }) => {
      const result = await presign({ host, ...forwarded }, bearer);
      expect(result.status).toBe(201);
      expect(new URL((result.json as Signed).upload_url).origin).toBe(APP_ORIGIN);
    });

    it("behind a trusted proxy (TRUST_PROXY=true) the forwarded host names the app", async () => {
      vi.stubEnv("TRUST_PROXY", "true");
      resetEnvForTests();
      try {
        const result = await presign(
          { "x-forwarded-host": "intake.example.com", "x-forwarded-proto": "https" },
          bearer,
        );
        expect(new URL((result.json as Signed).upload_url).origin).toBe("https://intake.example.com");
      } finally {
        vi.stubEnv("TRUST_PROXY", "");
        resetEnvForTests();
      }
    });
  });
});
