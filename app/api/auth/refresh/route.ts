import { route } from "@/lib/api/route";
import { refreshContract } from "@/lib/api/contracts/auth";
import { refreshTokenPair } from "@/lib/auth/token-service";

export const POST = route(refreshContract, ({ body }) => refreshTokenPair({ refreshToken: body.refresh_token }));
