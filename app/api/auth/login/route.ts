import { route } from "@/lib/api/route";
import { loginContract } from "@/lib/api/contracts/auth";
import { loginWithPassword } from "@/lib/auth/token-service";
import { requestAddress } from "@/lib/limits/client-address";

export const POST = route(loginContract, ({ body, request }) =>
  loginWithPassword({
    email: body.email,
    password: body.password,
    companyId: body.company_id,
    clientAddress: requestAddress(request.headers),
  }),
);
