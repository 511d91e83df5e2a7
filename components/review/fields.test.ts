import { describe, expect, it } from "vitest";
import type { Contact } from "@/components/api/contacts";
import type { StagingRow } from "@/components/api/issues";
import { differingFields } from "./fields";

function row(email: string | null, first: string | null, last: string | null, company: string | null): StagingRow {
  return {
    staging_id: 1,
    staging_job_id: 1,
    staging_row_number: 2,
    staging_email: email,
    staging_first_name: first,
    staging_last_name: last,
    staging_company: company,
    staging_status: "ISSUE",
    staging_row_check: "OK",
    staging_check_detail: null,
    staging_raw_text: null,
    staging_created_at: "2026-01-01T00:00:00.000Z",
    staging_updated_at: "2026-01-01T00:00:00.000Z",
  };
}

function contact(email: string, first: string | null, last: string | null, company: string | null): Contact {
  return {
    contact_id: 1,
    staging_id: 7,
    contacts_user_id: null,
    contact_email: email,
    contact_first_name: first,
    contact_last_name: last,
    contact_company: company,
    contact_source_job_id: 1,
    contact_last_job_id: 1,
    contact_created_at: "2026-01-01T00:00:00.000Z",
    contact_updated_at: "2026-01-01T00:00:00.000Z",
  };
}

describe("differingFields", () => {
  const cases: [string, StagingRow[], Contact | null, string[]][] = [
    [
      "a duplicate pair differing by name",
      [row("t@x.co", "Sam", "Smith", "Acme"), row("t@x.co", "Samantha", "Smythe", "Acme")],
      null,
      ["first_name", "last_name"],
    ],
    [
      "case and surrounding space are not differences",
      [row("t@x.co", "Sam ", "SMITH", "acme"), row("t@x.co", "sam", "Smith", " Acme")],
      null,
      [],
    ],
    ["empty and missing are the same", [row("t@x.co", "", null, "Acme"), row("t@x.co", null, "", "Acme")], null, []],
    ["a single row has nothing to differ from", [row("bad", "Ivy", "Invalid", "Acme")], null, []],
    [
      "a conflict differs from the existing contact",
      [row("ada@x.co", "Augusta", "King", "Engines")],
      contact("ada@x.co", "Ada", "Lovelace", "Engines"),
      ["first_name", "last_name"],
    ],
    [
      "a conflict on the company only",
      [row("ada@x.co", "Ada", "Lovelace", "Navy")],
      contact("ada@x.co", "Ada", "Lovelace", "Engines"),
      ["company"],
    ],
  ];
  it.each(cases)("%s", (_name, rows, existing, expected) => {
    expect([...differingFields(rows, existing)].sort()).toEqual([...expected].sort());
  });
});
