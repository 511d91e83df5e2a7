import type { DefaultSession } from "next-auth";
import type { Group } from "@/db/schema";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
    companyId: string;
    companyName: string;
    groups: Group[];
    /** Never in a session read by anyone: only sent by the server in an update after a password change. */
    credentialStamp?: string;
  }

  interface User {
    /** Set by the credentials provider from the password hash it just verified. */
    credentialStamp?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    userId?: string;
    companyId?: string;
    companyName?: string;
    groups?: Group[];
    /** The credential stamp (lib/auth/credential-stamp.ts) of the password this session was opened with. */
    credentialStamp?: string;
  }
}
