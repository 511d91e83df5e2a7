import { route } from "@/lib/api/route";
import { loginContract } from "@/lib/api/contracts/auth";
import { loginWithPassword } from "@/lib/auth/token-service";

export const POST = route(loginContract, ({ body }) =>
  loginWithPassword({ email: body.email, password: body.password, companyId: body.company_id }),
);
