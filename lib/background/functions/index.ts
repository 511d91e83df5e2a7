import type { BackgroundFunction } from "@/lib/background/definition";
import { deleteTenantFunction } from "@/lib/background/functions/delete-tenant";
import { deliverWebhookFunction } from "@/lib/background/functions/deliver-webhook";
import { notifyWebhooksOfJobFunction } from "@/lib/background/functions/notify-webhooks-of-job";
import { finishReviewFunction } from "@/lib/background/functions/finish-review";
import { processJobFunction } from "@/lib/background/functions/process-job";
import { advanceUploadSessionFunction, runUploadSessionFunction } from "@/lib/background/functions/run-upload-session";

/** Every background function of Intake, one file each beside this one. */
export const backgroundFunctions: readonly BackgroundFunction[] = [
  processJobFunction,
  finishReviewFunction,
  deleteTenantFunction,
  runUploadSessionFunction,
  advanceUploadSessionFunction,
  deliverWebhookFunction,
  notifyWebhooksOfJobFunction,
];
