import { route } from "@/lib/api/route";
import { deleteProjectContract, getProjectContract, updateProjectContract } from "@/lib/api/contracts/projects";
import { projectJson } from "@/lib/api/json/sessions";
import { changeProject, getProject, removeProject } from "@/lib/sessions/projects";

export const GET = route(getProjectContract, async ({ ctx, params }) => projectJson(await getProject(ctx, params.id)));

export const PUT = route(updateProjectContract, async ({ ctx, params, body }) =>
  projectJson(await changeProject(ctx, params.id, body)),
);

export const DELETE = route(deleteProjectContract, async ({ ctx, params, query, log }) => {
  const project = await removeProject(ctx, params.id, query.cascade);
  log.info({ project_id: project.id, cascade: query.cascade }, "project deleted");
  return projectJson(project);
});
