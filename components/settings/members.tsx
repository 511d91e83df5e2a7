"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import {
  addMember,
  fetchMembers,
  membersQueryKey,
  removeMember,
  updateMember,
  type AddedMember,
  type Member,
  type MemberUpdateRequest,
} from "@/components/api/members";
import { CopyOnceDialog } from "@/components/settings/copy-once-dialog";
import { GroupCheckboxes, type GroupChoice } from "@/components/settings/group-checkboxes";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { lastAdminViolation, type MemberChange } from "@/lib/tenancy/member-rules";
import { FormAlert } from "@/components/ui/form-alert";

type MemberGroup = GroupChoice;

/**
 * Settings → Members: everyone sees who belongs to the company and with which groups; admins invite,
 * change groups, deactivate, reactivate and remove, and the rules that stop them are said in place.
 */
export function MembersSection({ canManage, currentUserId }: { canManage: boolean; currentUserId: string | null }) {
  const [added, setAdded] = useState<AddedMember | null>(null);
  return (
    <div className="space-y-6">
      {canManage ? (
        <>
          <p className="text-sm text-slate-600">
            Invite people with the groups they need: each gets a link, valid once, to choose their password. A
            deactivated or removed member loses access at their next request. The company always keeps at least one
            active admin.
          </p>
          <InviteMemberForm onAdded={setAdded} />
        </>
      ) : (
        <p className="text-sm text-slate-600">Only the company&apos;s admins invite members and change their groups.</p>
      )}
      {added && !added.invitation_url ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {added.notice}
        </p>
      ) : null}
      <MemberList canManage={canManage} currentUserId={currentUserId} />
      {added?.invitation_url ? (
        <InvitationDialog member={added} url={added.invitation_url} onClose={() => setAdded(null)} />
      ) : null}
    </div>
  );
}

