/** Only same-site paths: an open redirect through the sign-in page would help phishing. */
export function safeCallbackUrl(value: string | undefined | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}
