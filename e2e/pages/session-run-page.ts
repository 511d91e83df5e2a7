import type { Locator, Page } from "@playwright/test";
import type { UploadFile } from "../fixtures/contact-files";

/** An upload session's page: totals, the drop zone, Start/Cancel/Retry and the files table. */
export class SessionRunPage {
  readonly dropzone: Locator;
  readonly uploads: Locator;
  readonly files: Locator;

  constructor(readonly page: Page) {
    this.dropzone = page.getByTestId("upload-dropzone");
    this.uploads = page.getByRole("list", { name: "Uploads" });
    this.files = page.getByRole("table", { name: "Session files" });
  }

  async goto(sessionId: number): Promise<void> {
    await this.page.goto(`/sessions/${sessionId}`);
  }

  async drop(files: UploadFile[]): Promise<void> {
    await this.dropzone.locator('input[type="file"]').setInputFiles(files);
  }

  upload(fileName: string): Locator {
    return this.uploads.getByRole("listitem").filter({ hasText: fileName });
  }

  fileRow(fileName: string): Locator {
    return this.files.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name: fileName }) });
  }

  status(): Locator {
    // The line above the totals ("Status completed"), not the files table's "Status" column header.
    return this.page.getByText(/^Status\s+\w/);
  }

  async start(): Promise<void> {
    await this.page.getByRole("button", { name: "Start" }).click();
  }
}
