import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Locator, Page } from "@playwright/test";
import type { UploadFile } from "../fixtures/contact-files";

/**
 * A page on another origin of the same site (127.0.0.1 on another port: the session cookie, SameSite=Lax,
 * rides along with its form posts), with a form that uploads a contact file to the app: the attack a
 * multipart POST allows without any preflight.
 */
export class OtherSitePage {
  readonly file: Locator;
  readonly send: Locator;

  private constructor(
    readonly page: Page,
    private readonly server: Server,
    readonly url: string,
  ) {
    this.file = page.getByLabel("Contacts file");
    this.send = page.getByRole("button", { name: "Send" });
  }

  static async serve(page: Page, appOrigin: string): Promise<OtherSitePage> {
    const html = `<!doctype html><title>Other site</title>
      <form method="post" enctype="multipart/form-data" action="${appOrigin}/api/jobs/upload">
        <label>Contacts file <input type="file" name="file"></label>
        <button type="submit">Send</button>
      </form>`;
    const server = createServer((_, response) => response.writeHead(200, { "content-type": "text/html" }).end(html));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return new OtherSitePage(page, server, `http://127.0.0.1:${port}/`);
  }

  async goto(): Promise<void> {
    await this.page.goto(this.url);
  }

  async upload(file: UploadFile): Promise<void> {
    await this.file.setInputFiles(file);
    await this.send.click();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
