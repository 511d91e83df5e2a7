import { route } from "@/lib/api/route";
import { refreshContract } from "@/lib/api/contracts/auth";
import { refreshTokenPair } from "@/lib/auth/token-service";
import { requestAddress } from "@/lib/limits/client-address";

export const POST = route(refreshContract, ({ body, request }) =>
  refreshTokenPair({ refreshToken: body.refresh_token, clientAddress: requestAddress(request.headers) }),
);
