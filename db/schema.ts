import { sql } from "drizzle-orm";
import {
  bigint,
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { AdapterAccountType } from "@auth/core/adapters";
import type { CsvLayout } from "@/lib/csv/types";

// SQL names are snake_case: the drizzle client and drizzle-kit both run with `casing: "snake_case"`.

const createdAt = () => timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () =>
  timestamp({ withTimezone: true, mode: "date" })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
const identity = () => bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity();

export const GROUPS = ["admin", "editor", "uploader", "viewer"] as const;
export const groupEnum = pgEnum("member_group", GROUPS);

export const JOB_STATUSES = [
  "PENDING",
  "PROCESSING",
  "NEEDS_REVIEW",
  "COMPLETED",
  "FAILED",
  "REVERTED",
  "CANCELLED",
] as const;
export const jobStatusEnum = pgEnum("job_status", JOB_STATUSES);

export const IMPORT_MODES = ["create", "update", "upsert"] as const;
export const importModeEnum = pgEnum("import_mode", IMPORT_MODES);

export const STAGING_STATUSES = ["READY", "ISSUE", "IMPORTED", "SKIPPED"] as const;
export const stagingStatusEnum = pgEnum("staging_status", STAGING_STATUSES);

/** What checking a row's own fields found, before comparing it with other rows and contacts. */
export const ROW_CHECKS = ["OK", "MISSING_EMAIL", "INVALID_EMAIL", "MALFORMED_ROW", "VALUE_TOO_LONG"] as const;
export const rowCheckEnum = pgEnum("row_check", ROW_CHECKS);

export const ISSUE_TYPES = [
  "DUPLICATE_EMAIL",
  "INVALID_EMAIL",
  "MISSING_EMAIL",
  "CONTACT_CONFLICT",
  "MALFORMED_ROW",
  "VALUE_TOO_LONG",
] as const;
export const issueTypeEnum = pgEnum("issue_type", ISSUE_TYPES);

export const CONTACT_CHANGE_ACTIONS = ["INSERT", "UPDATE"] as const;
export const contactChangeActionEnum = pgEnum("contact_change_action", CONTACT_CHANGE_ACTIONS);

export const UPLOAD_SESSION_STATUSES = ["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;
export const uploadSessionStatusEnum = pgEnum("upload_session_status", UPLOAD_SESSION_STATUSES);

export const CYCLE_STATUSES = ["PLANNED", "ACTIVE", "CLOSED"] as const;
export const cycleStatusEnum = pgEnum("cycle_status", CYCLE_STATUSES);

/** A file attached to an upload session, from attached (waiting for the session to run it) to its outcome. */
export const SESSION_FILE_STATUSES = [
  /** An upload URL was issued for the session (POST /api/uploads with session_id); the bytes may not be there yet. */
  "UPLOADING",
  "ATTACHED",
  "RUNNING",
  "COMPLETED",
  "NEEDS_REVIEW",
  "REFUSED",
  "FAILED",
  "CANCELLED",
] as const;
export const sessionFileStatusEnum = pgEnum("session_file_status", SESSION_FILE_STATUSES);

export const WEBHOOK_DELIVERY_STATUSES = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", WEBHOOK_DELIVERY_STATUSES);

export const RUN_STATUSES = ["QUEUED", "RUNNING", "COMPLETED", "FAILED"] as const;
export const runStatusEnum = pgEnum("background_run_status", RUN_STATUSES);

// ---------------------------------------------------------------- tenants and people

export const companies = pgTable("companies", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  isActive: boolean().notNull().default(true),
  rateLimitPerMinute: integer().notNull().default(1000),
  rateLimitPerHour: integer().notNull().default(50_000),
  rateLimitPerDay: integer().notNull().default(1_000_000),
  /** Set when a platform admin deletes the tenant: from then on it is gone to everyone while a background run removes what it owns. */
  deletionRequestedAt: timestamp({ withTimezone: true, mode: "date" }),
  /** What the deletion run has removed so far, by kind. */
  deletionProgress: jsonb().$type<Record<string, number>>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Auth.js users, plus the password hash for email + password sign-in. */
export const users = pgTable(
  "users",
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text(),
    email: text().unique(),
    emailVerified: timestamp({ withTimezone: true, mode: "date" }),
    image: text(),
    passwordHash: text(),
    /** Raised by "sign out everywhere": every session and access token stamped before it stops working. */
    credentialEpoch: integer().notNull().default(0),
    isPlatformAdmin: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  // Emails are compared case-insensitively everywhere; two accounts must not differ only in case.
  (t) => [uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`)],
);

export const accounts = pgTable(
  "accounts",
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text().$type<AdapterAccountType>().notNull(),
    provider: text().notNull(),
    providerAccountId: text().notNull(),
    refresh_token: text(),
    access_token: text(),
    expires_at: integer(),
    token_type: text(),
    scope: text(),
    id_token: text(),
    session_state: text(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

export const sessions = pgTable("sessions", {
  sessionToken: text().primaryKey(),
  userId: text()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp({ withTimezone: true, mode: "date" }).notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text().notNull(),
    token: text().notNull(),
    expires: timestamp({ withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    groups: groupEnum()
      .array()
      .notNull()
      .default(sql`'{viewer}'::member_group[]`),
    /** A deactivated member keeps their place (and history) but signs in to nothing in this company. */
    isActive: boolean().notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("memberships_company_user_key").on(t.companyId, t.userId),
    index("memberships_user_idx").on(t.userId),
  ],
);

/** One-time links to set a password and join a company; only the token's hash is kept. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    createdById: text().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    acceptedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_company_idx").on(t.companyId), index("invitations_user_idx").on(t.userId)],
);

/** Opaque refresh tokens for REST clients; stored hashed and rotated on every use. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    familyId: uuid().notNull(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    revokedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid().primaryKey().defaultRandom(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text().notNull(),
    keyHash: text().notNull().unique(),
    groups: groupEnum().array().notNull(),
    createdById: text().references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamp({ withTimezone: true, mode: "date" }),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }),
    revokedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_company_idx").on(t.companyId)],
);

// ---------------------------------------------------------------- projects, cycles, sessions

export const projects = pgTable(
  "projects",
  {
    id: identity(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text(),
    createdById: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("projects_company_name_key").on(t.companyId, t.name)],
);

export const cycles = pgTable(
  "cycles",
  {
    id: identity(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    projectId: bigint({ mode: "number" })
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    startsOn: timestamp({ withTimezone: true, mode: "date" }),
    endsOn: timestamp({ withTimezone: true, mode: "date" }),
    status: cycleStatusEnum().notNull().default("ACTIVE"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("cycles_project_name_key").on(t.projectId, t.name)],
);

export const uploadSessions = pgTable(
  "upload_sessions",
  {
    id: identity(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    // The API refuses to delete a cycle with sessions unless they are finished and the caller cascades.
    cycleId: bigint({ mode: "number" })
      .notNull()
      .references(() => cycles.id, { onDelete: "cascade" }),
    name: text().notNull(),
    status: uploadSessionStatusEnum().notNull().default("PENDING"),
    /** Where the files come from, in the creator's words (seed 002), e.g. "CRM export" or an S3 prefix. */
    source: text(),
    /** Set when the session imports every object under an S3 prefix rather than dropped files. */
    sourcePrefix: text(),
    importMode: importModeEnum().notNull().default("upsert"),
    // Live counters, updated after each file: a file ends in exactly one of the file counters.
    totalFiles: integer().notNull().default(0),
    completedFiles: integer().notNull().default(0),
    needsReviewFiles: integer().notNull().default(0),
    refusedFiles: integer().notNull().default(0),
    failedFiles: integer().notNull().default(0),
    cancelledFiles: integer().notNull().default(0),
    rowsStaged: bigint({ mode: "number" }).notNull().default(0),
    rowsLanded: bigint({ mode: "number" }).notNull().default(0),
    rowsWithIssues: bigint({ mode: "number" }).notNull().default(0),
    bytes: bigint({ mode: "number" }).notNull().default(0),
    /** Why a FAILED session could run nothing. */
    failureReason: text(),
    cancelRequestedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdById: text().references(() => users.id, { onDelete: "set null" }),
    startedAt: timestamp({ withTimezone: true, mode: "date" }),
    finishedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("upload_sessions_company_idx").on(t.companyId, t.createdAt),
    index("upload_sessions_cycle_idx").on(t.cycleId),
  ],
);

/** An uploaded object attached to a session, and what became of it: refused with a reason, or a job. */
export const uploadSessionFiles = pgTable(
  "upload_session_files",
  {
    id: identity(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    sessionId: bigint({ mode: "number" })
      .notNull()
      .references(() => uploadSessions.id, { onDelete: "cascade" }),
    storageKey: text().notNull(),
    fileName: text().notNull(),
    sizeBytes: bigint({ mode: "number" }),
    status: sessionFileStatusEnum().notNull().default("ATTACHED"),
    /** Why the file was refused (not a CSV, no email column, already imported…) or failed. */
    reason: text(),
    jobId: bigint({ mode: "number" }).references((): AnyPgColumn => jobs.id, { onDelete: "set null" }),
    /** Found under an S3 prefix (the company's own objects): kept in storage even when refused. */
    fromPrefix: boolean().notNull().default(false),
    /** Rows of its job with issues as of the job's latest outcome; the session's rows with issues sum them. */
    issueRows: integer().notNull().default(0),
    startedAt: timestamp({ withTimezone: true, mode: "date" }),
    finishedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("upload_session_files_session_key").on(t.sessionId, t.storageKey),
    index("upload_session_files_session_status_idx").on(t.sessionId, t.status),
    index("upload_session_files_job_idx").on(t.jobId),
  ],
);

// ---------------------------------------------------------------- ingestion

export const jobs = pgTable(
  "jobs",
  {
    id: identity(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    uploadSessionId: bigint({ mode: "number" }).references(() => uploadSessions.id, {
      onDelete: "set null",
    }),
    createdById: text().references(() => users.id, { onDelete: "set null" }),
    createdByApiKeyId: uuid().references(() => apiKeys.id, { onDelete: "set null" }),
    fileName: text().notNull(),
    storageKey: text().notNull(),
    sha256: text().notNull(),
    sizeBytes: bigint({ mode: "number" }).notNull(),
    encoding: text(),
    delimiter: text(),
    /** Canonical field → header as found in the file, e.g. {"email": "E-mail"}. */
    headerMapping: jsonb().$type<Record<string, string>>(),
    /** Everything needed to read the file again from any record (see lib/csv CsvLayout). */
    layout: jsonb().$type<CsvLayout>(),
    importMode: importModeEnum().notNull().default("upsert"),
    status: jobStatusEnum().notNull().default("PENDING"),
    totalRows: integer(),
    stagedRows: integer().notNull().default(0),
    /** Records whose quoting or field count is broken: staged as MALFORMED_ROW rows, raw text kept. */
    malformedRows: integer().notNull().default(0),
    /** Blank records (only delimiters and spaces): read and passed over, never staged. */
    blankRows: integer().notNull().default(0),
    processedRows: integer().notNull().default(0),
    processedBytes: bigint({ mode: "number" }).notNull().default(0),
    issueCount: integer().notNull().default(0),
    insertedCount: integer().notNull().default(0),
    updatedCount: integer().notNull().default(0),
    skippedCount: integer().notNull().default(0),
    error: text(),
    /** An editor asked a PROCESSING job to stop: its run stops at the next step boundary and undoes what it landed. */
    cancelRequestedAt: timestamp({ withTimezone: true, mode: "date" }),
    /** The background run processing the job: a second run queued for the same job (a repeated dispatch) leaves it alone. */
    processingRunId: text(),
    startedAt: timestamp({ withTimezone: true, mode: "date" }),
    finishedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("jobs_company_created_idx").on(t.companyId, t.createdAt),
    index("jobs_company_status_idx").on(t.companyId, t.status),
    index("jobs_upload_session_idx").on(t.uploadSessionId),
    // A file already imported is refused; a reverted job frees its file for another try.
    uniqueIndex("jobs_company_sha256_key")
      .on(t.companyId, t.sha256)
      .where(sql`status <> 'REVERTED'`),
  ],
);

/** The job's timeline: every status change with when and why. */
export const jobEvents = pgTable(
  "job_events",
  {
    id: identity(),
    jobId: bigint({ mode: "number" })
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    status: jobStatusEnum().notNull(),
    message: text(),
    actorUserId: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("job_events_job_idx").on(t.jobId, t.createdAt)],
);

/**
 * One CSV row of a job. Loaded by the million with COPY, so it carries no foreign keys (each would be
 * a per-row trigger): deleting a job deletes its staging rows explicitly (db/queries/jobs.ts).
 */
export const stagingRows = pgTable(
  "staging_rows",
  {
    id: identity(),
    jobId: bigint({ mode: "number" }).notNull(),
    companyId: uuid().notNull(),
    rowNumber: integer().notNull(),
    email: text(),
    firstName: text(),
    lastName: text(),
    company: text(),
    /**
     * The row's original cells, in the order of the job's headers (for the error file). Null when the
     * staged fields say it all: the file has only the four contact columns and every cell was already
     * as Intake keeps it (`cellsFromFields` rebuilds them). Most rows of most files, and a quarter of
     * the bytes every staged row would otherwise write.
     */
    cells: text().array(),
    rowCheck: rowCheckEnum().notNull().default("OK"),
    /** What the row check found, in words (with the lines of a malformed record); null when OK. */
    checkDetail: text(),
    /** The record's text exactly as read, kept only for a malformed record (its cells are a guess). */
    rawText: text(),
    status: stagingStatusEnum().notNull().default("READY"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The only index besides the key: every index costs each COPYed row and each status change. Lookups
    // by email within a job scan the job's rows (through this index's job_id prefix) or hash-join them.
    uniqueIndex("staging_rows_job_row_key").on(t.jobId, t.rowNumber),
  ],
);

export const issues = pgTable(
  "issues",
  {
    id: identity(),
    jobId: bigint({ mode: "number" })
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    type: issueTypeEnum().notNull(),
    /** Stable key (type + what it is about) so re-running detection never duplicates an issue. */
    issueKey: text().notNull(),
    /** What the issue is about: the email for duplicates and conflicts, the row number for row problems. */
    subject: text().notNull(),
    description: text(),
    resolved: boolean().notNull().default(false),
    resolvedAt: timestamp({ withTimezone: true, mode: "date" }),
    resolvedBy: text(),
    resolutionComment: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("issues_job_key_key").on(t.jobId, t.issueKey),
    index("issues_company_created_idx").on(t.companyId, t.createdAt),
  ],
);

/**
 * A row an issue is about. Detection writes these by the ten thousand, joined from issues and staging
 * rows that exist, so they carry no foreign keys (each would be three per-row triggers, most of the
 * cost of writing them): removing a job's issues or rows removes their items explicitly
 * (db/queries/jobs.ts).
 */
export const issueItems = pgTable(
  "issue_items",
  {
    id: identity(),
    issueId: bigint({ mode: "number" }).notNull(),
    stagingId: bigint({ mode: "number" }).notNull(),
    jobId: bigint({ mode: "number" }).notNull(),
    /**
     * What the issue's resolution decided for this row (skip it, or keep it): the row's status before
     * and the status the decision set. Null when the issue is open or its resolution decided nothing
     * for the row; reopening the issue puts the row back from this record and clears it.
     */
    decidedFrom: stagingStatusEnum(),
    decidedTo: stagingStatusEnum(),
  },
  (t) => [
    uniqueIndex("issue_items_issue_staging_key").on(t.issueId, t.stagingId),
    index("issue_items_staging_idx").on(t.stagingId),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    id: identity(),
    // No foreign key, as on staging_rows: a per-row check of the company costs a tenth of a million-row
    // promotion, and the company is always the caller's own. Deleting a company must delete its contacts.
    companyId: uuid().notNull(),
    /** Normalised: trimmed and lower-cased. */
    email: text().notNull(),
    firstName: text(),
    lastName: text(),
    company: text(),
    // The staging row and jobs it came from. No foreign keys on these three: contacts are written by the
    // million and a per-row check of each would cost more than the insert; jobs that landed contacts
    // are never deleted (only reverted).
    stagingId: bigint({ mode: "number" }),
    /** The job that inserted it. */
    sourceJobId: bigint({ mode: "number" }),
    /** The job that last inserted or updated it. */
    lastJobId: bigint({ mode: "number" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("contacts_company_email_key").on(t.companyId, t.email),
    index("contacts_company_created_idx").on(t.companyId, t.createdAt),
    // The contacts a job inserted: its contacts list (with contact_changes for those it updated) and its revert.
    index("contacts_source_job_idx").on(t.sourceJobId),
  ],
);

/** A contact as it was before a job updated it: what a revert puts back. */
export type ContactChangePrevious = {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  /** The job that had last inserted or updated it (records written before this key existed lack it). */
  lastJobId?: number | null;
  /** The staging row it had last come from. */
  stagingId?: number | null;
};

/**
 * Contacts a job updated, with the values before, so the job can be reverted. (Contacts a job
 * inserted carry it in `contacts.source_job_id`; a per-row record of a million inserts would cost
 * more than the inserts themselves.)
 */
export const contactChanges = pgTable(
  "contact_changes",
  {
    id: identity(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    jobId: bigint({ mode: "number" })
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    contactId: bigint({ mode: "number" }).notNull(),
    action: contactChangeActionEnum().notNull(),
    previous: jsonb().$type<ContactChangePrevious>(),
    revertedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("contact_changes_job_contact_key").on(t.jobId, t.contactId),
    index("contact_changes_contact_idx").on(t.contactId),
  ],
);

// ---------------------------------------------------------------- background work

/** A background function run, used by the in-process runner when Inngest is not configured. */
export const backgroundRuns = pgTable(
  "background_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    functionId: text().notNull(),
    eventName: text().notNull(),
    eventData: jsonb().notNull(),
    status: runStatusEnum().notNull().default("QUEUED"),
    attempts: integer().notNull().default(0),
    /** A worker holds the run until then and renews it while working; an expired lease means the worker died. */
    leaseUntil: timestamp({ withTimezone: true, mode: "date" }),
    runAfter: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
    error: text(),
    /** The event's id when it has one: the same event dispatched again starts no second run (as Inngest's event id). */
    dedupeKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("background_runs_status_idx").on(t.status),
    uniqueIndex("background_runs_function_dedupe_key").on(t.functionId, t.dedupeKey),
  ],
);

/** Finished steps of a run: a resumed run replays these instead of doing the work again. */
export const backgroundSteps = pgTable(
  "background_steps",
  {
    runId: uuid()
      .notNull()
      .references(() => backgroundRuns.id, { onDelete: "cascade" }),
    stepId: text().notNull(),
    output: jsonb(),
    completedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepId] })],
);

// ---------------------------------------------------------------- usage and audit

export const usageRecords = pgTable(
  "usage_records",
  {
    id: identity(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    userId: text().references(() => users.id, { onDelete: "set null" }),
    apiKeyId: uuid().references(() => apiKeys.id, { onDelete: "set null" }),
    method: text().notNull(),
    route: text().notNull(),
    statusCode: integer().notNull(),
    durationMs: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("usage_records_company_created_idx").on(t.companyId, t.createdAt)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: identity(),
    companyId: uuid().references(() => companies.id, { onDelete: "cascade" }),
    actorUserId: text().references(() => users.id, { onDelete: "set null" }),
    actorApiKeyId: uuid().references(() => apiKeys.id, { onDelete: "set null" }),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    details: jsonb(),
    requestId: text(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_events_company_created_idx").on(t.companyId, t.createdAt)],
);

/**
 * Rate-limit counters shared by every server on one Postgres (lib/limits): points spent under a key
 * until `expire`, when the next spend starts a new window. Expired rows are deleted in small batches.
 */
// ---------------------------------------------------------------- webhooks

/** A company's endpoint told of the events it subscribed to; the signing secret is kept encrypted (it must sign later). */
export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid().primaryKey().defaultRandom(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    url: text().notNull(),
    /** e.g. job.completed, job.needs_review, job.failed, job.reverted, session.completed */
    events: text().array().notNull(),
    description: text(),
    secretCiphertext: text().notNull(),
    /** The secret's first characters, shown in lists so that people can tell secrets apart. */
    secretPrefix: text().notNull(),
    isActive: boolean().notNull().default(true),
    createdById: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhooks_company_idx").on(t.companyId)],
);

/** One event for one webhook, and its attempts: retried with backoff for up to a day. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: identity(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    webhookId: uuid()
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    /** The event's own id (the same in every attempt), for receivers to drop repeats. */
    eventId: uuid().notNull(),
    event: text().notNull(),
    payload: jsonb().notNull(),
    status: webhookDeliveryStatusEnum().notNull().default("PENDING"),
    attempts: integer().notNull().default(0),
    lastStatusCode: integer(),
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true, mode: "date" }),
    deliveredAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_webhook_event_key").on(t.webhookId, t.eventId),
    index("webhook_deliveries_webhook_created_idx").on(t.webhookId, t.createdAt),
  ],
);

export const rateLimitCounters = pgTable(
  "rate_limit_counters",
  {
    key: text().primaryKey(),
    points: integer().notNull(),
    expire: timestamp({ withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("rate_limit_counters_expire_idx").on(t.expire)],
);

export type Group = (typeof GROUPS)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];
export type Company = typeof companies.$inferSelect;
export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type RefreshToken = typeof refreshTokens.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type Cycle = typeof cycles.$inferSelect;
export type UploadSession = typeof uploadSessions.$inferSelect;
export type Job = typeof jobs.$inferSelect;
export type JobEvent = typeof jobEvents.$inferSelect;
export type StagingRow = typeof stagingRows.$inferSelect;
export type Issue = typeof issues.$inferSelect;
export type IssueItem = typeof issueItems.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type ContactChange = typeof contactChanges.$inferSelect;
export type BackgroundRun = typeof backgroundRuns.$inferSelect;
export type UsageRecord = typeof usageRecords.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
