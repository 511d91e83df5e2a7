import type { z } from "zod";
import { apiFetch } from "@/components/api/request";
import type {
  apiKeySchema,
  createApiKeyContract,
  createdApiKeySchema,
  listApiKeysContract,
} from "@/lib/api/contracts/api-keys";

// Types only: the contracts (and the database schema they use) never reach the browser bundle.
export type ApiKey = z.output<typeof apiKeySchema>;
export type CreatedApiKey = z.output<typeof createdApiKeySchema>;
export type NewApiKeyRequest = z.input<(typeof createApiKeyContract)["body"]>;
type ApiKeyList = z.output<(typeof listApiKeysContract)["response"]>;

export const apiKeysQueryKey = ["api-keys"] as const;

export async function fetchApiKeys(): Promise<ApiKey[]> {
  return (await apiFetch<ApiKeyList>("/api/api-keys")).api_keys;
}

export function createApiKey(request: NewApiKeyRequest): Promise<CreatedApiKey> {
  return apiFetch<CreatedApiKey>("/api/api-keys", { method: "POST", json: request });
}

export function revokeApiKey(id: string): Promise<ApiKey> {
  return apiFetch<ApiKey>(`/api/api-keys/${encodeURIComponent(id)}`, { method: "DELETE" });
}
