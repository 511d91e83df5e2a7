import { route } from "@/lib/api/route";
import { revertJobContract } from "@/lib/api/contracts/files";
import { revertJob } from "@/lib/ingest/revert";

export const POST = route(revertJobContract, async ({ ctx, params, log }) => {
  const outcome = await revertJob({
    jobId: params.job_id,
    companyId: ctx.companyId,
    actorUserId: ctx.user?.id ?? null,
  });
  log.info(
    { job_id: outcome.jobId, removed: outcome.removed, restored: outcome.restored, kept: outcome.keptCount },
    "job reverted",
  );
  return {
    job_id: outcome.jobId,
    status: "REVERTED" as const,
    removed: outcome.removed,
    restored: outcome.restored,
    kept_count: outcome.keptCount,
    kept: outcome.kept.map((contact) => ({
      contact_id: contact.contactId,
      contact_email: contact.email,
      reason: contact.reason,
    })),
  };
});
