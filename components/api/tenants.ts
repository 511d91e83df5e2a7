import type { z } from "zod";
import { apiFetch } from "@/components/api/request";
import type { listTenantsContract, tenantSchema } from "@/lib/api/contracts/tenants";

// Types only: the contracts (and the database schema they use) never reach the browser bundle.
export type TenantRow = z.output<typeof tenantSchema>;
export type TenantPage = z.output<(typeof listTenantsContract)["response"]>;

export const TENANTS_PAGE_SIZE = 50;
export const tenantsQueryKey = (page: number) => ["admin-tenants", page] as const;

export function fetchTenants(page: number): Promise<TenantPage> {
  return apiFetch<TenantPage>(`/api/admin/tenants?page=${page}&page_size=${TENANTS_PAGE_SIZE}`);
}
