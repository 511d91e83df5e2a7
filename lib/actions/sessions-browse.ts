"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { IMPORT_MODES } from "@/db/schema";
import { authedAction, type ActionResult } from "@/lib/actions/authed-action";
import { changeCycle, createCycle, removeCycle } from "@/lib/sessions/cycles";
import { dayToDate } from "@/lib/sessions/cycle-input";
import { changeProject, createProject, removeProject } from "@/lib/sessions/projects";
import { changeSession, createSession, removeSession } from "@/lib/sessions/sessions";
import { CYCLE_STATUSES, cycleStatusFromName } from "@/lib/sessions/status";

export type BrowseActionState = ActionResult<{ message: string }> | null;

const name = z.string().trim().min(1, "Give it a name").max(200, "At most 200 characters");
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .transform((value) => value || null);
const optionalDay = z
  .string()
  .trim()
  .refine((value) => value === "" || z.iso.date().safeParse(value).success, "Give a date as YYYY-MM-DD")
  .transform((value) => dayToDate(value || null));
const id = z.coerce.number().int().positive();

const refreshSessionPages = () => revalidatePath("/sessions", "layout");

const createProjectFromForm = authedAction(
  { schema: z.object({ name, description: optionalText(2000) }), group: "editor" },
  async ({ input, ctx }) => {
    const project = await createProject(ctx, input);
    refreshSessionPages();
    return { message: `Project "${project.name}" created` };
  },
);

export async function createProjectAction(_previous: BrowseActionState, form: FormData): Promise<BrowseActionState> {
  return createProjectFromForm(form);
}

const createCycleFromForm = authedAction(
  {
    schema: z.object({
      projectId: id,
      name,
      startDate: optionalDay,
      endDate: optionalDay,
      status: z.enum(CYCLE_STATUSES, "Choose planned, active or closed"),
    }),
    group: "editor",
  },
  async ({ input, ctx }) => {
    const cycle = await createCycle(ctx, {
      projectId: input.projectId,
      name: input.name,
      startsOn: input.startDate,
      endsOn: input.endDate,
      status: cycleStatusFromName(input.status),
    });
    refreshSessionPages();
    return { message: `Cycle "${cycle.name}" created` };
  },
);

export async function createCycleAction(_previous: BrowseActionState, form: FormData): Promise<BrowseActionState> {
  return createCycleFromForm(form);
}

const createSessionFromForm = authedAction(
  {
    schema: z.object({
      cycleId: id,
      name,
      source: optionalText(1000),
      importMode: z.enum(IMPORT_MODES, "Choose create, update or upsert"),
    }),
    group: "uploader",
  },
  async ({ input, ctx }) => {
    const session = await createSession(ctx, input);
    refreshSessionPages();
    return { message: `Session "${session.name}" created` };
  },
);

export async function createSessionAction(_previous: BrowseActionState, form: FormData): Promise<BrowseActionState> {
  return createSessionFromForm(form);
}

// A server action is a public endpoint: what it is sent is checked, the kind too.
const browseKind = z.enum(["project", "cycle", "session"]);

const deletion = z.object({ id, cascade: z.boolean().default(false) });

const deleteProject = authedAction({ schema: deletion, group: "editor" }, async ({ input, ctx }) => {
  const project = await removeProject(ctx, input.id, input.cascade);
  refreshSessionPages();
  return { message: `Project "${project.name}" deleted` };
});
const deleteCycle = authedAction({ schema: deletion, group: "editor" }, async ({ input, ctx }) => {
  const cycle = await removeCycle(ctx, input.id, input.cascade);
  refreshSessionPages();
  return { message: `Cycle "${cycle.name}" deleted` };
});
const deleteSession = authedAction({ schema: deletion, group: "uploader" }, async ({ input, ctx }) => {
  const session = await removeSession(ctx, input.id);
  refreshSessionPages();
  return { message: `Session "${session.name}" deleted` };
});

/** Deletes a project, cycle or session; the answer carries the API's 409 message when something stands in the way. */
export async function deleteFromBrowseAction(input: {
  kind: "project" | "cycle" | "session";
  id: number;
  cascade?: boolean;
}): Promise<ActionResult<{ message: string }>> {
  const kind = browseKind.safeParse(input.kind);
  if (!kind.success) return { ok: false, error: "Name a project, cycle or session" };
  const remove = { project: deleteProject, cycle: deleteCycle, session: deleteSession }[kind.data];
  return remove({ id: input.id, cascade: input.cascade ?? false });
}

const renaming = z.object({ id, name });

const renameProject = authedAction({ schema: renaming, group: "editor" }, async ({ input, ctx }) => {
  const project = await changeProject(ctx, input.id, { name: input.name });
  refreshSessionPages();
  return { message: `Renamed to "${project.name}"` };
});
const renameCycle = authedAction({ schema: renaming, group: "editor" }, async ({ input, ctx }) => {
  const cycle = await changeCycle(ctx, input.id, { name: input.name });
  refreshSessionPages();
  return { message: `Renamed to "${cycle.name}"` };
});
const renameSession = authedAction({ schema: renaming, group: "uploader" }, async ({ input, ctx }) => {
  const session = await changeSession(ctx, input.id, { name: input.name });
  refreshSessionPages();
  return { message: `Renamed to "${session.name}"` };
});

/** Renames a project, cycle or session; a name already taken comes back as the API's 409 message. */
export async function renameFromBrowseAction(input: {
  kind: "project" | "cycle" | "session";
  id: number;
  name: string;
}): Promise<ActionResult<{ message: string }>> {
  const kind = browseKind.safeParse(input.kind);
  if (!kind.success) return { ok: false, error: "Name a project, cycle or session" };
  const rename = { project: renameProject, cycle: renameCycle, session: renameSession }[kind.data];
  return rename({ id: input.id, name: input.name });
}