function InviteMemberForm({ onAdded }: { onAdded: (member: AddedMember) => void }) {
  const queryClient = useQueryClient();
  const emailId = useId();
  const nameId = useId();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [groups, setGroups] = useState<MemberGroup[]>(["viewer"]);
  const invite = useMutation({
    mutationFn: addMember,
    onSuccess: async (member) => {
      setEmail("");
      setName("");
      setGroups(["viewer"]);
      onAdded(member);
      await queryClient.invalidateQueries({ queryKey: membersQueryKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ email, name, groups, invite: true });
  };
  return (
    <form onSubmit={submit} aria-label="Invite a member" className="space-y-4 rounded-md border border-slate-200 p-4">
      <h3 className="text-base font-semibold text-slate-900">Invite a member</h3>
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor={emailId} className="block text-sm font-medium text-slate-700">
            Email
          </label>
          <Input
            id={emailId}
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            required
            maxLength={320}
          />
        </div>
        <div>
          <label htmlFor={nameId} className="block text-sm font-medium text-slate-700">
            Name
          </label>
          <Input id={nameId} value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
        </div>
      </div>
      <GroupCheckboxes legend="Groups" groups={groups} onChange={setGroups} />
      <p className="text-sm text-slate-500">
        Someone who already has an Intake account (in another company) joins with these groups and keeps their password;
        no link is needed.
      </p>
      {invite.error ? <FormAlert>{invite.error.message}</FormAlert> : null}
      <Button type="submit" disabled={invite.isPending || groups.length === 0}>
        {invite.isPending ? "Inviting…" : "Invite"}
      </Button>
    </form>
  );
}

/** The invitation link, shown this once, for the admin to pass on. */
function InvitationDialog({ member, url, onClose }: { member: AddedMember; url: string; onClose: () => void }) {
  const expires = member.invitation ? new Date(member.invitation.expires_at).toLocaleString() : "soon";
  return (
    <CopyOnceDialog
      title={`Invitation for ${member.email}`}
      explanation={`Send this link to ${member.name ?? member.email}: it lets them choose a password, works once, and expires ${expires}. Copy it now; Intake keeps only its hash and cannot show it again.`}
      label="Invitation link"
      value={url}
      confirmLabel="I have copied the link"
      onClose={onClose}
    />
  );
}

function statusOf(member: Member): string {
  if (!member.is_active) return "Deactivated";
  if (member.invitation?.state === "pending") return "Invited";
  if (member.invitation?.state === "expired") return "Invitation expired";
  return "Active";
}

const MEMBER_COLUMNS = ["Name", "Email", "Groups", "Status", "Last API sign-in"] as const;

function MemberList({ canManage, currentUserId }: { canManage: boolean; currentUserId: string | null }) {
  const members = useQuery({ queryKey: membersQueryKey, queryFn: fetchMembers });
  if (members.isPending) return <p className="text-sm text-slate-600">Loading members…</p>;
  if (members.error) return <FormAlert>{members.error.message}</FormAlert>;
  const everyone = members.data.users;
  const activeAdminIds = everyone
    .filter((member) => member.is_active && member.groups.includes("admin"))
    .map((member) => member.id);
  return (
    <div className="overflow-x-auto">
      <table aria-label="Members" className="min-w-full divide-y divide-slate-200 text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            {MEMBER_COLUMNS.map((column) => (
              <th key={column} scope="col" className="py-2 pr-4 font-medium">
                {column}
              </th>
            ))}
            {canManage ? (
              <th scope="col" className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {everyone.map((member) => (
            <MemberRow
              key={member.id}
              member={member}
              canManage={canManage}
              activeAdminIds={activeAdminIds}
              currentUserId={currentUserId}
            />
          ))}
        </tbody>
      </table>
      {members.data.total > everyone.length ? (
        <p className="mt-2 text-sm text-slate-600">
          Showing {everyone.length} of {members.data.total} members; the API (GET /api/users) pages through them all.
        </p>
      ) : null}
    </div>
  );
}

function MemberRow({
  member,
  canManage,
  activeAdminIds,
  currentUserId,
}: {
  member: Member;
  canManage: boolean;
  activeAdminIds: string[];
  currentUserId: string | null;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [confirmingRemoval, setConfirmingRemoval] = useState(false);
  const change = useMutation({
    mutationFn: (request: MemberUpdateRequest) => updateMember(member.id, request),
    onSuccess: async () => {
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: membersQueryKey });
    },
  });
  const remove = useMutation({
    mutationFn: () => removeMember(member.id),
    onSuccess: async () => {
      setConfirmingRemoval(false);
      await queryClient.invalidateQueries({ queryKey: membersQueryKey });
    },
  });
  const who = member.email ?? member.name ?? member.id;
  const standing = { userId: member.id, groups: member.groups, isActive: member.is_active };
  const refusal = (proposed: MemberChange) =>
    lastAdminViolation({ member: standing, change: proposed, activeAdminIds, actorUserId: currentUserId });
  const lastAdmin = refusal("remove");
  const busy = change.isPending || remove.isPending;
  return (
    <tr className="align-top">
      <td className="py-2 pr-4 font-medium text-slate-900">
        {member.name ?? "—"}
        {member.id === currentUserId ? <span className="ml-1 text-slate-500">(you)</span> : null}
      </td>
      <td className="py-2 pr-4 text-slate-700">{member.email}</td>
      <td className="py-2 pr-4 text-slate-700">
        {editing ? (
          <GroupEditor
            who={who}
            initial={member.groups}
            refusal={(groups) => refusal({ groups })}
            pending={change.isPending}
            onSave={(groups) => change.mutate({ groups })}
            onCancel={() => setEditing(false)}
          />
        ) : (
          member.groups.join(", ")
        )}
      </td>
      <td className="py-2 pr-4 text-slate-700">{statusOf(member)}</td>
      <td className="py-2 pr-4 text-slate-700">
        {member.last_sign_in_at ? <RelativeTime iso={member.last_sign_in_at} /> : "—"}
      </td>
      {canManage ? (
        <td className="py-2">
          {confirmingRemoval ? (
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-slate-900">Remove {who} from the company? Their access ends at once.</span>
              <Button type="button" onClick={() => remove.mutate()} disabled={busy}>
                {remove.isPending ? "Removing…" : "Yes, remove"}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirmingRemoval(false)} disabled={busy}>
                Keep them
              </Button>
            </div>
          ) : (
            <div className="flex flex-wrap gap-2">
              {editing ? null : (
                <Button
                  type="button"
                  variant="secondary"
                  aria-label={`Change groups of ${who}`}
                  onClick={() => setEditing(true)}
                  disabled={busy}
                >
                  Change groups
                </Button>
              )}
              <Button
                type="button"
                variant="secondary"
                aria-label={`${member.is_active ? "Deactivate" : "Reactivate"} ${who}`}
                onClick={() => change.mutate({ active: !member.is_active })}
                disabled={busy || (member.is_active && lastAdmin !== null)}
              >
                {member.is_active ? "Deactivate" : "Reactivate"}
              </Button>
              <Button
                type="button"
                variant="secondary"
                aria-label={`Remove ${who}`}
                onClick={() => setConfirmingRemoval(true)}
                disabled={busy || lastAdmin !== null}
              >
                Remove
              </Button>
            </div>
          )}
          {lastAdmin ? (
            <p className="mt-1 max-w-sm text-xs text-slate-500">
              {member.id === currentUserId
                ? "You are the company's last active admin, so you cannot be"
                : "This member is the company's last active admin, so they cannot be"}{" "}
              deactivated, removed or taken out of the admin group: make another member an admin first.
            </p>
          ) : null}
          {change.error || remove.error ? (
            <p role="alert" className="mt-1 text-sm text-red-700">
              {(change.error ?? remove.error)?.message}
            </p>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

function GroupEditor({
  who,
  initial,
  refusal,
  pending,
  onSave,
  onCancel,
}: {
  who: string;
  initial: readonly MemberGroup[];
  refusal: (groups: MemberGroup[]) => { message: string } | null;
  pending: boolean;
  onSave: (groups: MemberGroup[]) => void;
  onCancel: () => void;
}) {
  const [groups, setGroups] = useState<MemberGroup[]>([...initial]);
  const refused = refusal(groups);
  return (
    <form
      aria-label={`Groups of ${who}`}
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        onSave(groups);
      }}
    >
      <GroupCheckboxes legend={`Groups of ${who}`} groups={groups} onChange={setGroups} />
      {refused ? <p className="text-xs text-amber-700">{refused.message}</p> : null}
      {groups.length === 0 ? <p className="text-xs text-amber-700">Give the member at least one group.</p> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending || refused !== null || groups.length === 0}>
          {pending ? "Saving…" : "Save groups"}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
