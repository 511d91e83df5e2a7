import { vi } from "vitest";

/*
 * The real module reads the Auth.js session through next/headers, which exists only inside a request
 * Next is serving; the tests call route handlers directly and carry no browser session. Every test file
 * sees nobody signed in by cookie; a test that needs a session says so with vi.mocked(contextFromSession).
 */
vi.mock("@/lib/auth/session-context", () => ({
  contextFromSession: vi.fn(() => Promise.resolve(null)),
  keepSessionAfterPasswordChange: vi.fn(() => Promise.resolve()),
}));
