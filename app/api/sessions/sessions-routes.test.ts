import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteCycle, GET as getCycle, PUT as updateCycle } from "@/app/api/cycles/[id]/route";
import { GET as listCycles, POST as createCycle } from "@/app/api/cycles/route";
import { DELETE as deleteProject, GET as getProject, PUT as updateProject } from "@/app/api/projects/[id]/route";
import { GET as listProjects, POST as createProject } from "@/app/api/projects/route";
import { DELETE as deleteSession, GET as getSession, PUT as updateSession } from "@/app/api/sessions/[id]/route";
import { GET as listSessions, POST as createSession } from "@/app/api/sessions/route";
import { GET as sessionStats } from "@/app/api/sessions/stats/route";
import { jobs, uploadSessions, type Company, type UploadSession } from "@/db/schema";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { anyString, call, expectEnvelope, type CallResult } from "@/test/http";
import { keyFor } from "@/test/jobs";

type Json = Record<string, unknown> & { id: number };

const ok = (result: CallResult, status = 200): Json => {
  expect(result.status, JSON.stringify(result.json)).toBe(status);
  return result.json as Json;
};

const api = (bearer: string) => ({
  createProject: (body: unknown) => call(createProject, "/api/projects", { bearer, body }),
  listProjects: () => call(listProjects, "/api/projects", { bearer }),
  getProject: (id: number) => call(getProject, `/api/projects/${id}`, { bearer, params: { id: String(id) } }),
  updateProject: (id: number, body: unknown) =>
    call(updateProject, `/api/projects/${id}`, { bearer, method: "PUT", body, params: { id: String(id) } }),
  deleteProject: (id: number, query = "") =>
    call(deleteProject, `/api/projects/${id}${query}`, { bearer, method: "DELETE", params: { id: String(id) } }),
  createCycle: (body: unknown) => call(createCycle, "/api/cycles", { bearer, body }),
  listCycles: (query = "") => call(listCycles, `/api/cycles${query}`, { bearer }),
  getCycle: (id: number) => call(getCycle, `/api/cycles/${id}`, { bearer, params: { id: String(id) } }),
  updateCycle: (id: number, body: unknown) =>
    call(updateCycle, `/api/cycles/${id}`, { bearer, method: "PUT", body, params: { id: String(id) } }),
  deleteCycle: (id: number, query = "") =>
    call(deleteCycle, `/api/cycles/${id}${query}`, { bearer, method: "DELETE", params: { id: String(id) } }),
  createSession: (body: unknown) => call(createSession, "/api/sessions", { bearer, body }),
  listSessions: (query = "") => call(listSessions, `/api/sessions${query}`, { bearer }),
  getSession: (id: number) => call(getSession, `/api/sessions/${id}`, { bearer, params: { id: String(id) } }),
  updateSession: (id: number, body: unknown) =>
    call(updateSession, `/api/sessions/${id}`, { bearer, method: "PUT", body, params: { id: String(id) } }),
  deleteSession: (id: number) =>
    call(deleteSession, `/api/sessions/${id}`, { bearer, method: "DELETE", params: { id: String(id) } }),
  stats: (query = "") => call(sessionStats, `/api/sessions/stats${query}`, { bearer }),
});

