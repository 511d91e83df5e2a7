import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { companies, memberships, users, type Company, type Group, type User } from "@/db/schema";
import { hashPassword } from "@/lib/auth/passwords";

/** Rows for integration tests, written straight to the tables (the way an admin tool would). */

export const unique = (): string => randomBytes(4).toString("hex");

export async function createCompany(db: Database, name = `Company ${unique()}`): Promise<Company> {
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${unique()}`;
  const [company] = await db.insert(companies).values({ name, slug }).returning();
  if (!company) throw new Error("company insert returned no row");
  return company;
}

export type TestUser = User & { password: string };

export async function createUser(
  db: Database,
  {
    email = `user-${unique()}@example.com`,
    password = `pw-${unique()}-${unique()}`,
    name = "Test User",
    memberOf = [],
  }: {
    email?: string;
    password?: string;
    name?: string;
    memberOf?: { company: Company; groups: Group[] }[];
  } = {},
): Promise<TestUser> {
  const [user] = await db
    .insert(users)
    .values({ email, name, passwordHash: await hashPassword(password) })
    .returning();
  if (!user) throw new Error("user insert returned no row");
  for (const { company, groups } of memberOf) await addMember(db, company, user, groups);
  return { ...user, password };
}

export async function addMember(db: Database, company: Company, user: User, groups: Group[]): Promise<void> {
  await db.insert(memberships).values({ companyId: company.id, userId: user.id, groups });
}

export async function setCompanyActive(db: Database, company: Company, isActive: boolean): Promise<void> {
  await db.update(companies).set({ isActive }).where(eq(companies.id, company.id));
}
