import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { revokeMemberRefreshTokens } from "@/db/queries/refresh-tokens";
import { normaliseEmail } from "@/db/queries/users";
import { invitations, memberships, refreshTokens, users, type Group } from "@/db/schema";

/** A person as a member of one company. */
export type CompanyMember = {
  userId: string;
  email: string | null;
  name: string | null;
  groups: Group[];
  isActive: boolean;
  /** When they joined this company. */
  createdAt: Date;
  /** Their latest API sign-in (token login or refresh) in this company; browser sign-ins are not recorded. */
  lastSignInAt: Date | null;
  hasPassword: boolean;
  /** How many other companies they are a member of. */
  otherCompanies: number;
  /** Their latest invitation to this company, if they were invited. */
  invitation: { expiresAt: Date; acceptedAt: Date | null } | null;
};

const memberColumns = {
  userId: users.id,
  email: users.email,
  name: users.name,
  groups: memberships.groups,
  isActive: memberships.isActive,
  createdAt: memberships.createdAt,
  lastSignInAt: sql<Date | null>`(
    select max(${refreshTokens.createdAt}) from ${refreshTokens}
    where ${refreshTokens.userId} = ${users.id} and ${refreshTokens.companyId} = ${memberships.companyId}
  )`.mapWith(refreshTokens.createdAt),
  hasPassword: sql<boolean>`${users.passwordHash} is not null`.mapWith(Boolean),
  otherCompanies: sql<number>`(
    select count(*) from ${memberships} as others
    where others.user_id = ${users.id} and others.company_id <> ${memberships.companyId}
  )`.mapWith(Number),
};

type MemberRow = Omit<CompanyMember, "invitation">;

async function withInvitations(db: Database, companyId: string, rows: MemberRow[]): Promise<CompanyMember[]> {
  if (rows.length === 0) return [];
  const latest = await db
    .selectDistinctOn([invitations.userId], {
      userId: invitations.userId,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.companyId, companyId),
        inArray(
          invitations.userId,
          rows.map((row) => row.userId),
        ),
      ),
    )
    .orderBy(invitations.userId, desc(invitations.createdAt));
  const byUser = new Map(latest.map(({ userId, ...invitation }) => [userId, invitation]));
  return rows.map((row) => ({ ...row, invitation: byUser.get(row.userId) ?? null }));
}

/** One page of the company's members, by email. */
export async function listCompanyMembers({
  companyId,
  limit,
  offset,
}: {
  companyId: string;
  limit: number;
  offset: number;
}): Promise<{ members: CompanyMember[]; total: number }> {
  const db = await getDb();
  const [rows, [counted]] = await Promise.all([
    db
      .select(memberColumns)
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.companyId, companyId))
      .orderBy(asc(sql`lower(${users.email})`), asc(users.id))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(memberships).where(eq(memberships.companyId, companyId)),
  ]);
  return { members: await withInvitations(db, companyId, rows), total: counted?.total ?? 0 };
}

export async function findCompanyMemberById({
  companyId,
  userId,
}: {
  companyId: string;
  userId: string;
}): Promise<CompanyMember | null> {
  return memberIn(await getDb(), companyId, userId);
}

/** An invitation to store with a new member: by its token's hash only. */
export type StoredInvitation = { tokenHash: string; expiresAt: Date; createdById: string | null };

export type AddedMember =
  | { outcome: "already_member"; userId: string }
  | { outcome: "created" | "existing_account"; userId: string; invitationId: string | null };

/**
 * Adds the person with this email to the company, in one transaction: a new account (with the
 * password hash given, or none) when nobody has the email yet, else the existing account as it is.
 * `invitation` is stored for a new account, or an existing one without a password that belongs to no
 * other company (someone removed before accepting, invited again).
 */
