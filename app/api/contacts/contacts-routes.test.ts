import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { contacts, type Company, type Contact } from "@/db/schema";
import { describeEachBackend } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { expectEnvelope } from "@/test/http";
import {
  HEADER,
  addContact,
  api,
  keysFor,
  ok,
  processedJob,
  reviewCompany,
  type ContactJson,
  type Keys,
} from "@/test/review";

type ContactList = { contacts: ContactJson[]; total: number; page: number; page_size: number };

describeEachBackend("GET /api/contacts", (database) => {
  let company: Company;
  let keys: Keys;
  const made: Contact[] = [];

  beforeAll(async () => {
    company = await createCompany(database.db, "Contacts Co");
    keys = await keysFor(company);
    const people = [
      { email: "ana@example.com", firstName: "Ana", lastName: "Silva", company: "Acme" },
      { email: "bo@example.com", firstName: "Bo", lastName: "Souza", company: "Globex" },
      { email: "cy@example.com", firstName: "Cy", lastName: "Lima", company: "50% Off_Ltd" },
      { email: "di@example.com", firstName: null, lastName: null, company: null },
    ];
    for (const [index, person] of people.entries()) {
      const contact = await addContact(database.db, company, person);
      // Distinct creation times, a minute apart, oldest first.
      const createdAt = new Date(Date.UTC(2026, 0, 1, 12, index));
      await database.db.update(contacts).set({ createdAt }).where(eq(contacts.id, contact.id));
      made.push({ ...contact, createdAt });
    }
    const other = await createCompany(database.db, "Someone Else");
    await addContact(database.db, other, {
      email: "ana@example.com",
      firstName: "Not",
      lastName: "Yours",
      company: "Other",
    });
  });

  const emails = (list: ContactList) => list.contacts.map((contact) => contact.contact_email);

  it("the company's contacts, newest first, in the contact shape", async () => {
    const list = ok<ContactList>(await api.contacts(keys.viewer));
    expect(list).toMatchObject({ total: 4, page: 1, page_size: 50 });
    expect(emails(list)).toEqual(["di@example.com", "cy@example.com", "bo@example.com", "ana@example.com"]);
    const ana = made[0];
    expect(list.contacts[3]).toEqual({
      contact_id: ana?.id,
      staging_id: null,
      contacts_user_id: null,
      contact_email: "ana@example.com",
      contact_first_name: "Ana",
      contact_last_name: "Silva",
      contact_company: "Acme",
      contact_source_job_id: null,
      contact_last_job_id: null,
      contact_created_at: "2026-01-01T12:00:00.000Z",
      contact_updated_at: expect.any(String) as unknown,
    });
  });

  it.each([
    { query: "?q=SILVA", expected: ["ana@example.com"] },
    { query: "?q=globex", expected: ["bo@example.com"] },
    { query: "?q=@example", expected: ["di@example.com", "cy@example.com", "bo@example.com", "ana@example.com"] },
    { query: "?q=50%25", expected: ["cy@example.com"] },
    { query: "?q=f_l", expected: ["cy@example.com"] },
    { query: "?q=%25", expected: ["cy@example.com"] },
    { query: "?q=nobody", expected: [] },
  ])("$query → $expected", async ({ query, expected }) => {
    const list = ok<ContactList>(await api.contacts(keys.viewer, query));
    expect(emails(list)).toEqual(expected);
    expect(list.total).toBe(expected.length);
  });

  it("pages of the same order, with the total", async () => {
    const first = ok<ContactList>(await api.contacts(keys.viewer, "?page_size=3"));
    const second = ok<ContactList>(await api.contacts(keys.viewer, "?page_size=3&page=2"));
    expect([first.total, second.total]).toEqual([4, 4]);
    expect([...emails(first), ...emails(second)]).toEqual([
      "di@example.com",
      "cy@example.com",
      "bo@example.com",
      "ana@example.com",
    ]);
  });

  it("?email= gives a list of the one contact, compared as stored (trimmed, lower-cased)", async () => {
    const bo = ok<ContactList>(await api.contacts(keys.viewer, "?email=%20Bo@Example.COM%20"));
    expect(bo).toMatchObject({ total: 1, contacts: [{ contact_email: "bo@example.com", contact_first_name: "Bo" }] });
    expect(bo.contacts).toHaveLength(1);
    const ana = ok<ContactList>(await api.contacts(keys.viewer, "?email=ana@example.com"));
    expect(ana).toMatchObject({ total: 1, contacts: [{ contact_id: made[0]?.id, contact_first_name: "Ana" }] });
  });

  it("?email= of no contact → 404; a blank one → 400", async () => {
    expect(expectEnvelope(await api.contacts(keys.viewer, "?email=zed@example.com"), 404, "NOT_FOUND").message).toBe(
      "No contact with email zed@example.com",
    );
    expectEnvelope(await api.contacts(keys.viewer, "?email=%20"), 400, "VALIDATION_ERROR");
    expectEnvelope(await api.contacts(keys.viewer, "?page_size=500"), 400, "VALIDATION_ERROR");
  });
});

