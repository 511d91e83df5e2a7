import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { companies, invitations, memberships, users } from "@/db/schema";

/** An invitation as its link's page shows it. */
export type InvitationView = {
  id: string;
  companyId: string;
  companyName: string;
  userId: string;
  email: string | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  membershipActive: boolean;
};

const viewColumns = {
  id: invitations.id,
  companyId: invitations.companyId,
  companyName: companies.name,
  userId: invitations.userId,
  email: users.email,
  expiresAt: invitations.expiresAt,
  acceptedAt: invitations.acceptedAt,
  membershipActive: memberships.isActive,
};

/**
 * The invitation with this token hash, while its company is usable and the person is still a member
 * there (a removed member's invitation is gone with the membership); null otherwise.
 */
export async function findInvitationByTokenHash({ tokenHash }: { tokenHash: string }): Promise<InvitationView | null> {
  const db = await getDb();
  const [row] = await db
    .select(viewColumns)
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(companies, eq(companies.id, invitations.companyId))
    .innerJoin(
      memberships,
      and(eq(memberships.companyId, invitations.companyId), eq(memberships.userId, invitations.userId)),
    )
    .where(
      and(eq(invitations.tokenHash, tokenHash), eq(companies.isActive, true), isNull(companies.deletionRequestedAt)),
    )
    .limit(1);
  return row ?? null;
}

export type AcceptOutcome =
  { outcome: "accepted"; userId: string; companyId: string } | { outcome: "spent" } | { outcome: "has_password" };

/**
 * Spends the invitation and sets the account's password, in one transaction. Only an invitation not
 * accepted and not expired is spent (a link works once), and only for an account still without a
 * password: a link never replaces a password someone already chose.
 */
export async function acceptInvitation({
  invitationId,
  passwordHash,
}: {
  invitationId: string;
  passwordHash: string;
}): Promise<AcceptOutcome> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [invited] = await tx
      .select({ passwordHash: users.passwordHash })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.userId))
      .where(eq(invitations.id, invitationId))
      .for("update");
    if (invited?.passwordHash) return { outcome: "has_password" };
    const [spent] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(
        and(eq(invitations.id, invitationId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, sql`now()`)),
      )
      .returning({ userId: invitations.userId, companyId: invitations.companyId });
    if (!spent) return { outcome: "spent" };
    await tx.update(users).set({ passwordHash, emailVerified: new Date() }).where(eq(users.id, spent.userId));
    return { outcome: "accepted", ...spent };
  });
}
