import type { RouteContract } from "@/lib/api/contract";
import { API_KEY_PREFIX } from "@/lib/auth/api-keys";

/** How a caller proves who they are: the four credentials lib/auth accepts. */
export const securitySchemes = {
  accessToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "An Intake access token from POST /api/auth/login (renewed with POST /api/auth/refresh): `Authorization: Bearer <token>`.",
  },
  apiKey: {
    type: "http",
    scheme: "bearer",
    bearerFormat: `${API_KEY_PREFIX}…`,
    description: `A company API key (created under Settings or POST /api/api-keys), sent as \`Authorization: Bearer ${API_KEY_PREFIX}…\`. It carries the groups it was given; platform routes refuse it.`,
  },
  cognitoIdToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "An Amazon Cognito ID token, where the deployment has Cognito configured: `Authorization: Bearer <id token>`. Its `cognito:groups` become the member's groups.",
  },
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "authjs.session-token",
    description:
      "The browser session Auth.js sets on sign-in (`__Secure-authjs.session-token` over HTTPS); used when no Authorization header is sent.",
  },
} as const;

type SchemeName = keyof typeof securitySchemes;
type SecurityRequirement = Partial<Record<SchemeName, string[]>>;

const anyOf = (names: readonly SchemeName[]): SecurityRequirement[] => names.map((name) => ({ [name]: [] }));
const ALL_SCHEMES = Object.keys(securitySchemes) as SchemeName[];

/** The credentials a route takes; `{}` first marks them optional, `[]` a public route. */
export function securityOf(contract: RouteContract): SecurityRequirement[] {
  if (contract.platformAdmin) return anyOf(ALL_SCHEMES.filter((name) => name !== "apiKey"));
  if (contract.auth === "public") return [];
  if (contract.auth === "optional") return [{}, ...anyOf(ALL_SCHEMES)];
  return anyOf(ALL_SCHEMES);
}

/** Who may call the route, in words, for the operation's description. */
export function accessOf(contract: RouteContract): string {
  if (contract.platformAdmin) {
    return "Platform administrators only (users.is_platform_admin); everyone else, API keys too, gets 403.";
  }
  if (contract.auth === "public") return "Public: no credentials needed.";
  const who = contract.group
    ? `Needs the \`${contract.group}\` group (\`admin\` passes every group check; \`viewer\` is any member); others get 403.`
    : "Any member of the company, or any of its API keys.";
  if (contract.auth === "optional") return `Credentials optional: the caller is identified when they are sent. ${who}`;
  return `Needs credentials (401 without). ${who}`;
}