describeEachBackend("GET /api/contacts?job_id=", (database) => {
  const tenant = reviewCompany(database, "Job Contacts Co");
  let otherKeys: Keys;
  let first: number;
  let second: number;
  let theirs: number;

  /**
   * The company has ana and bo. The first job inserts eve, updates bo (a change of case is an update,
   * not a conflict) and leaves ana as she is; the second inserts fay and updates eve. Another company's
   * job inserts its own eve; and a contact of that company claims (wrongly) to come from the first job.
   */
  beforeAll(async () => {
    const { company, keys } = tenant;
    await addContact(database.db, company, {
      email: "ana@example.com",
      firstName: "Ana",
      lastName: "Silva",
      company: "Acme",
    });
    await addContact(database.db, company, {
      email: "bo@example.com",
      firstName: "Bo",
      lastName: "Souza",
      company: "Globex",
    });
    first = await processedJob(
      keys.uploader,
      HEADER + "eve@example.com,Eve,Ng,Initech\nbo@example.com,BO,SOUZA,GLOBEX\nana@example.com,Ana,Silva,Acme\n",
    );
    second = await processedJob(
      keys.uploader,
      HEADER + "fay@example.com,Fay,Lu,Hooli\neve@example.com,EVE,NG,INITECH\n",
    );

    const other = await createCompany(database.db, "Job Contacts Elsewhere");
    otherKeys = await keysFor(other);
    theirs = await processedJob(otherKeys.uploader, HEADER + "eve@example.com,Eve,Theirs,Other\n");
    const stray = await addContact(database.db, other, {
      email: "stray@example.com",
      firstName: "Stray",
      lastName: null,
      company: null,
    });
    await database.db.update(contacts).set({ sourceJobId: first, lastJobId: first }).where(eq(contacts.id, stray.id));
  });

  const listed = (list: ContactList) =>
    list.contacts.map((contact) => [contact.contact_email, contact.contact_source_job_id, contact.contact_last_job_id]);
  const job = (name: "first" | "second") => (name === "first" ? first : second);

  it.each([
    {
      what: "the contacts a job inserted or last changed, newest first",
      job: "first",
      query: "",
      expected: () => [
        ["eve@example.com", first, second],
        ["bo@example.com", null, first],
      ],
    },
    {
      what: "the later job's",
      job: "second",
      query: "",
      expected: () => [
        ["fay@example.com", second, second],
        ["eve@example.com", first, second],
      ],
    },
    { what: "with a search", job: "first", query: "&q=souza", expected: () => [["bo@example.com", null, first]] },
    { what: "a search matching none of the job's", job: "first", query: "&q=fay", expected: () => [] },
  ] as const)("?job_id: $what", async ({ job: which, query, expected }) => {
    const list = ok<ContactList>(await api.contacts(tenant.keys.viewer, `?job_id=${job(which)}${query}`));
    expect(listed(list)).toEqual(expected());
    expect(list.total).toBe(expected().length);
  });

  it("pages the job's contacts in the same order, with the total on each page", async () => {
    const pages = [];
    for (const page of [1, 2, 3]) {
      const list = ok<ContactList>(await api.contacts(tenant.keys.viewer, `?job_id=${first}&page_size=1&page=${page}`));
      expect(list).toMatchObject({ total: 2, page, page_size: 1 });
      pages.push(...listed(list));
    }
    expect(pages).toEqual([
      ["eve@example.com", first, second],
      ["bo@example.com", null, first],
    ]);
  });

  it("another company's job → 404, and it sees only its own contacts of its own job", async () => {
    expect(expectEnvelope(await api.contacts(tenant.keys.viewer, `?job_id=${theirs}`), 404, "NOT_FOUND").message).toBe(
      `Job ${theirs} not found`,
    );
    expect(expectEnvelope(await api.contacts(otherKeys.viewer, `?job_id=${first}`), 404, "NOT_FOUND").message).toBe(
      `Job ${first} not found`,
    );
    expect(listed(ok<ContactList>(await api.contacts(otherKeys.viewer, `?job_id=${theirs}`)))).toEqual([
      ["eve@example.com", theirs, theirs],
    ]);
  });

  it.each([
    { query: "?job_id=987654321", status: 404, message: /^Job 987654321 not found$/ },
    { query: "?job_id=abc", status: 400, message: /^Invalid query\.job_id: / },
    { query: "?job_id=0", status: 400, message: /^Invalid query\.job_id: / },
  ])("$query → $status", async ({ query, status, message }) => {
    const error = expectEnvelope(
      await api.contacts(tenant.keys.viewer, query),
      status,
      status === 404 ? "NOT_FOUND" : "VALIDATION_ERROR",
    );
    expect(error.message).toMatch(message);
  });
});
