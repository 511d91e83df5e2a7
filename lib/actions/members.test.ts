import { AuthError } from "next-auth";
import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, expect, it, vi } from "vitest";
import { auditEvents, users, type Company } from "@/db/schema";
import { acceptInvitationAction, type AcceptInvitationState } from "@/lib/actions/members";
import type { TenantContext } from "@/lib/auth/context";
import { signIn } from "@/lib/auth/nextauth";
import { verifyPassword } from "@/lib/auth/passwords";
import { addMember } from "@/lib/tenancy/members";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";

// next-auth does not load outside Next's bundler: signing in is what this action hands over to it.
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("@/lib/auth/nextauth", () => ({ signIn: vi.fn() }));

const NEXT_REDIRECT = /NEXT_REDIRECT/;
const initial: AcceptInvitationState = { error: null, fieldErrors: {} };

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describeEachBackend("accepting an invitation (server action)", (database) => {
  let company: Company;

  beforeAll(async () => {
    company = await createCompany(database.db, "Inviting Co");
  });

  beforeEach(() => {
    vi.mocked(signIn).mockReset();
  });

  async function invited(): Promise<{ userId: string; email: string; token: string }> {
    const email = `invitee-${unique()}@example.com`;
    const ctx: TenantContext = {
      method: "api_key",
      companyId: company.id,
      companyName: company.name,
      companySlug: company.slug,
      groups: ["admin"],
      user: null,
      apiKey: null,
    };
    const added = await addMember(ctx, {
      email,
      name: "Ina",
      groups: ["viewer"],
      credential: { invite: true },
    });
    const url = added.invitation?.url ?? "";
    return { userId: added.member.userId, email, token: url.slice(url.lastIndexOf("/") + 1) };
  }

  const passwordOf = async (userId: string) =>
    (await database.db.select().from(users).where(eq(users.id, userId)))[0]?.passwordHash ?? null;

  it.each([
    {
      what: "two passwords that differ",
      fields: { password: "chosen-password", confirmation: "chosen-passwore" },
      field: "confirmation",
      reason: /differ/,
    },
    {
      what: "a password too short",
      fields: { password: "short", confirmation: "short" },
      field: "password",
      reason: /at least 8/,
    },
  ])("refuses $what in place, setting nothing", async ({ fields, field, reason }) => {
    const { userId, token } = await invited();
    const state = await acceptInvitationAction(initial, form({ token, ...fields }));
    expect(state.fieldErrors[field]?.[0]).toMatch(reason);
    expect(await passwordOf(userId)).toBeNull();
    expect(signIn).not.toHaveBeenCalled();
  });

  it("sets the password, spends the link, records it and signs the person in", async () => {
    const { userId, email, token } = await invited();
    vi.mocked(signIn).mockRejectedValueOnce(new Error("NEXT_REDIRECT"));
    await expect(
      acceptInvitationAction(initial, form({ token, password: "chosen-password", confirmation: "chosen-password" })),
    ).rejects.toThrow(NEXT_REDIRECT);
    expect(signIn).toHaveBeenCalledWith("credentials", { email, password: "chosen-password", redirectTo: "/" });
    expect(await verifyPassword(await passwordOf(userId), "chosen-password")).toBe(true);
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, userId));
    expect(events.map((event) => event.action)).toContain("member.invitation_accepted");

    const again = await acceptInvitationAction(
      initial,
      form({ token, password: "another-password", confirmation: "another-password" }),
    );
    expect(again.error).toMatch(/already used/);
    expect(await verifyPassword(await passwordOf(userId), "chosen-password")).toBe(true);
  });

  it("a sign-in that fails after the password is set sends the person to the sign-in page", async () => {
    const { userId, token } = await invited();
    vi.mocked(signIn).mockRejectedValueOnce(new AuthError("refused"));
    await expect(
      acceptInvitationAction(initial, form({ token, password: "chosen-password", confirmation: "chosen-password" })),
    ).rejects.toMatchObject({ digest: expect.stringContaining(";/sign-in?") as unknown });
    expect(await verifyPassword(await passwordOf(userId), "chosen-password")).toBe(true);
  });

  it("an unknown link says so", async () => {
    const state = await acceptInvitationAction(
      initial,
      form({ token: "inv_nothing-like-it", password: "chosen-password", confirmation: "chosen-password" }),
    );
    expect(state.error).toMatch(/not valid/);
  });
});
