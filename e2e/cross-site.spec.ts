import { contactFiles } from "./fixtures/contact-files";
import { jobTotal } from "./fixtures/jobs";
import { expect, sameOrigin, test } from "./fixtures/test";
import { OtherSitePage } from "./pages/other-site-page";
import { SignInPage } from "./pages/sign-in-page";

test("a form on another origin of the same site cannot upload with the visitor's session (403, no job)", async ({
  page,
}) => {
  await new SignInPage(page).signIn();
  const jobsBefore = await jobTotal(page);
  const appOrigin = sameOrigin().Origin ?? "";
  const otherSite = await OtherSitePage.serve(page, appOrigin);
  try {
    await otherSite.goto();
    const answered = page.waitForResponse((response) => response.url() === `${appOrigin}/api/jobs/upload`);
    await otherSite.upload(contactFiles("cross-site").clean);
    const response = await answered;
    expect(response.status()).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("FORBIDDEN");
    expect(body.error.message).toMatch(/^Cross-site request refused/);
  } finally {
    await otherSite.close();
  }
  expect(await jobTotal(page)).toBe(jobsBefore);
});
