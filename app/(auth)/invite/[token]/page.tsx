import type { Metadata } from "next";
import Link from "next/link";
import { invitationProblem, openInvitation, unknownLinkMessage } from "@/lib/auth/invitations";
import { AcceptInvitationForm } from "./accept-invitation-form";
import { FormAlert } from "@/components/ui/form-alert";

export const metadata: Metadata = { title: "Accept your invitation" };

/** Outside the app shell: the invited person has no password (so no session) yet. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await openInvitation(token);
  const problem = invitation ? invitationProblem(invitation) : unknownLinkMessage;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div>
          <p className="text-2xl font-bold tracking-tight text-indigo-600">Intake</p>
          <h1 className="mt-2 text-xl font-semibold text-slate-900">
            {invitation ? `Join ${invitation.companyName}` : "Invitation"}
          </h1>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          {invitation && !problem ? (
            <>
              <p className="mb-4 text-sm text-slate-600">
                You were invited to <span className="font-medium text-slate-900">{invitation.companyName}</span> as{" "}
                <span className="font-medium text-slate-900">{invitation.email}</span>. Choose a password to sign in
                with; this link then stops working.
              </p>
              <AcceptInvitationForm token={token} email={invitation.email ?? ""} />
            </>
          ) : (
            <div className="space-y-4">
              <FormAlert>{problem}</FormAlert>
              <Link href="/sign-in" className="text-sm font-medium text-indigo-600 hover:text-indigo-500">
                Go to sign-in
              </Link>
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
