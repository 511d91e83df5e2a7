import { and, asc, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { POST as login } from "@/app/api/auth/login/route";
import type { Database } from "@/db";
import {
  apiKeys,
  companies,
  contacts,
  issueItems,
  issues,
  jobs,
  memberships,
  stagingRows,
  users,
  webhooks,
  type Company,
} from "@/db/schema";
import type { RouteContract } from "@/lib/api/contract";
import { contracts } from "@/lib/api/contracts";
import { GROUPS, type Group } from "@/lib/auth/groups";
import { keyOf, NON_CONTRACT_ROUTES, routeFileOf, routeModule, servedRoutes, type RouteKey } from "@/test/api-routes";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import {
  call,
  download,
  expectEnvelope,
  multipartRequest,
  send,
  type CallResult,
  type RouteHandler,
} from "@/test/http";
import { insertWebhook } from "@/db/queries/webhooks";
import { keyFor } from "@/test/jobs";
import { HEADER, processedJob, reviewCompany } from "@/test/review";
import { insertSessionTree, sessionTreeState } from "@/test/sessions";

// next-auth does not load outside Next's bundler; the Auth.js route is imported only to list what it exports.
vi.mock("@/lib/auth/nextauth", () => ({ handlers: { GET: vi.fn(), POST: vi.fn() } }));

/**
 * The authorization matrix, driven by the list of route contracts: every contract × every caller
 * (nobody, a member holding one group, an API key holding one group) → the status the contract
 * promises, against the real route module and real credentials. A route added without a contract,
 * a contract without a probe, or a route that takes an id without a cross-company case fails here.
 */

async function handlerOf(contract: RouteContract): Promise<RouteHandler> {
  const handler = (await routeModule(routeFileOf(contract.path)))[contract.method];
  if (typeof handler !== "function") throw new Error(`${routeFileOf(contract.path)} exports no ${contract.method}`);
  return handler as RouteHandler;
}

// ---- callers ----

type CallerKind = "none" | "member" | "api_key" | "platform_admin";
type Caller = { name: string; kind: CallerKind; group: Group | null };

/**
 * The platform admin is a viewer of company A: the weakest group, so every company route answers it
 * as it answers any viewer (the flag adds nothing inside a company), and only the platform routes
 * (`platformAdmin: true`) tell it apart from everyone else.
 */
const PLATFORM_ADMIN: Caller = { name: "platform admin (a viewer of A)", kind: "platform_admin", group: "viewer" };

const CALLERS: readonly Caller[] = [
  { name: "no credentials", kind: "none", group: null },
  ...GROUPS.map((group): Caller => ({ name: `member who is only ${group}`, kind: "member", group })),
  ...GROUPS.map((group): Caller => ({ name: `API key of only ${group}`, kind: "api_key", group })),
  PLATFORM_ADMIN,
];

/**
 * The rule the contracts state (lib/api/contract.ts, lib/auth/groups.ts), written out here rather than
 * imported, so a change to the code is checked against it: admin passes every check, `viewer` is any
 * member, the other groups are separate powers.
 */
function holds(group: Group, required: Group): boolean {
  return group === "admin" || group === required || required === "viewer";
}

// ---- what each route is sent ----

type Outcome = { status: number; code?: string; message?: RegExp };

type ProbeRequest = {
  params?: Record<string, string>;
  query?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as multipart/form-data, to a route in MULTIPART_ROUTES. */
  form?: () => FormData;
};

type Probe = ProbeRequest & {
  /**
   * What a caller the contract lets through gets: never 401 or 403. Unknown ids (404) keep the
   * writes from changing anything; past the group check is what this shows.
   */
  allowed: Outcome;
  /** A handler's own refusal of API keys, whatever their groups (not a group check). */
  allowedForApiKey?: Outcome;
};

/** Company A as the probes see it: ids that exist there, and the pieces some bodies need. */
type World = {
  company: Company;
  job: number;
  jobContent: string;
  issue: number;
  signIn: TestUser;
  freshRefreshToken: () => Promise<string>;
};

const UNKNOWN_ID = String(Number.MAX_SAFE_INTEGER);
const OK: Outcome = { status: 200 };
const NOT_FOUND: Outcome = { status: 404, code: "NOT_FOUND" };

const PROBES: Record<RouteKey, (world: World) => Probe | Promise<Probe>> = {
  "POST /api/auth/login": (world) => ({
    body: { email: world.signIn.email, password: world.signIn.password },
    allowed: OK,
  }),
  "POST /api/auth/refresh": async (world) => ({
    body: { refresh_token: await world.freshRefreshToken() },
    allowed: OK,
  }),
  "GET /api/auth/me": () => ({ allowed: OK }),
  "GET /api/openapi.json": () => ({ allowed: OK }),
  "POST /api/auth/password": () => ({
    // A wrong current password: refused by the account rules, and no token of the member ends.
    body: { current_password: "not-the-current-password", new_password: `new-${unique()}-${unique()}` },
    allowed: { status: 400, code: "VALIDATION_ERROR", message: /current_password/ },
    allowedForApiKey: { status: 403, code: "FORBIDDEN", message: /API key has no password/ },
  }),
  "GET /api/companies": () => ({ allowed: OK }),
  "GET /api/companies/{id}": (world) => ({ params: { id: world.company.id }, allowed: OK }),
  // Only an admin of that company may rename it, a rule of the handler's (companies-routes.test.ts):
  // an id that exists nowhere gets everyone past authentication the same 404, and renames nothing.
  "PUT /api/companies/{id}": () => ({
    params: { id: crypto.randomUUID() },
    body: { name: "Renamed" },
    allowed: NOT_FOUND,
  }),
  "GET /api/health": () => ({ allowed: OK }),
  "GET /api/ready": () => ({ allowed: OK }),
  "GET /api/status": () => ({ allowed: OK }),
  "GET /api/metrics": () => ({ allowed: OK }),
  "GET /api/jobs": () => ({ allowed: OK }),
  "GET /api/jobs/{job_id}": (world) => ({ params: { job_id: String(world.job) }, allowed: OK }),
  "POST /api/uploads": () => ({
    body: { filename: "contacts.csv", size: 100, content_type: "text/csv" },
    allowed: { status: 201 },
  }),
  "POST /api/jobs": (world) => ({
    body: { key: `uploads/${world.company.id}/${crypto.randomUUID()}/contacts.csv`, filename: "contacts.csv" },
    allowed: NOT_FOUND,
  }),
  "POST /api/jobs/upload": (world) => ({
    // The file company A imported already: refused as a duplicate before anything is stored.
    form: () => {
      const form = new FormData();
      form.set("file", new File([new Uint8Array(Buffer.from(world.jobContent))], "contacts.csv", { type: "text/csv" }));
      return form;
    },
    allowed: { status: 409, code: "CONFLICT" },
  }),
  "POST /api/jobs/{job_id}/reprocess": () => ({ params: { job_id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "POST /api/jobs/{job_id}/cancel": () => ({ params: { job_id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "DELETE /api/jobs/{job_id}": () => ({ params: { job_id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "GET /api/jobs/{job_id}/rows": (world) => ({ params: { job_id: String(world.job) }, allowed: OK }),
  "GET /api/issues": () => ({ allowed: OK }),
  "GET /api/issues/job/{job_id}": (world) => ({ params: { job_id: String(world.job) }, allowed: OK }),
  "GET /api/issues/{issue_id}": (world) => ({ params: { issue_id: String(world.issue) }, allowed: OK }),
  "PUT /api/issues/{issue_id}": () => ({
    params: { issue_id: UNKNOWN_ID },
    body: { description: "checked" },
    allowed: NOT_FOUND,
  }),
  "POST /api/issues/resolve": () => ({ body: { issue_ids: [Number(UNKNOWN_ID)] }, allowed: NOT_FOUND }),
  "POST /api/issues/{issue_id}/keep": () => ({
    params: { issue_id: UNKNOWN_ID },
    body: { existing: true },
    allowed: NOT_FOUND,
  }),
  "POST /api/issues/preview": (world) => ({ body: { action: "skip", issue_ids: [world.issue] }, allowed: OK }),
  "PUT /api/staging/{staging_id}": () => ({
    params: { staging_id: UNKNOWN_ID },
    body: { status: "READY" },
    allowed: NOT_FOUND,
  }),
  "GET /api/contacts": () => ({ allowed: OK }),
  "GET /api/jobs/{job_id}/errors.csv": (world) => ({ params: { job_id: String(world.job) }, allowed: OK }),
  "POST /api/jobs/{job_id}/revert": () => ({ params: { job_id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "GET /api/contacts/export.csv": () => ({ allowed: OK }),
  "GET /api/api-keys": () => ({ allowed: OK }),
  "POST /api/api-keys": () => ({ body: { name: `probe ${unique()}`, groups: ["viewer"] }, allowed: { status: 201 } }),
  "DELETE /api/api-keys/{id}": () => ({ params: { id: crypto.randomUUID() }, allowed: NOT_FOUND }),
  "GET /api/users": () => ({ allowed: OK }),
  "GET /api/users/{id}": (world) => ({ params: { id: world.signIn.id }, allowed: OK }),
  "POST /api/users": () => ({
    body: { email: `probe-${unique()}@example.com`, name: "Probe", groups: ["viewer"], invite: true },
    allowed: { status: 201 },
  }),
  "PUT /api/users/{id}": () => ({
    params: { id: crypto.randomUUID() },
    body: { groups: ["viewer"] },
    allowed: NOT_FOUND,
  }),
  "DELETE /api/users/{id}": () => ({ params: { id: crypto.randomUUID() }, allowed: NOT_FOUND }),
  // Only the platform admin gets past the platform check: unknown tenants keep the writes from changing anything.
  "GET /api/admin/tenants": () => ({ allowed: OK }),
  "POST /api/admin/tenants": () => ({ body: { name: `Probe tenant ${unique()}` }, allowed: { status: 201 } }),
  "GET /api/admin/tenants/{id}": (world) => ({ params: { id: world.company.id }, allowed: OK }),
  "PUT /api/admin/tenants/{id}": () => ({
    params: { id: crypto.randomUUID() },
    body: { rate_limit_per_minute: 10 },
    allowed: NOT_FOUND,
  }),
  "DELETE /api/admin/tenants/{id}": () => ({ params: { id: crypto.randomUUID() }, allowed: NOT_FOUND }),
  // Unknown ids keep the writes from changing anything; projects and cycles need editor, sessions uploader.
  "GET /api/projects": () => ({ allowed: OK }),
  "POST /api/projects": () => ({ body: { name: `Probe project ${unique()}` }, allowed: { status: 201 } }),
  "GET /api/projects/{id}": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "PUT /api/projects/{id}": () => ({ params: { id: UNKNOWN_ID }, body: { name: "Renamed" }, allowed: NOT_FOUND }),
  "DELETE /api/projects/{id}": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "GET /api/cycles": () => ({ allowed: OK }),
  "POST /api/cycles": () => ({ body: { project_id: Number(UNKNOWN_ID), name: "Probe" }, allowed: NOT_FOUND }),
  "GET /api/cycles/{id}": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "PUT /api/cycles/{id}": () => ({ params: { id: UNKNOWN_ID }, body: { status: "closed" }, allowed: NOT_FOUND }),
  "DELETE /api/cycles/{id}": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "GET /api/sessions": () => ({ allowed: OK }),
  "POST /api/sessions": () => ({ body: { cycle_id: Number(UNKNOWN_ID), name: "Probe" }, allowed: NOT_FOUND }),
  "GET /api/sessions/stats": () => ({ allowed: OK }),
  "GET /api/sessions/{id}": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "PUT /api/sessions/{id}": () => ({ params: { id: UNKNOWN_ID }, body: { name: "Renamed" }, allowed: NOT_FOUND }),
  "DELETE /api/sessions/{id}": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "GET /api/sessions/{id}/files": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "POST /api/sessions/{id}/files": (world) => ({
    params: { id: UNKNOWN_ID },
    body: { key: `uploads/${world.company.id}/${crypto.randomUUID()}/contacts.csv`, filename: "contacts.csv" },
    allowed: NOT_FOUND,
  }),
  "POST /api/sessions/{id}/files/from-prefix": (world) => ({
    params: { id: UNKNOWN_ID },
    body: { prefix: `uploads/${world.company.id}/` },
    allowed: NOT_FOUND,
  }),
  "POST /api/sessions/{id}/cancel": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "POST /api/sessions/{id}/retry": () => ({ params: { id: UNKNOWN_ID }, allowed: NOT_FOUND }),
  "POST /api/uploads/start": () => ({ body: { session_id: Number(UNKNOWN_ID) }, allowed: NOT_FOUND }),
  "GET /api/uploads/status/{job_id}": () => ({ params: { job_id: `session-${UNKNOWN_ID}` }, allowed: NOT_FOUND }),
  // Admins only; unknown ids keep the writes (and the test event) from touching anything.
  "GET /api/webhooks": () => ({ allowed: OK }),
  "POST /api/webhooks": () => ({
    body: { url: "https://93.184.216.34/hooks/intake", events: ["job.completed"] },
    allowed: { status: 201 },
  }),
  "PUT /api/webhooks/{id}": () => ({
    params: { id: crypto.randomUUID() },
    body: { active: false },
    allowed: NOT_FOUND,
  }),
  "DELETE /api/webhooks/{id}": () => ({ params: { id: crypto.randomUUID() }, allowed: NOT_FOUND }),
  "POST /api/webhooks/{id}/rotate-secret": () => ({ params: { id: crypto.randomUUID() }, allowed: NOT_FOUND }),
  "GET /api/webhooks/{id}/deliveries": () => ({ params: { id: crypto.randomUUID() }, allowed: NOT_FOUND }),
  "POST /api/webhooks/{id}/test": () => ({ params: { id: crypto.randomUUID() }, allowed: NOT_FOUND }),
  "GET /api/audit": () => ({ allowed: OK }),
  "GET /api/usage": () => ({ query: "?from=2026-01-01&to=2026-01-31", allowed: OK }),
};

type RequestPart = "params" | "body";

/** Routes that read a multipart body themselves (their contract declares none). */
const MULTIPART_ROUTES: ReadonlySet<RouteKey> = new Set(["POST /api/jobs/upload"]);

function partsOf(contract: RouteContract): RequestPart[] {
  const parts: RequestPart[] = [];
  if (contract.path.includes("{")) parts.push("params");
  if (contract.body || MULTIPART_ROUTES.has(keyOf(contract))) parts.push("body");
  return parts;
}

/** A probe's request with one part malformed: every path parameter not a number, or a body of none of the fields. */
function malformed(probe: ProbeRequest, part: RequestPart): ProbeRequest {
  if (part === "params") {
    return {
      ...probe,
      params: Object.fromEntries(Object.keys(probe.params ?? {}).map((name) => [name, "not-a-number"])),
    };
  }
  // A multipart route gets JSON instead; a JSON route an empty object.
  return { ...probe, form: undefined, body: {} };
}

// ---- sending ----

async function sendProbe(
  contract: RouteContract,
  probe: ProbeRequest,
  bearer: string | undefined,
): Promise<CallResult> {
  const handler = await handlerOf(contract);
  const params = probe.params ?? {};
  const url =
    contract.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? "")) +
    (probe.query ?? "");
  if (probe.form) return send(handler, await multipartRequest(url, probe.form(), { bearer }), params);
  // Some answers are files (CSV): read the bytes, and parse them only when they are JSON.
  const result = await download(handler, url, { method: contract.method, bearer, body: probe.body, params });
  const isJson = /json/.test(result.headers.get("content-type") ?? "") && result.bytes.length > 0;
  return {
    status: result.status,
    headers: result.headers,
    json: isJson ? (JSON.parse(result.bytes.toString("utf8")) as Record<string, unknown>) : {},
  };
}

const errorCode = (result: CallResult): unknown => (result.json.error as { code?: unknown } | undefined)?.code;

function expectOutcome(result: CallResult, expected: Outcome & { requiredGroup?: Group }): void {
  if (!expected.code) {
    expect(result.status, JSON.stringify(result.json)).toBe(expected.status);
    return;
  }
  const error = expectEnvelope(result, expected.status, expected.code);
  if (expected.message) expect(error.message).toMatch(expected.message);
  // A group check's 403 names the group; any other 403 is not one.
  const details = (error.details ?? {}) as Record<string, unknown>;
  if (expected.requiredGroup) expect(details).toMatchObject({ required_group: expected.requiredGroup });
  else expect(details.required_group).toBeUndefined();
}

// ---- what takes an id, and who else has one ----

/** Field names of a schema's input, however nested (objects, unions). */
function inputFieldNames(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) (node as unknown[]).forEach(visit);
    else if (node && typeof node === "object") {
      for (const [name, value] of Object.entries(node as Record<string, unknown>)) {
        if (name === "properties" && value && typeof value === "object") names.push(...Object.keys(value));
        visit(value);
      }
    }
  };
  visit(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }));
  return names;
}

const ID_FIELD = /(^|_)(id|ids|key)$/;

/** Routes with an id input that is not a company's record to look up. */
const ID_ROUTES_WITHOUT_LOOKUP: ReadonlySet<RouteKey> = new Set([
  // Platform-wide by design: a platform admin reaches every tenant by its id, and everyone else (every
  // member and key of any company) gets 403 before any lookup, so there is no other company to cross into.
  "GET /api/admin/tenants/{id}",
  "PUT /api/admin/tenants/{id}",
  "DELETE /api/admin/tenants/{id}",
  // company_id names the company to act in: a non-member gets 403 (app/api/auth/tenant-scoping.test.ts).
  "POST /api/auth/login",
]);

function takesAnId(contract: RouteContract): boolean {
  return (
    contract.path.includes("{") ||
    [contract.query, contract.body].some((schema) => inputFieldNames(schema).some((name) => ID_FIELD.test(name)))
  );
}

/** Company B's records, whose ids a caller of company A sends. */
type Elsewhere = {
  company: Company;
  adminKey: string;
  adminKeyId: string;
  member: TestUser;
  reviewJob: number;
  completedJob: number;
  issue: number;
  row: number;
  storageKey: string;
  contactEmail: string;
  webhook: string;
  /** A project whose cycle holds a finished session. */
  sessionTree: { project: number; cycle: number; session: number };
};

type CrossCompanyCase = {
  route: RouteKey;
  what: string;
  probe: (elsewhere: Elsewhere, world: World) => ProbeRequest;
  /**
   * When B's id sits beside an id of A's, the answer is the one an id that exists nowhere gets (what
   * the same request says with `unknown`); otherwise 404.
   */
  unknown?: (world: World) => ProbeRequest;
};

const job = (id: number | string) => ({ job_id: String(id) });
const issue = (id: number | string) => ({ issue_id: String(id) });

const CROSS_COMPANY: readonly CrossCompanyCase[] = [
  { route: "GET /api/companies/{id}", what: "B's company", probe: (b) => ({ params: { id: b.company.id } }) },
  {
    route: "PUT /api/companies/{id}",
    what: "B's company",
    probe: (b) => ({ params: { id: b.company.id }, body: { name: "Taken over" } }),
  },
  { route: "GET /api/jobs/{job_id}", what: "B's job", probe: (b) => ({ params: job(b.reviewJob) }) },
  { route: "DELETE /api/jobs/{job_id}", what: "B's job (deletable)", probe: (b) => ({ params: job(b.reviewJob) }) },
  {
    route: "POST /api/jobs/{job_id}/reprocess",
    what: "B's job (reprocessable)",
    probe: (b) => ({ params: job(b.reviewJob) }),
  },
  { route: "POST /api/jobs/{job_id}/cancel", what: "B's job", probe: (b) => ({ params: job(b.reviewJob) }) },
  {
    route: "POST /api/jobs/{job_id}/revert",
    what: "B's completed job",
    probe: (b) => ({ params: job(b.completedJob) }),
  },
  { route: "GET /api/jobs/{job_id}/rows", what: "B's job", probe: (b) => ({ params: job(b.reviewJob) }) },
  { route: "GET /api/jobs/{job_id}/errors.csv", what: "B's job", probe: (b) => ({ params: job(b.reviewJob) }) },
  { route: "GET /api/issues/job/{job_id}", what: "B's job", probe: (b) => ({ params: job(b.reviewJob) }) },
  { route: "GET /api/issues", what: "B's job as ?job_id", probe: (b) => ({ query: `?job_id=${b.reviewJob}` }) },
  { route: "GET /api/contacts", what: "B's job as ?job_id", probe: (b) => ({ query: `?job_id=${b.completedJob}` }) },
  {
    route: "GET /api/contacts",
    what: "B's contact as ?email",
    probe: (b) => ({ query: `?email=${encodeURIComponent(b.contactEmail)}` }),
  },
  { route: "GET /api/issues/{issue_id}", what: "B's issue", probe: (b) => ({ params: issue(b.issue) }) },
  {
    route: "PUT /api/issues/{issue_id}",
    what: "B's issue",
    probe: (b) => ({ params: issue(b.issue), body: { resolved: true } }),
  },
  {
    route: "PUT /api/issues/{issue_id}",
    what: "B's member as resolved_by on A's issue",
    probe: (b, a) => ({ params: issue(a.issue), body: { resolved_by: b.member.id } }),
    unknown: (a) => ({ params: issue(a.issue), body: { resolved_by: crypto.randomUUID() } }),
  },
  {
    route: "POST /api/issues/{issue_id}/keep",
    what: "B's issue and its row",
    probe: (b) => ({ params: issue(b.issue), body: { staging_id: b.row } }),
  },
  {
    route: "POST /api/issues/{issue_id}/keep",
    what: "B's row on A's issue",
    probe: (b, a) => ({ params: issue(a.issue), body: { staging_id: b.row } }),
    unknown: (a) => ({ params: issue(a.issue), body: { staging_id: Number(UNKNOWN_ID) } }),
  },
  { route: "POST /api/issues/resolve", what: "B's issue", probe: (b) => ({ body: { issue_ids: [b.issue] } }) },
  {
    route: "POST /api/issues/resolve",
    what: "B's issue beside A's",
    probe: (b, a) => ({ body: { issue_ids: [a.issue, b.issue] } }),
  },
  {
    route: "POST /api/issues/preview",
    what: "B's issue to skip",
    probe: (b) => ({ body: { action: "skip", issue_ids: [b.issue] } }),
  },
  {
    route: "POST /api/issues/preview",
    what: "B's issue and row to keep",
    probe: (b) => ({ body: { action: "keep_row", issue_id: b.issue, staging_id: b.row } }),
  },
  {
    route: "POST /api/issues/preview",
    what: "B's issue to keep the existing contact",
    probe: (b) => ({ body: { action: "keep_existing", issue_id: b.issue } }),
  },
  {
    route: "POST /api/issues/preview",
    what: "B's row on A's issue",
    probe: (b, a) => ({ body: { action: "keep_row", issue_id: a.issue, staging_id: b.row } }),
    unknown: (a) => ({ body: { action: "keep_row", issue_id: a.issue, staging_id: Number(UNKNOWN_ID) } }),
  },
  {
    route: "PUT /api/staging/{staging_id}",
    what: "B's row",
    probe: (b) => ({ params: { staging_id: String(b.row) }, body: { status: "SKIPPED" } }),
  },
  {
    route: "POST /api/jobs",
    what: "B's stored file as key",
    probe: (b) => ({ body: { key: b.storageKey, filename: "contacts.csv" } }),
  },
  { route: "DELETE /api/api-keys/{id}", what: "B's API key", probe: (b) => ({ params: { id: b.adminKeyId } }) },
  { route: "GET /api/users/{id}", what: "B's member", probe: (b) => ({ params: { id: b.member.id } }) },
  {
    route: "PUT /api/users/{id}",
    what: "B's member",
    probe: (b) => ({ params: { id: b.member.id }, body: { groups: ["viewer"], active: false } }),
  },
  { route: "DELETE /api/users/{id}", what: "B's member", probe: (b) => ({ params: { id: b.member.id } }) },
  {
    route: "PUT /api/webhooks/{id}",
    what: "B's webhook",
    probe: (b) => ({ params: { id: b.webhook }, body: { url: "https://93.184.216.35/taken", active: true } }),
  },
  ...(
    [
      "DELETE /api/webhooks/{id}",
      "POST /api/webhooks/{id}/rotate-secret",
      "GET /api/webhooks/{id}/deliveries",
      "POST /api/webhooks/{id}/test",
    ] as const
  ).map((route): CrossCompanyCase => ({ route, what: "B's webhook", probe: (b) => ({ params: { id: b.webhook } }) })),
  ...(["GET", "PUT", "DELETE"] as const).flatMap((method): CrossCompanyCase[] => {
    // A write that would change B's record if the lookup leaked: a rename, or a cascading delete.
    const request = (id: number): ProbeRequest => ({
      params: { id: String(id) },
      ...(method === "PUT" && { body: { name: "Taken over" } }),
      ...(method === "DELETE" && { query: "?cascade=true" }),
    });
    return [
      { route: `${method} /api/projects/{id}`, what: "B's project", probe: (b) => request(b.sessionTree.project) },
      { route: `${method} /api/cycles/{id}`, what: "B's cycle", probe: (b) => request(b.sessionTree.cycle) },
      { route: `${method} /api/sessions/{id}`, what: "B's session", probe: (b) => request(b.sessionTree.session) },
    ];
  }),
  { route: "GET /api/cycles", what: "B's project", probe: (b) => ({ query: `?project_id=${b.sessionTree.project}` }) },
  {
    route: "POST /api/cycles",
    what: "B's project",
    probe: (b) => ({ body: { project_id: b.sessionTree.project, name: "Mine" } }),
  },
  ...(["GET /api/sessions", "GET /api/sessions/stats"] as const).flatMap((route): CrossCompanyCase[] => [
    { route, what: "B's project", probe: (b) => ({ query: `?project_id=${b.sessionTree.project}` }) },
    { route, what: "B's cycle", probe: (b) => ({ query: `?cycle_id=${b.sessionTree.cycle}` }) },
  ]),
  {
    route: "POST /api/sessions",
    what: "B's cycle",
    probe: (b) => ({ body: { cycle_id: b.sessionTree.cycle, name: "Mine" } }),
  },
  // B's session is finished: a leaked lookup would answer 409 (or 200) rather than 404.
  ...(
    [
      "GET /api/sessions/{id}/files",
      "POST /api/sessions/{id}/files",
      "POST /api/sessions/{id}/files/from-prefix",
      "POST /api/sessions/{id}/cancel",
      "POST /api/sessions/{id}/retry",
    ] as const
  ).map((route): CrossCompanyCase => ({
    route,
    what: "B's session",
    probe: (b) => ({
      params: { id: String(b.sessionTree.session) },
      ...(route === "POST /api/sessions/{id}/files" && {
        body: { key: `uploads/${b.company.id}/${crypto.randomUUID()}/contacts.csv`, filename: "contacts.csv" },
      }),
      ...(route === "POST /api/sessions/{id}/files/from-prefix" && { body: { prefix: `uploads/${b.company.id}/` } }),
    }),
  })),
  {
    route: "POST /api/uploads",
    what: "B's session",
    probe: (b) => ({
      body: { filename: "contacts.csv", size: 100, content_type: "text/csv", session_id: b.sessionTree.session },
    }),
  },
  {
    route: "POST /api/uploads/start",
    what: "B's session",
    probe: (b) => ({ body: { session_id: b.sessionTree.session } }),
  },
  {
    route: "GET /api/uploads/status/{job_id}",
    what: "B's session",
    probe: (b) => ({ params: { job_id: `session-${b.sessionTree.session}` } }),
  },
];

/** Every row of a company's jobs, issues, staged rows and contacts: what a leaked write would change. */
async function companyState(db: Database, company: Company) {
  const jobRows = await db.select().from(jobs).where(eq(jobs.companyId, company.id)).orderBy(asc(jobs.id));
  const jobIds = jobRows.map((row) => row.id);
  return {
    company: await db.select().from(companies).where(eq(companies.id, company.id)),
    jobs: jobRows,
    sessionTree: await sessionTreeState(db, company.id),
    issues: await db.select().from(issues).where(inArray(issues.jobId, jobIds)).orderBy(asc(issues.id)),
    rows: await db.select().from(stagingRows).where(inArray(stagingRows.jobId, jobIds)).orderBy(asc(stagingRows.id)),
    contacts: await db.select().from(contacts).where(eq(contacts.companyId, company.id)).orderBy(asc(contacts.id)),
    // Not last_used_at: B's admin key is used to show B's ids are real.
    apiKeys: await db
      .select({ id: apiKeys.id, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.companyId, company.id))
      .orderBy(asc(apiKeys.id)),
    webhooks: await db.select().from(webhooks).where(eq(webhooks.companyId, company.id)).orderBy(asc(webhooks.id)),
    members: await db
      .select()
      .from(memberships)
      .where(eq(memberships.companyId, company.id))
      .orderBy(asc(memberships.id)),
  };
}

/** Two duplicate rows (one DUPLICATE_EMAIL issue), an invalid email and a clean row. */
const reviewCsv = (tag: string) =>
  HEADER +
  `${tag}-dup@example.com,Ana,Silva,Acme\n` +
  `${tag}-dup@example.com,Bo,Souza,Globex\n` +
  `${tag}-bad,Cy,Lima,Initech\n` +
  `${tag}-ok@example.com,Di,Costa,Hooli\n`;
const cleanCsv = (tag: string) => HEADER + `${tag}-a@example.com,Ed,Moss,Acme\n${tag}-b@example.com,Flo,Nunes,Globex\n`;

async function duplicateIssue(db: Database, jobId: number): Promise<{ issue: number; row: number }> {
  const [found] = await db
    .select({ issue: issues.id, row: issueItems.stagingId })
    .from(issues)
    .innerJoin(issueItems, eq(issueItems.issueId, issues.id))
    .where(and(eq(issues.jobId, jobId), eq(issues.type, "DUPLICATE_EMAIL")))
    .orderBy(asc(issueItems.stagingId))
    .limit(1);
  if (!found) throw new Error(`job ${jobId} has no DUPLICATE_EMAIL issue`);
  return found;
}

describeEachBackend("authorization matrix", (database) => {
  const tenant = reviewCompany(database, "Matrix A");
  const bearers = new Map<string, string>(); // caller name → bearer
  let world: World;
  let elsewhere: Elsewhere;
  let everyGroup: { member: string; apiKey: string };

  const accessToken = async (user: TestUser): Promise<{ access_token: string; refresh_token: string }> => {
    const result = await call(login, "/api/auth/login", { body: { email: user.email, password: user.password } });
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    return result.json as { access_token: string; refresh_token: string };
  };

  beforeAll(async () => {
    const company = tenant.company;
    // Every probe is one request of company A's: more in a minute than a company's default limit allows.
    await database.db.update(companies).set({ rateLimitPerMinute: 1_000_000 }).where(eq(companies.id, company.id));
    for (const group of GROUPS) {
      const member = await createUser(database.db, { memberOf: [{ company, groups: [group] }] });
      bearers.set(`member who is only ${group}`, (await accessToken(member)).access_token);
      bearers.set(`API key of only ${group}`, tenant.keys[group]);
    }
    const jobContent = reviewCsv(unique());
    const reviewJob = await processedJob(tenant.keys.uploader, jobContent);
    const signIn = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    world = {
      company,
      job: reviewJob,
      jobContent,
      issue: (await duplicateIssue(database.db, reviewJob)).issue,
      signIn,
      freshRefreshToken: async () => (await accessToken(signIn)).refresh_token,
    };
    const platformAdmin = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    await database.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, platformAdmin.id));
    bearers.set(PLATFORM_ADMIN.name, (await accessToken(platformAdmin)).access_token);
    const all = await createUser(database.db, { memberOf: [{ company, groups: [...GROUPS] }] });
    everyGroup = { member: (await accessToken(all)).access_token, apiKey: await keyFor(company, [...GROUPS]) };

    const companyB = await createCompany(database.db, "Matrix B");
    const adminKey = await keyFor(companyB, ["admin"]);
    const bJob = await processedJob(adminKey, reviewCsv(unique()));
    const completedJob = await processedJob(adminKey, cleanCsv(unique()));
    const [stored] = await database.db.select({ key: jobs.storageKey }).from(jobs).where(eq(jobs.id, bJob));
    const [contact] = await database.db
      .select({ email: contacts.email })
      .from(contacts)
      .where(eq(contacts.companyId, companyB.id))
      .limit(1);
    if (!stored || !contact) throw new Error("company B's job or contact is missing");
    const [bKey] = await database.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.companyId, companyB.id));
    if (!bKey) throw new Error("company B's API key is missing");
    elsewhere = {
      company: companyB,
      adminKey,
      adminKeyId: bKey.id,
      member: await createUser(database.db, { memberOf: [{ company: companyB, groups: ["editor"] }] }),
      reviewJob: bJob,
      completedJob,
      ...(await duplicateIssue(database.db, bJob)),
      storageKey: stored.key,
      contactEmail: contact.email,
      webhook: (
        await insertWebhook({
          companyId: companyB.id,
          url: "https://93.184.216.34/hooks/b",
          events: ["job.completed"],
          description: null,
          isActive: true,
          secretCiphertext: "not read by these probes",
          secretPrefix: "whsec_b",
          createdById: null,
        })
      ).id,
      sessionTree: await insertSessionTree(database.db, companyB.id),
    };
  });

  const contractOf = (route: RouteKey): RouteContract => {
    const found = contracts.find((contract) => keyOf(contract) === route);
    if (!found) throw new Error(`no contract for ${route}`);
    return found;
  };
  const probeOf = async (route: RouteKey): Promise<Probe> => {
    const probe = PROBES[route];
    if (!probe) throw new Error(`no probe for ${route}: add one to PROBES`);
    return probe(world);
  };

  describe("the list of routes", () => {
    it("every route.ts under app/api serves a contract or a listed non-contract route; every contract is served", async () => {
      const served = await servedRoutes();
      const contractKeys = contracts.map(keyOf);
      expect(new Set(contractKeys).size, "a route has two contracts").toBe(contractKeys.length);
      expect(
        served.filter((key) => !contractKeys.includes(key) && !NON_CONTRACT_ROUTES.has(key)),
        "add the route's contract to lib/api/contracts/index.ts (and a probe here), or list it in NON_CONTRACT_ROUTES",
      ).toEqual([]);
      expect(
        contractKeys.filter((key) => !served.includes(key)),
        "contracts whose route file or method is missing",
      ).toEqual([]);
      expect(
        [...NON_CONTRACT_ROUTES].filter((key) => !served.includes(key)),
        "listed routes that are gone",
      ).toEqual([]);
    });

    it("every contract has a probe and every probe a contract; allowed callers never get 401 or 403", async () => {
      const contractKeys = contracts.map(keyOf);
      expect(
        contractKeys.filter((key) => !(key in PROBES)),
        "add a probe for these routes",
      ).toEqual([]);
      expect(Object.keys(PROBES).filter((key) => !contractKeys.includes(key))).toEqual([]);
      for (const key of contractKeys) {
        const probe = await probeOf(key);
        expect(probe.form !== undefined, key).toBe(MULTIPART_ROUTES.has(key));
        expect([401, 403], key).not.toContain(probe.allowed.status);
      }
    });

    it("every route that takes an id has a cross-company case", () => {
      const withId = contracts
        .filter((contract) => takesAnId(contract) && !ID_ROUTES_WITHOUT_LOOKUP.has(keyOf(contract)))
        .map(keyOf);
      // The detection itself: path parameters, and ids in queries and bodies (issue_ids, staging_id, key…).
      expect(withId).toEqual(
        expect.arrayContaining([
          "GET /api/contacts",
          "POST /api/issues/preview",
          "POST /api/jobs",
          "GET /api/jobs/{job_id}",
        ]),
      );
      expect(withId.filter((key) => !CROSS_COMPANY.some((crossing) => crossing.route === key))).toEqual([]);
      expect(
        CROSS_COMPANY.filter((crossing) => !withId.includes(crossing.route)).map((crossing) => crossing.route),
      ).toEqual([]);
    });
  });

  describe.each(contracts.map((contract) => [keyOf(contract), contract] as const))("%s", (route, contract) => {
    it.each(CALLERS)("$name", async (caller) => {
      const probe = await probeOf(route);
      let expected: Outcome & { requiredGroup?: Group } =
        caller.kind === "api_key" ? (probe.allowedForApiKey ?? probe.allowed) : probe.allowed;
      if (contract.auth === "required" && caller.group === null)
        expected = { status: 401, code: "AUTHENTICATION_FAILED" };
      else if (contract.platformAdmin && caller.kind !== "platform_admin")
        expected = { status: 403, code: "FORBIDDEN", message: /for platform administrators/ };
      else if (contract.group && caller.group && !holds(caller.group, contract.group)) {
        expected = { status: 403, code: "FORBIDDEN", requiredGroup: contract.group };
      }
      expectOutcome(await sendProbe(contract, probe, bearers.get(caller.name)), expected);
    });
  });

  describe("a malformed request: authentication first, then the group, then validation", () => {
    const cases = contracts
      .filter((contract) => contract.auth === "required")
      .flatMap((contract) => partsOf(contract).map((part) => ({ route: keyOf(contract), contract, part })));

    it.each(cases)("$route, malformed $part", async ({ route, contract, part }) => {
      const bad = malformed(await probeOf(route), part);
      expectOutcome(await sendProbe(contract, bad, undefined), { status: 401, code: "AUTHENTICATION_FAILED" });
      const required = contract.group;
      const lacking = required && GROUPS.find((group) => !holds(group, required));
      if (!required || !lacking) return;
      const result = await sendProbe(contract, bad, bearers.get(`member who is only ${lacking}`));
      expectOutcome(result, { status: 403, code: "FORBIDDEN", requiredGroup: required });
    });
  });

  describe("a caller of company A with every group, sending company B's ids", () => {
    let before: Awaited<ReturnType<typeof companyState>>;
    beforeAll(async () => {
      before = await companyState(database.db, elsewhere.company);
    });

    it("B's ids are real: B's admin reads them", async () => {
      const reads: [RouteKey, ProbeRequest][] = [
        ["GET /api/jobs/{job_id}", { params: job(elsewhere.reviewJob) }],
        ["GET /api/jobs/{job_id}", { params: job(elsewhere.completedJob) }],
        ["GET /api/issues/{issue_id}", { params: issue(elsewhere.issue) }],
        ["GET /api/contacts", { query: `?email=${encodeURIComponent(elsewhere.contactEmail)}` }],
      ];
      for (const [route, request] of reads)
        expectOutcome(await sendProbe(contractOf(route), request, elsewhere.adminKey), OK);
      const [item] = await database.db
        .select()
        .from(issueItems)
        .where(and(eq(issueItems.issueId, elsewhere.issue), eq(issueItems.stagingId, elsewhere.row)));
      expect(item).toBeDefined();
    });

    describe.each([
      { caller: "member token", bearer: () => everyGroup.member },
      { caller: "API key", bearer: () => everyGroup.apiKey },
    ])("by $caller", ({ bearer }) => {
      it.each(CROSS_COMPANY)("$route with $what", async (crossing) => {
        const contract = contractOf(crossing.route);
        const result = await sendProbe(contract, crossing.probe(elsewhere, world), bearer());
        if (!crossing.unknown) {
          expectOutcome(result, NOT_FOUND);
          return;
        }
        const unknown = await sendProbe(contract, crossing.unknown(world), bearer());
        expect(unknown.status, JSON.stringify(unknown.json)).toBeGreaterThanOrEqual(400);
        expect([401, 403]).not.toContain(unknown.status);
        expect(result.status, JSON.stringify(result.json)).toBe(unknown.status);
        expect(errorCode(result)).toBe(errorCode(unknown));
      });
    });

    it("left company B's jobs, issues, rows and contacts as they were", async () => {
      expect(await companyState(database.db, elsewhere.company)).toEqual(before);
    });
  });
});
