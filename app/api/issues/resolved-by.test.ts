import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { issues, users, type Company } from "@/db/schema";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";
import { HEADER, api, ok, processedJob, reviewCompany, type IssueJson, type IssueListJson } from "@/test/review";

/**
 * Issue 10 part 5: `resolved_by` (seed 001's `issue_resolved_by`) names a member of the caller's
 * company by user id or email, whatever its case, and is recorded the way the API names a signed-in
 * caller (their email; their id when they have none). Any other name is refused and nothing changes.
 */

/** Four invalid emails: four INVALID_EMAIL issues to resolve. */
const fourInvalid = (tag: string) =>
  HEADER + [1, 2, 3, 4].map((n) => `${tag}-bad-${n},First${n},Last${n},Acme\n`).join("");

describeEachBackend("resolved_by", (database) => {
  const tenant = reviewCompany(database, "Resolver Co");
  let member: TestUser;
  let emailless: { id: string };
  let outsider: TestUser;
  let other: Company;

  beforeAll(async () => {
    member = await createUser(database.db, {
      email: `Mixed.Case-${unique()}@Example.com`,
      memberOf: [{ company: tenant.company, groups: ["editor"] }],
    });
    const bare = await createUser(database.db, { memberOf: [{ company: tenant.company, groups: ["viewer"] }] });
    await database.db.update(users).set({ email: null }).where(eq(users.id, bare.id));
    emailless = { id: bare.id };
    other = await createCompany(database.db, "Elsewhere Ltd");
    outsider = await createUser(database.db, { memberOf: [{ company: other, groups: ["admin"] }] });
  });

  async function openIssues(): Promise<number[]> {
    const jobId = await processedJob(tenant.keys.uploader, fourInvalid(unique()));
    const listed = ok<IssueListJson>(await api.jobIssues(tenant.keys.viewer, jobId));
    expect(listed.issues).toHaveLength(4);
    return listed.issues.map((issue) => issue.issue_id);
  }

  async function stored(issueId: number) {
    const [row] = await database.db
      .select({ resolved: issues.resolved, resolvedBy: issues.resolvedBy })
      .from(issues)
      .where(eq(issues.id, issueId));
    return row;
  }

  describe("names that are not a member of the company → 400, and the issue is left as it was", () => {
    it.each<{ what: string; name: () => string }>([
      { what: "a made-up name", name: () => "Someone Else" },
      { what: "a made-up email", name: () => `nobody-${unique()}@example.com` },
      { what: "another company's user id", name: () => outsider.id },
      { what: "another company's user email", name: () => outsider.email ?? "" },
      { what: "an API key's recorded name", name: () => "api-key:editor" },
      { what: "a member's id with a suffix", name: () => `${member.id}x` },
    ])("$what", async ({ name }) => {
      const [issueId = 0, resolvedId = 0] = await openIssues();
      const given = name();
      const reason = `no member of this company has the user id or email "${given}"`;

      const refused = expectEnvelope(
        await api.putIssue(tenant.keys.editor, issueId, { resolved: true, resolved_by: given }),
        400,
        "VALIDATION_ERROR",
      );
      expect(refused.message).toBe(`Invalid body.resolved_by: ${reason}`);
      expect(refused.details).toEqual({ fields: [{ field: "body.resolved_by", reason }] });
      expect(await stored(issueId)).toEqual({ resolved: false, resolvedBy: null });

      // Nor can the name be swapped on an issue resolved already.
      const resolved = ok<IssueJson>(await api.putIssue(tenant.keys.editor, resolvedId, { resolved: true }));
      expectEnvelope(
        await api.putIssue(tenant.keys.editor, resolvedId, { resolved_by: given }),
        400,
        "VALIDATION_ERROR",
      );
      expect(await stored(resolvedId)).toEqual({ resolved: true, resolvedBy: resolved.issue_resolved_by });
    });
  });

  it.each<{ what: string; name: () => string; recorded: () => string }>([
    { what: "a member's email", name: () => member.email ?? "", recorded: () => member.email ?? "" },
    {
      what: "a member's email in another case",
      name: () => (member.email ?? "").toLowerCase(),
      recorded: () => member.email ?? "",
    },
    { what: "a member's user id", name: () => member.id, recorded: () => member.email ?? "" },
    {
      what: "a member's user id in upper case",
      name: () => member.id.toUpperCase(),
      recorded: () => member.email ?? "",
    },
    { what: "the id of a member without an email", name: () => emailless.id, recorded: () => emailless.id },
  ])("$what is accepted and recorded as the member is named", async ({ name, recorded }) => {
    const [issueId = 0, laterId = 0] = await openIssues();
    const resolved = ok<IssueJson>(
      await api.putIssue(tenant.keys.editor, issueId, { resolved: true, resolved_by: ` ${name()} ` }),
    );
    expect(resolved).toMatchObject({ issue_resolved: true, issue_resolved_by: recorded() });
    expect(await stored(issueId)).toEqual({ resolved: true, resolvedBy: recorded() });

    // Renaming the resolver of a resolved issue follows the same rule.
    ok(await api.putIssue(tenant.keys.editor, laterId, { resolved: true }));
    expect(
      ok<IssueJson>(await api.putIssue(tenant.keys.editor, laterId, { resolved_by: name() })).issue_resolved_by,
    ).toBe(recorded());
  });

  it("a signed-in member who names nobody is recorded by the same convention: their email", async () => {
    const [issueId = 0] = await openIssues();
    const signedIn = await call(login, "/api/auth/login", { body: { email: member.email, password: member.password } });
    const { access_token: token } = ok<{ access_token: string }>(signedIn);
    expect(ok<IssueJson>(await api.putIssue(token, issueId, { resolved: true })).issue_resolved_by).toBe(member.email);
  });

  it("the other writes take no resolved_by at all: 400, and nothing is resolved", async () => {
    const [issueId = 0] = await openIssues();
    const bulk = expectEnvelope(
      await api.resolve(tenant.keys.editor, { issue_ids: [issueId], resolved_by: outsider.id }),
      400,
      "VALIDATION_ERROR",
    );
    expect(bulk.message).toMatch(/^Invalid body: Unrecognized key/);
    const keep = expectEnvelope(
      await api.keep(tenant.keys.editor, issueId, { existing: true, resolved_by: outsider.id }),
      400,
      "VALIDATION_ERROR",
    );
    expect(keep.message).toMatch(/resolved_by/);
    // Seed 001's own name for the field is not taken either.
    expectEnvelope(
      await api.putIssue(tenant.keys.editor, issueId, { resolved: true, issue_resolved_by: outsider.id }),
      400,
      "VALIDATION_ERROR",
    );
    expect(await stored(issueId)).toEqual({ resolved: false, resolvedBy: null });
  });
});
