import { z } from "zod";
import { defineBackgroundFunction, failureReason } from "@/lib/background/definition";
import { TENANT_DELETION_REQUESTED } from "@/lib/background/events";
import { logger } from "@/lib/logger";
import { deleteTenant } from "@/lib/tenancy/tenant-deletion";

/** A tenant a platform admin deleted: its files and rows go batch by batch, then the company row. */
export const deleteTenantFunction = defineBackgroundFunction({
  id: "delete-tenant",
  event: TENANT_DELETION_REQUESTED,
  data: z.object({ companyId: z.uuid() }),
  retries: 5,
  handler: ({ data, step }) => deleteTenant({ companyId: data.companyId, step }),
  // The company stays marked (gone to its members and keys) with its progress so far; deleting it again resumes.
  onFailure: ({ data, error }) => {
    logger().error({ company_id: data.companyId, reason: failureReason(error) }, "tenant deletion failed");
    return Promise.resolve();
  },
});