describeEachBackend("projects, cycles and sessions routes", (database) => {
  let company: Company;
  let client: ReturnType<typeof api>;

  /** Sets a session's status and counters as a run would leave them. */
  const setSession = (id: number, values: Partial<UploadSession>) =>
    database.db.update(uploadSessions).set(values).where(eq(uploadSessions.id, id));

  const newProject = async (name = `Project ${unique()}`) => ok(await client.createProject({ name }), 201);
  const newCycle = async (projectId: number, extra: Record<string, unknown> = {}) =>
    ok(await client.createCycle({ project_id: projectId, name: `Cycle ${unique()}`, ...extra }), 201);
  const newSession = async (cycleId: number, extra: Record<string, unknown> = {}) =>
    ok(await client.createSession({ cycle_id: cycleId, name: `Session ${unique()}`, ...extra }), 201);

  beforeAll(async () => {
    company = await createCompany(database.db, "Sessions A");
    client = api(await keyFor(company, ["admin"]));
  });

  describe("projects", () => {
    it("creates, reads, lists, renames and deletes a project", async () => {
      const project = ok(await client.createProject({ name: "  Spring import ", description: "CRM exports" }), 201);
      expect(project).toEqual({
        id: expect.any(Number) as unknown,
        name: "Spring import",
        description: "CRM exports",
        cycle_count: 0,
        session_count: 0,
        created_at: anyString,
        updated_at: anyString,
      });
      expect(ok(await client.getProject(project.id))).toEqual(project);
      const listed = ok(await client.listProjects());
      expect(listed).toMatchObject({ page: 1, page_size: 50 });
      expect(listed.projects).toContainEqual(project);

      const renamed = ok(await client.updateProject(project.id, { name: "Spring imports", description: null }));
      expect(renamed).toMatchObject({ id: project.id, name: "Spring imports", description: null });

      expect(ok(await client.deleteProject(project.id))).toMatchObject({ id: project.id });
      expectEnvelope(await client.getProject(project.id), 404, "NOT_FOUND");
    });

    it("refuses a name the company already uses with 409 naming it; another company may use it", async () => {
      const taken = await newProject();
      const error = expectEnvelope(await client.createProject({ name: taken.name }), 409, "CONFLICT");
      expect(error.message).toContain(`"${String(taken.name)}"`);
      const other = await newProject();
      expectEnvelope(await client.updateProject(other.id, { name: taken.name }), 409, "CONFLICT");

      const elsewhere = api(await keyFor(await createCompany(database.db), ["editor"]));
      ok(await elsewhere.createProject({ name: taken.name }), 201);
      expectEnvelope(await elsewhere.getProject(taken.id), 404, "NOT_FOUND");
    });

    it.each([
      { what: "an empty name", body: { name: " " }, field: /name/ },
      { what: "an unknown field", body: { name: "x", owner: "me" }, field: /owner/ },
    ])("refuses $what with 400", async ({ body, field }) => {
      const error = expectEnvelope(await client.createProject(body), 400, "VALIDATION_ERROR");
      expect(error.message + JSON.stringify(error.details)).toMatch(field);
    });
  });

  describe("cycles", () => {
    it("creates a cycle of a project with dates and a status, lists it by project, changes and deletes it", async () => {
      const project = await newProject();
      const cycle = ok(
        await client.createCycle({
          project_id: project.id,
          name: "Q1",
          start_date: "2026-01-01",
          end_date: "2026-03-31",
          status: "planned",
        }),
        201,
      );
      expect(cycle).toEqual({
        id: expect.any(Number) as unknown,
        project_id: project.id,
        name: "Q1",
        start_date: "2026-01-01",
        end_date: "2026-03-31",
        status: "planned",
        session_count: 0,
        created_at: anyString,
        updated_at: anyString,
      });
      const other = await newCycle((await newProject()).id);
      const listed = ok(await client.listCycles(`?project_id=${project.id}`));
      expect(listed).toMatchObject({ cycles: [cycle], total: 1 });
      expect((ok(await client.listCycles()).cycles as Json[]).map((each) => each.id)).toEqual(
        expect.arrayContaining([cycle.id, other.id]),
      );
      expect(ok(await client.getProject(project.id))).toMatchObject({ cycle_count: 1 });

      const changed = ok(await client.updateCycle(cycle.id, { status: "closed", end_date: "2026-04-30" }));
      expect(changed).toMatchObject({ status: "closed", start_date: "2026-01-01", end_date: "2026-04-30" });
      expect(ok(await client.createCycle({ project_id: project.id, name: "Q2" }), 201)).toMatchObject({
        status: "active",
        start_date: null,
        end_date: null,
      });

      ok(await client.deleteCycle(cycle.id));
      expectEnvelope(await client.getCycle(cycle.id), 404, "NOT_FOUND");
    });

    it("refuses an end date before the start with 400 naming end_date, on create and on change", async () => {
      const project = await newProject();
      const body = { project_id: project.id, name: "Backwards", start_date: "2026-05-02", end_date: "2026-05-01" };
      const error = expectEnvelope(await client.createCycle(body), 400, "VALIDATION_ERROR");
      expect(error.message).toContain("end_date");

      const cycle = await newCycle(project.id, { start_date: "2026-05-02" });
      const changed = expectEnvelope(
        await client.updateCycle(cycle.id, { end_date: "2026-05-01" }),
        400,
        "VALIDATION_ERROR",
      );
      expect(changed.message).toContain("end_date");
      ok(await client.updateCycle(cycle.id, { end_date: "2026-05-02" }));
    });

    it("refuses another company's or an unknown project with 404 naming it", async () => {
      const foreign = await api(await keyFor(await createCompany(database.db), ["editor"])).createProject({
        name: "Theirs",
      });
      const foreignId = (foreign.json as Json).id;
      for (const result of [
        await client.createCycle({ project_id: foreignId, name: "Mine" }),
        await client.listCycles(`?project_id=${foreignId}`),
      ]) {
        const error = expectEnvelope(result, 404, "NOT_FOUND");
        expect(error.message).toContain(`project ${foreignId}`);
      }
    });

    it("refuses a name the project already has with 409; another project may use it", async () => {
      const project = await newProject();
      const cycle = await newCycle(project.id);
      const error = expectEnvelope(
        await client.createCycle({ project_id: project.id, name: cycle.name }),
        409,
        "CONFLICT",
      );
      expect(error.message).toContain(`"${String(cycle.name)}"`);
      ok(await client.createCycle({ project_id: (await newProject()).id, name: cycle.name }), 201);
    });

    it.each([
      { what: "an unknown status", body: { status: "open" }, field: /status/ },
      { what: "a date that is no date", body: { start_date: "next week" }, field: /start_date/ },
      { what: "nothing to change", body: {}, field: /at least one/ },
    ])("refuses a change with $what with 400", async ({ body, field }) => {
      const cycle = await newCycle((await newProject()).id);
      const error = expectEnvelope(await client.updateCycle(cycle.id, body), 400, "VALIDATION_ERROR");
      expect(error.message + JSON.stringify(error.details)).toMatch(field);
    });
  });

  describe("sessions", () => {
    it("creates a pending session in a cycle with its defaults, and reads it back", async () => {
      const project = await newProject();
      const cycle = await newCycle(project.id);
      const session = ok(await client.createSession({ cycle_id: cycle.id, name: "March files", source: "CRM" }), 201);
      expect(session).toEqual({
        id: expect.any(Number) as unknown,
        project_id: project.id,
        cycle_id: cycle.id,
        name: "March files",
        source: "CRM",
        source_prefix: null,
        import_mode: "upsert",
        status: "pending",
        files: { total: 0, completed: 0, needs_review: 0, refused: 0, failed: 0, cancelled: 0 },
        rows_staged: 0,
        rows_landed: 0,
        rows_with_issues: 0,
        bytes: 0,
        failure_reason: null,
        cancel_requested_at: null,
        created_at: anyString,
        started_at: null,
        finished_at: null,
        duration_seconds: null,
      });
      expect(ok(await client.getSession(session.id))).toEqual(session);
      expect(ok(await client.getCycle(cycle.id))).toMatchObject({ session_count: 1 });
      expect(ok(await client.getProject(project.id))).toMatchObject({ session_count: 1 });
    });

    it("shows each status under its API name, with the duration from start to finish", async () => {
      const session = await newSession((await newCycle((await newProject()).id)).id);
      await setSession(session.id, {
        status: "RUNNING",
        startedAt: new Date(Date.now() - 30_000),
        totalFiles: 3,
        completedFiles: 1,
      });
      const running = ok(await client.getSession(session.id));
      expect(running).toMatchObject({ status: "in_progress", files: { total: 3, completed: 1 } });
      expect(running.duration_seconds).toBeGreaterThanOrEqual(30);

      const startedAt = new Date("2026-02-01T10:00:00Z");
      await setSession(session.id, { status: "COMPLETED", startedAt, finishedAt: new Date("2026-02-01T10:01:30Z") });
      expect(ok(await client.getSession(session.id))).toMatchObject({ status: "completed", duration_seconds: 90 });
    });

    it("refuses another company's or an unknown cycle with 404 naming it", async () => {
      const error = expectEnvelope(
        await client.createSession({ cycle_id: 987654321, name: "Nowhere" }),
        404,
        "NOT_FOUND",
      );
      expect(error.message).toContain("cycle 987654321");
      expectEnvelope(await client.createSession({ name: "No cycle" }), 400, "VALIDATION_ERROR");
    });

    it("lists sessions newest first, by cycle, project and status, a page at a time", async () => {
      const project = await newProject();
      const cycle = await newCycle(project.id);
      const otherCycle = await newCycle(project.id);
      const first = await newSession(cycle.id);
      const second = await newSession(cycle.id);
      const third = await newSession(otherCycle.id);
      await setSession(second.id, { status: "FAILED", failureReason: "no file could run" });
      await newSession((await newCycle((await newProject()).id)).id);

      const ids = async (query: string) =>
        (ok(await client.listSessions(query)).sessions as Json[]).map((each) => each.id);
      expect(await ids(`?cycle_id=${cycle.id}`)).toEqual([second.id, first.id]);
      expect(await ids(`?project_id=${project.id}`)).toEqual([third.id, second.id, first.id]);
      expect(await ids(`?project_id=${project.id}&status=failed`)).toEqual([second.id]);
      expect(await ids(`?project_id=${project.id}&status=pending&cycle_id=${otherCycle.id}`)).toEqual([third.id]);
      const page = ok(await client.listSessions(`?project_id=${project.id}&page=2&page_size=2`));
      expect(page).toMatchObject({ total: 3, page: 2, page_size: 2 });
      expect((page.sessions as Json[]).map((each) => each.id)).toEqual([first.id]);

      expectEnvelope(await client.listSessions("?status=RUNNING"), 400, "VALIDATION_ERROR");
      expectEnvelope(await client.listSessions("?cycle_id=987654321"), 404, "NOT_FOUND");
    });

    it("changes name, source and import mode while pending; the mode is fixed once it has started", async () => {
      const session = await newSession((await newCycle((await newProject()).id)).id);
      const changed = ok(
        await client.updateSession(session.id, { name: "Renamed", source: null, import_mode: "create" }),
      );
      expect(changed).toMatchObject({ name: "Renamed", source: null, import_mode: "create", status: "pending" });

      await setSession(session.id, { status: "COMPLETED" });
      const error = expectEnvelope(await client.updateSession(session.id, { import_mode: "update" }), 409, "CONFLICT");
      expect(error.message).toMatch(/import mode/);
      ok(await client.updateSession(session.id, { import_mode: "create", name: "Same mode" }));
      expect(ok(await client.getSession(session.id))).toMatchObject({ name: "Same mode", import_mode: "create" });
    });

    it("accepts status only as the current one, refusing any other with 400 naming status", async () => {
      const session = await newSession((await newCycle((await newProject()).id)).id);
      ok(await client.updateSession(session.id, { status: "pending", name: "Sent back whole" }));
      const error = expectEnvelope(
        await client.updateSession(session.id, { status: "completed" }),
        400,
        "VALIDATION_ERROR",
      );
      expect(error.message).toContain("status");
      expect(ok(await client.getSession(session.id))).toMatchObject({ status: "pending", name: "Sent back whole" });
    });

    it("refuses to delete a session in progress with 409; deletes a finished one, whose jobs stay", async () => {
      const session = await newSession((await newCycle((await newProject()).id)).id);
      await setSession(session.id, { status: "RUNNING" });
      const error = expectEnvelope(await client.deleteSession(session.id), 409, "CONFLICT");
      expect(error.message).toMatch(/in progress/);

      await setSession(session.id, { status: "CANCELLED" });
      const job = await insertJob(session.id);
      ok(await client.deleteSession(session.id));
      expectEnvelope(await client.getSession(session.id), 404, "NOT_FOUND");
      expect(await sessionOfJob(job)).toEqual({ uploadSessionId: null });
    });
  });

  const insertJob = async (sessionId: number): Promise<number> => {
    const [job] = await database.db
      .insert(jobs)
      .values({
        companyId: company.id,
        uploadSessionId: sessionId,
        fileName: "a.csv",
        storageKey: `uploads/${unique()}.csv`,
        sha256: unique(),
        sizeBytes: 10,
        status: "COMPLETED",
      })
      .returning({ id: jobs.id });
    if (!job) throw new Error("job insert returned no row");
    return job.id;
  };
  const sessionOfJob = async (jobId: number) => {
    const [row] = await database.db
      .select({ uploadSessionId: jobs.uploadSessionId })
      .from(jobs)
      .where(eq(jobs.id, jobId));
    return row;
  };

  describe.each([
    {
      owner: "project",
      make: async () => {
        const project = await newProject();
        return { id: project.id, cycleId: (await newCycle(project.id)).id };
      },
      remove: (id: number, query?: string) => client.deleteProject(id, query),
      read: (id: number) => client.getProject(id),
    },
    {
      owner: "cycle",
      make: async () => {
        const cycle = await newCycle((await newProject()).id);
        return { id: cycle.id, cycleId: cycle.id };
      },
      remove: (id: number, query?: string) => client.deleteCycle(id, query),
      read: (id: number) => client.getCycle(id),
    },
  ])("deleting a $owner with sessions", ({ remove, read, make }) => {
    it("is refused with 409 naming how many, and with cascade while one is unfinished", async () => {
      const { id, cycleId } = await make();
      const pending = await newSession(cycleId);
      const done = await newSession(cycleId);
      await setSession(done.id, { status: "COMPLETED" });

      const refused = expectEnvelope(await remove(id), 409, "CONFLICT");
      expect(refused.message).toContain("2 sessions");
      expect(refused.message).toContain("cascade=true");
      const unfinished = expectEnvelope(await remove(id, "?cascade=true"), 409, "CONFLICT");
      expect(unfinished.message).toContain("1 session still pending or in progress");
      expect(unfinished.details).toMatchObject({ sessions: 2, unfinished_sessions: 1 });
      ok(await read(id));
      ok(await client.getSession(pending.id));
    });

    it("with cascade deletes it and its finished sessions; their jobs stay", async () => {
      const { id, cycleId } = await make();
      const sessions = [await newSession(cycleId), await newSession(cycleId)];
      await setSession(sessions[0]!.id, { status: "FAILED" });
      await setSession(sessions[1]!.id, { status: "CANCELLED" });
      const job = await insertJob(sessions[0]!.id);
      expectEnvelope(await remove(id), 409, "CONFLICT");

      ok(await remove(id, "?cascade=true"));
      expectEnvelope(await read(id), 404, "NOT_FOUND");
      for (const session of sessions) expectEnvelope(await client.getSession(session.id), 404, "NOT_FOUND");
      expect(await sessionOfJob(job)).toEqual({ uploadSessionId: null });
    });

    it("without sessions needs no cascade", async () => {
      const { id } = await make();
      ok(await remove(id));
      expectEnvelope(await read(id), 404, "NOT_FOUND");
    });
  });

  describe("stats", () => {
    it("counts sessions by status and sums their files, rows, bytes and finished durations", async () => {
      const project = await newProject();
      const [cycle, otherCycle] = [await newCycle(project.id), await newCycle(project.id)];
      const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
      const counters = (n: number) => ({
        totalFiles: 10 * n,
        completedFiles: 5 * n,
        needsReviewFiles: 2 * n,
        refusedFiles: n,
        failedFiles: n,
        cancelledFiles: n,
        rowsStaged: 100 * n,
        rowsLanded: 90 * n,
        rowsWithIssues: 7 * n,
        bytes: 1000 * n,
      });
      const sessions: [number, Partial<UploadSession>][] = [
        [cycle.id, { status: "COMPLETED", ...counters(1), startedAt: at(0), finishedAt: at(60) }],
        [cycle.id, { status: "COMPLETED", ...counters(2), startedAt: at(0), finishedAt: at(120) }],
        [otherCycle.id, { status: "FAILED", ...counters(3), startedAt: at(0), finishedAt: at(30) }],
        // Running: its counters count, its time so far does not.
        [otherCycle.id, { status: "RUNNING", ...counters(4), startedAt: at(0) }],
        [otherCycle.id, { status: "PENDING" }],
      ];
      for (const [cycleId, values] of sessions) await setSession((await newSession(cycleId)).id, values);
      await setSession((await newSession((await newCycle((await newProject()).id)).id)).id, counters(50));

      expect(ok(await client.stats(`?project_id=${project.id}`))).toEqual({
        sessions: { total: 5, pending: 1, in_progress: 1, completed: 2, failed: 1, cancelled: 0 },
        files: { total: 100, completed: 50, needs_review: 20, refused: 10, failed: 10, cancelled: 10 },
        rows_staged: 1000,
        rows_landed: 900,
        rows_with_issues: 70,
        bytes: 10_000,
        average_duration_seconds: 70,
      });
      expect(ok(await client.stats(`?cycle_id=${cycle.id}`))).toMatchObject({
        sessions: { total: 2, completed: 2, pending: 0 },
        files: { total: 30 },
        rows_landed: 270,
        average_duration_seconds: 90,
      });
      expect(ok(await client.stats(`?cycle_id=${(await newCycle(project.id)).id}`))).toEqual({
        sessions: { total: 0, pending: 0, in_progress: 0, completed: 0, failed: 0, cancelled: 0 },
        files: { total: 0, completed: 0, needs_review: 0, refused: 0, failed: 0, cancelled: 0 },
        rows_staged: 0,
        rows_landed: 0,
        rows_with_issues: 0,
        bytes: 0,
        average_duration_seconds: null,
      });
      const everything = ok(await client.stats());
      expect(everything.sessions).toMatchObject({ total: expect.any(Number) as unknown });
      expect((everything.files as { total: number }).total).toBeGreaterThanOrEqual(600);
      expectEnvelope(await client.stats("?project_id=987654321"), 404, "NOT_FOUND");
    });
  });
});
