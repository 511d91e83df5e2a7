// rate-limiter-flexible declares its store base class but does not export it from the package's entry point.
declare module "rate-limiter-flexible/lib/RateLimiterStoreAbstract" {
  import { RateLimiterStoreAbstract } from "rate-limiter-flexible";

  export = RateLimiterStoreAbstract;
}
