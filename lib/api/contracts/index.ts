import type { RouteContract } from "@/lib/api/contract";
import { createApiKeyContract, listApiKeysContract, revokeApiKeyContract } from "@/lib/api/contracts/api-keys";
import { changePasswordContract, loginContract, meContract, refreshContract } from "@/lib/api/contracts/auth";
import { listAuditEventsContract } from "@/lib/api/contracts/audit";
import { getUsageContract } from "@/lib/api/contracts/usage";
import {
  cancelJobContract,
  createJobContract,
  createUploadContract,
  deleteJobContract,
  directUploadContract,
  getJobContract,
  listJobsContract,
  reprocessJobContract,
} from "@/lib/api/contracts/jobs";
import { listContactsContract } from "@/lib/api/contracts/contacts";
import { getCompanyContract, listCompaniesContract, updateCompanyContract } from "@/lib/api/contracts/companies";
import {
  getIssueContract,
  keepIssueRowContract,
  listIssuesContract,
  listJobIssuesContract,
  previewResolutionContract,
  resolveIssuesContract,
  updateIssueContract,
} from "@/lib/api/contracts/issues";
import { contactsExportContract, jobErrorsCsvContract, revertJobContract } from "@/lib/api/contracts/files";
import { healthContract, readyContract, statusContract } from "@/lib/api/contracts/service";
import { metricsContract } from "@/lib/api/contracts/metrics";
import { openApiContract } from "@/lib/api/contracts/openapi";
import { listJobRowsContract, updateStagingContract } from "@/lib/api/contracts/staging";
import {
  createUserContract,
  deleteUserContract,
  getUserContract,
  listUsersContract,
  updateUserContract,
} from "@/lib/api/contracts/users";
import {
  createTenantContract,
  deleteTenantContract,
  getTenantContract,
  listTenantsContract,
  updateTenantContract,
} from "@/lib/api/contracts/tenants";
import {
  attachSessionFileContract,
  attachSessionPrefixContract,
  cancelSessionContract,
  listSessionFilesContract,
  retrySessionContract,
  startUploadContract,
  uploadStatusContract,
} from "@/lib/api/contracts/session-files";
import {
  createWebhookContract,
  deleteWebhookContract,
  listWebhookDeliveriesContract,
  listWebhooksContract,
  rotateWebhookSecretContract,
  testWebhookContract,
  updateWebhookContract,
} from "@/lib/api/contracts/webhooks";
import {
  createProjectContract,
  deleteProjectContract,
  getProjectContract,
  listProjectsContract,
  updateProjectContract,
} from "@/lib/api/contracts/projects";
import {
  createCycleContract,
  deleteCycleContract,
  getCycleContract,
  listCyclesContract,
  updateCycleContract,
} from "@/lib/api/contracts/cycles";
import {
  createSessionContract,
  deleteSessionContract,
  getSessionContract,
  listSessionsContract,
  sessionStatsContract,
  updateSessionContract,
} from "@/lib/api/contracts/sessions";

/** Every documented route, for the OpenAPI document. */
export const contracts: readonly RouteContract[] = [
  loginContract,
  refreshContract,
  meContract,
  changePasswordContract,
  listCompaniesContract,
  getCompanyContract,
  updateCompanyContract,
  healthContract,
  readyContract,
  statusContract,
  metricsContract,
  openApiContract,
  listJobsContract,
  getJobContract,
  createUploadContract,
  createJobContract,
  directUploadContract,
  reprocessJobContract,
  cancelJobContract,
  deleteJobContract,
  listJobRowsContract,
  listIssuesContract,
  listJobIssuesContract,
  getIssueContract,
  updateIssueContract,
  resolveIssuesContract,
  keepIssueRowContract,
  previewResolutionContract,
  updateStagingContract,
  listContactsContract,
  jobErrorsCsvContract,
  revertJobContract,
  contactsExportContract,
  listApiKeysContract,
  createApiKeyContract,
  revokeApiKeyContract,
  listAuditEventsContract,
  getUsageContract,
  listUsersContract,
  getUserContract,
  createUserContract,
  updateUserContract,
  deleteUserContract,
  listTenantsContract,
  createTenantContract,
  getTenantContract,
  updateTenantContract,
  deleteTenantContract,
  listProjectsContract,
  createProjectContract,
  getProjectContract,
  updateProjectContract,
  deleteProjectContract,
  listCyclesContract,
  createCycleContract,
  getCycleContract,
  updateCycleContract,
  deleteCycleContract,
  listSessionsContract,
  createSessionContract,
  sessionStatsContract,
  getSessionContract,
  updateSessionContract,
  deleteSessionContract,
  listSessionFilesContract,
  attachSessionFileContract,
  attachSessionPrefixContract,
  cancelSessionContract,
  retrySessionContract,
  startUploadContract,
  uploadStatusContract,
  listWebhooksContract,
  createWebhookContract,
  updateWebhookContract,
  deleteWebhookContract,
  rotateWebhookSecretContract,
  listWebhookDeliveriesContract,
  testWebhookContract,
];