export async function addCompanyMember({
  companyId,
  email,
  name,
  groups,
  passwordHash,
  invitation,
}: {
  companyId: string;
  email: string;
  name: string;
  groups: Group[];
  passwordHash: string | null;
  invitation: StoredInvitation | null;
}): Promise<AddedMember> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const normalised = normaliseEmail(email);
    const findAccount = async () =>
      (
        await tx
          .select({ id: users.id, passwordHash: users.passwordHash })
          .from(users)
          .where(eq(sql`lower(${users.email})`, normalised))
          .limit(1)
      )[0];
    const found = await findAccount();
    if (!found) {
      // Nothing to do on a conflict: another request created the account a moment ago, and it joins as existing.
      const [created] = await tx
        .insert(users)
        .values({ email: normalised, name, passwordHash })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (created) {
        await tx.insert(memberships).values({ companyId, userId: created.id, groups });
        const invitationId = invitation ? await insertInvitation(tx, companyId, created.id, invitation) : null;
        return { outcome: "created", userId: created.id, invitationId };
      }
    }
    const existing = found ?? (await findAccount());
    if (!existing) throw new Error(`the account of ${normalised} conflicted on insert but was not found`);
    const joined = await tx
      .insert(memberships)
      .values({ companyId, userId: existing.id, groups })
      .onConflictDoNothing()
      .returning({ id: memberships.id });
    if (joined.length === 0) return { outcome: "already_member", userId: existing.id };
    // An invitation sets the account's password: never for an account that has one or that another
    // company shares (its admins would hold a way into that company).
    const invitable = invitation && !existing.passwordHash && !(await belongsElsewhere(tx, existing.id, companyId));
    const invitationId = invitable ? await insertInvitation(tx, companyId, existing.id, invitation) : null;
    return { outcome: "existing_account", userId: existing.id, invitationId };
  });
}

async function belongsElsewhere(tx: Database, userId: string, companyId: string): Promise<boolean> {
  const [other] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), ne(memberships.companyId, companyId)))
    .limit(1);
  return Boolean(other);
}

async function insertInvitation(
  tx: Database,
  companyId: string,
  userId: string,
  invitation: StoredInvitation,
): Promise<string> {
  const [row] = await tx
    .insert(invitations)
    .values({ companyId, userId, ...invitation })
    .returning({ id: invitations.id });
  if (!row) throw new Error("invitation insert returned no row");
  return row.id;
}

/** What a member change is decided on: the member as they are, and the company's active admins. */
export type MemberDecisionInput = { member: CompanyMember; activeAdminIds: string[] };
export type MemberPatch = { groups?: Group[]; isActive?: boolean; name?: string };

/**
 * Changes one member under a lock on the company's memberships, so two admins demoting each other at
 * once cannot both pass the last-admin rule. `decide` sees the state and returns the change to make
 * (or throws, which changes nothing). A member deactivated here loses the company's refresh tokens.
 * Null when the user is not a member of the company.
 */
export async function changeCompanyMember({
  companyId,
  userId,
  decide,
}: {
  companyId: string;
  userId: string;
  decide: (input: MemberDecisionInput) => MemberPatch;
}): Promise<{ before: CompanyMember; after: CompanyMember } | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const state = await lockedState(tx, companyId, userId);
    if (!state) return null;
    const patch = decide(state);
    if (patch.groups !== undefined || patch.isActive !== undefined) {
      await tx
        .update(memberships)
        .set({ groups: patch.groups, isActive: patch.isActive })
        .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
    }
    if (patch.name !== undefined) await tx.update(users).set({ name: patch.name }).where(eq(users.id, userId));
    if (patch.isActive === false) await revokeMemberRefreshTokens({ userId, companyId, db: tx });
    const after = await memberIn(tx, companyId, userId);
    if (!after) throw new Error("the member just changed was not found");
    return { before: state.member, after };
  });
}

/**
 * Removes one member from the company under the same lock, after `decide` allows it: the membership,
 * its refresh tokens and the invitations not accepted go; the account stays (it may belong elsewhere,
 * and its name keeps the history of what it did readable). Null when the user is not a member.
 */
export async function removeCompanyMember({
  companyId,
  userId,
  decide,
}: {
  companyId: string;
  userId: string;
  decide: (input: MemberDecisionInput) => void;
}): Promise<CompanyMember | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const state = await lockedState(tx, companyId, userId);
    if (!state) return null;
    decide(state);
    await tx.delete(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
    await tx
      .delete(invitations)
      .where(and(eq(invitations.companyId, companyId), eq(invitations.userId, userId), isNull(invitations.acceptedAt)));
    await revokeMemberRefreshTokens({ userId, companyId, db: tx });
    return state.member;
  });
}

async function lockedState(tx: Database, companyId: string, userId: string): Promise<MemberDecisionInput | null> {
  const locked = await tx
    .select({ userId: memberships.userId, groups: memberships.groups, isActive: memberships.isActive })
    .from(memberships)
    .where(eq(memberships.companyId, companyId))
    .for("update");
  const member = locked.some((row) => row.userId === userId) ? await memberIn(tx, companyId, userId) : null;
  if (!member) return null;
  const activeAdminIds = locked.filter((row) => row.isActive && row.groups.includes("admin")).map((row) => row.userId);
  return { member, activeAdminIds };
}

async function memberIn(tx: Database, companyId: string, userId: string): Promise<CompanyMember | null> {
  const rows = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)))
    .limit(1);
  const [member] = await withInvitations(tx, companyId, rows);
  return member ?? null;
}
