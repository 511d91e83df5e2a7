import { listJobRows } from "@/db/queries/staging";
import { listJobRowsContract } from "@/lib/api/contracts/staging";
import { requireCompanyJob } from "@/lib/ingest/company-job";
import { route } from "@/lib/api/route";
import { toStagingRowJson } from "@/lib/api/json/issues";

export const GET = route(listJobRowsContract, async ({ ctx, params, query }) => {
  const job = await requireCompanyJob({ jobId: params.job_id, companyId: ctx.companyId });
  const { rows, total } = await listJobRows({
    companyId: ctx.companyId,
    jobId: job.id,
    status: query.status,
    search: query.q,
    sort: query.sort,
    order: query.order,
    page: query.page,
    pageSize: query.page_size,
  });
  return { rows: rows.map(toStagingRowJson), total, page: query.page, page_size: query.page_size };
});
