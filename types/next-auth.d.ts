import type { DefaultSession } from "next-auth";
import type { Group } from "@/db/schema";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
    companyId: string;
    companyName: string;
    groups: Group[];
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    userId?: string;
    companyId?: string;
    companyName?: string;
    groups?: Group[];
  }
}
