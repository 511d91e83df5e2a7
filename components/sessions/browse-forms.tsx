"use client";

import { useActionState, useId, useState, useTransition, type ReactNode } from "react";
import { Field, fieldErrors, Outcome } from "@/components/settings/account-forms";
import { ActionButton } from "@/components/ui/action-button";
import { Button } from "@/components/ui/button";
import {
  createCycleAction,
  createProjectAction,
  createSessionAction,
  deleteFromBrowseAction,
  renameFromBrowseAction,
  type BrowseActionState,
} from "@/lib/actions/sessions-browse";

function Choice({
  label,
  name,
  options,
  defaultValue,
}: {
  label: string;
  name: string;
  options: readonly string[];
  defaultValue: string;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue}
        className="mt-1 block w-full rounded-md border-0 py-1.5 pl-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600"
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

function CreateForm({
  title,
  action,
  submit,
  children,
}: {
  title: string;
  action: (previous: BrowseActionState, form: FormData) => Promise<BrowseActionState>;
  submit: string;
  children: (state: BrowseActionState) => ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const titleId = useId();
  return (
    <form action={formAction} aria-labelledby={titleId} className="space-y-4" noValidate>
      <h3 id={titleId} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      {children(state)}
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : submit}
      </Button>
    </form>
  );
}

export function CreateProjectForm() {
  return (
    <CreateForm title="New project" action={createProjectAction} submit="Create project">
      {(state) => (
        <>
          <Field label="Project name" name="name" required maxLength={200} errors={fieldErrors(state, "name")} />
          <Field label="Description" name="description" maxLength={2000} errors={fieldErrors(state, "description")} />
        </>
      )}
    </CreateForm>
  );
}

export function CreateCycleForm({ projectId }: { projectId: number }) {
  return (
    <CreateForm title="New cycle" action={createCycleAction} submit="Create cycle">
      {(state) => (
        <>
          <input type="hidden" name="projectId" value={projectId} />
          <Field label="Cycle name" name="name" required maxLength={200} errors={fieldErrors(state, "name")} />
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label="Start date" name="startDate" type="date" errors={fieldErrors(state, "startDate")} />
            <Field
              label="End date"
              name="endDate"
              type="date"
              errors={fieldErrors(state, "endDate") ?? fieldErrors(state, "body.end_date")}
            />
            <Choice label="Status" name="status" options={["planned", "active", "closed"]} defaultValue="active" />
          </div>
        </>
      )}
    </CreateForm>
  );
}

export function CreateSessionForm({ cycleId }: { cycleId: number }) {
  return (
    <CreateForm title="New session" action={createSessionAction} submit="Create session">
      {(state) => (
        <>
          <input type="hidden" name="cycleId" value={cycleId} />
          <Field label="Session name" name="name" required maxLength={200} errors={fieldErrors(state, "name")} />
          <Field
            label="Source"
            name="source"
            maxLength={1000}
            hint="Where the files come from, e.g. “CRM export”"
            errors={fieldErrors(state, "source")}
          />
          <Choice
            label="Import mode"
            name="importMode"
            options={["upsert", "create", "update"]}
            defaultValue="upsert"
          />
        </>
      )}
    </CreateForm>
  );
}

type RowActionResult = { ok: true } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

/** The open/closed state of an action done in place in a row, its pending call and the refusal to show. */
function useRowAction() {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const close = () => {
    setOpen(false);
    setError(null);
  };
  const perform = (act: () => Promise<RowActionResult>, field?: string) =>
    startTransition(async () => {
      const result = await act();
      if (result.ok) close();
      else setError((field && result.fieldErrors?.[field]?.[0]) || result.error);
    });
  return { open, setOpen, error, pending, close, perform };
}

/** The buttons under an action done in place (do it, or leave it), and what refused it. */
function RowActionFooter({
  action,
  cancelLabel,
  onCancel,
  pending,
  error,
}: {
  action: ReactNode;
  cancelLabel: string;
  onCancel: () => void;
  pending: boolean;
  error: string | null;
}) {
  return (
    <>
      <div className="flex gap-2">
        {action}
        <ActionButton onClick={onCancel} disabled={pending}>
          {cancelLabel}
        </ActionButton>
      </div>
      {error ? (
        <p role="alert" className="max-w-xs text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </>
  );
}

/**
 * Delete with a confirmation step. A project or cycle holding sessions offers to delete its finished ones with
 * it; what stands in the way (sessions still pending or running) is said as the API says it.
 */
export function DeleteButton({
  kind,
  id,
  name,
  sessionCount = 0,
}: {
  kind: "project" | "cycle" | "session";
  id: number;
  name: string;
  sessionCount?: number;
}) {
  const row = useRowAction();
  const [cascade, setCascade] = useState(false);
  const cascadeId = useId();

  if (!row.open) {
    return (
      <ActionButton tone="danger" onClick={() => row.setOpen(true)} aria-label={`Delete ${kind} ${name}`}>
        Delete
      </ActionButton>
    );
  }
  return (
    <div className="flex flex-col items-end gap-2" role="group" aria-label={`Delete ${kind} ${name}?`}>
      <span className="text-xs text-slate-700">Delete {name}?</span>
      {kind !== "session" && sessionCount > 0 ? (
        <label htmlFor={cascadeId} className="flex items-center gap-1 text-xs text-slate-700">
          <input
            id={cascadeId}
            type="checkbox"
            checked={cascade}
            onChange={(event) => setCascade(event.currentTarget.checked)}
          />
          Also delete its {sessionCount} finished session{sessionCount === 1 ? "" : "s"}
        </label>
      ) : null}
      <RowActionFooter
        action={
          <ActionButton
            tone="danger-solid"
            onClick={() => row.perform(() => deleteFromBrowseAction({ kind, id, cascade }))}
            disabled={row.pending}
          >
            {row.pending ? "Deleting…" : "Confirm delete"}
          </ActionButton>
        }
        cancelLabel="Keep it"
        onCancel={row.close}
        pending={row.pending}
        error={row.error}
      />
    </div>
  );
}

/** Renames a project, cycle or session in place; a name already taken is said as the API says it. */
export function RenameButton({ kind, id, name }: { kind: "project" | "cycle" | "session"; id: number; name: string }) {
  const row = useRowAction();
  const fieldId = useId();

  const save = (form: FormData) => {
    const entered = form.get("name");
    row.perform(() => renameFromBrowseAction({ kind, id, name: typeof entered === "string" ? entered : "" }), "name");
  };

  if (!row.open) {
    return (
      <ActionButton onClick={() => row.setOpen(true)} aria-label={`Rename ${kind} ${name}`}>
        Rename
      </ActionButton>
    );
  }
  return (
    <form action={save} aria-label={`Rename ${kind} ${name}`} className="flex flex-col items-end gap-2">
      <label htmlFor={fieldId} className="text-xs text-slate-700">
        New name
      </label>
      <input
        id={fieldId}
        name="name"
        defaultValue={name}
        maxLength={200}
        className="rounded-md border-0 px-2 py-1 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600"
      />
      <RowActionFooter
        action={
          <ActionButton type="submit" disabled={row.pending}>
            {row.pending ? "Saving…" : "Save name"}
          </ActionButton>
        }
        cancelLabel="Cancel"
        onCancel={row.close}
        pending={row.pending}
        error={row.error}
      />
    </form>
  );
}
