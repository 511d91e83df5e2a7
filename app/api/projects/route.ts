import { route } from "@/lib/api/route";
import { createProjectContract, listProjectsContract } from "@/lib/api/contracts/projects";
import { projectJson } from "@/lib/api/json/sessions";
import { createProject, listCompanyProjects } from "@/lib/sessions/projects";

export const GET = route(listProjectsContract, async ({ ctx, query }) => {
  const { projects, total } = await listCompanyProjects(ctx, { page: query.page, pageSize: query.page_size });
  return { projects: projects.map(projectJson), total, page: query.page, page_size: query.page_size };
});

export const POST = route(createProjectContract, async ({ ctx, body, log }) => {
  const project = await createProject(ctx, { name: body.name, description: body.description ?? null });
  log.info({ project_id: project.id }, "project created");
  return projectJson(project);
});
