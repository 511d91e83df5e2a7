const BASE = "http://intake.invalid";

/**
 * Only same-site paths: an open redirect through the sign-in page would help phishing. The value is
 * resolved the way a browser would (which drops tabs and newlines, so `/\t/evil.com` means
 * `//evil.com`) and kept only if it stays on this site.
 */
export function safeCallbackUrl(value: string | undefined | null): string {
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE) return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}
