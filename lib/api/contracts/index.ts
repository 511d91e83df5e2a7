import type { RouteContract } from "@/lib/api/contract";
import { loginContract, meContract, refreshContract } from "@/lib/api/contracts/auth";
import {
  createJobContract,
  createUploadContract,
  deleteJobContract,
  directUploadContract,
  getJobContract,
  listJobsContract,
  reprocessJobContract,
} from "@/lib/api/contracts/jobs";
import { contactsExportContract, jobErrorsCsvContract, revertJobContract } from "@/lib/api/contracts/files";
import { healthContract, readyContract, statusContract } from "@/lib/api/contracts/service";

/** Every documented route, for the OpenAPI document. */
export const contracts: readonly RouteContract[] = [
  loginContract,
  refreshContract,
  meContract,
  healthContract,
  readyContract,
  statusContract,
  listJobsContract,
  getJobContract,
  createUploadContract,
  createJobContract,
  directUploadContract,
  reprocessJobContract,
  deleteJobContract,
  jobErrorsCsvContract,
  revertJobContract,
  contactsExportContract,
];
