const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane token, else a new one: logs and headers never carry junk. */
export function requestIdFrom(request: Request): string {
  const incoming = request.headers.get("x-request-id");
  return incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
}
