import { ApiRequestError, errorFromBody } from "@/components/api/request";
import { registerJob, requestUpload, type CreatedJob, type ImportMode, type UploadTicket } from "@/components/api/jobs";
import { formatBytes } from "@/lib/format/numbers";

/**
 * waiting → uploading (bytes to storage) → checking (the server reads the head, hashes, queues)
 * → queued; or refused (the server said no: not retried), failed (network or server trouble: may be
 * retried by hand), cancelled (by the person, while waiting or uploading).
 */
export type UploadPhase = "waiting" | "uploading" | "checking" | "queued" | "refused" | "failed" | "cancelled";

export type UploadItem = {
  id: string;
  name: string;
  size: number;
  /** Bytes sent to storage so far. */
  sent: number;
  phase: UploadPhase;
  importMode: ImportMode;
  /** The server's words: why it was refused or failed, or its confirmation once queued. */
  message: string | null;
  /** The job it became, or the job it duplicates (409), or the job saved but not queued (503). */
  jobId: number | null;
};

export const MAX_PARALLEL_UPLOADS = 3;

const DONE: readonly UploadPhase[] = ["queued", "refused", "failed", "cancelled"];
export const isFinished = (item: UploadItem) => DONE.includes(item.phase);
export const isRetryable = (item: UploadItem) => item.phase === "failed" || item.phase === "cancelled";

class Cancelled extends Error {
  constructor() {
    super("Cancelled");
    this.name = "Cancelled";
  }
}

/** PUTs the bytes to the upload URL with XHR, which (unlike fetch) reports the bytes sent. */
function putFile(
  ticket: UploadTicket,
  file: File,
  onProgress: (sent: number) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Cancelled());
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.method, ticket.upload_url);
    for (const [name, value] of Object.entries(ticket.headers)) {
      // The browser sets these itself and refuses to be told.
      if (!/^(content-length|host)$/i.test(name)) xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      signal.removeEventListener("abort", abort);
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(errorFromBody(xhr.status, xhr.responseText, xhr.getResponseHeader("x-request-id")));
    };
    xhr.onerror = () => {
      signal.removeEventListener("abort", abort);
      reject(
        new ApiRequestError({
          status: 0,
          code: "NETWORK_ERROR",
          message: "The upload was interrupted (network error)",
        }),
      );
    };
    xhr.onabort = () => reject(new Cancelled());
    const abort = () => xhr.abort();
    signal.addEventListener("abort", abort, { once: true });
    xhr.send(file);
  });
}

/** What an error means for the file: refused for good, or failed in a way worth another try. */
function outcomeOf(error: unknown, file: File): Pick<UploadItem, "phase" | "message" | "jobId"> {
  if (error instanceof Cancelled || (error instanceof DOMException && error.name === "AbortError")) {
    return { phase: "cancelled", message: "Cancelled", jobId: null };
  }
  if (error instanceof ApiRequestError) {
    const details = error.details ?? {};
    const jobId = numberOr(details.existing_job_id) ?? numberOr(details.job_id);
    const transient =
      error.status === 0 || error.status === 408 || error.status === 429 || (error.status >= 500 && jobId === null);
    const limit = numberOr(details.limit) ?? numberOr(details.max_bytes);
    const message =
      error.status === 413 && limit !== null
        ? `${file.name} is too large: ${formatBytes(file.size)}, and files may be at most ${formatBytes(limit)}`
        : error.message;
    return { phase: transient ? "failed" : "refused", message, jobId };
  }
  return { phase: "failed", message: error instanceof Error ? error.message : "The upload failed", jobId: null };
}

function numberOr(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}

/**
 * The uploads of one page: at most three at a time, each one upload URL → PUT → register. Plain
 * TypeScript with a subscribe/snapshot pair, for useSyncExternalStore.
 */
/**
 * What becomes of an uploaded file once it is stored: by default it is registered as a job; an upload
 * session's page attaches it to the session instead.
 */
export type UploadRegistrar = (upload: {
  key: string;
  filename: string;
  importMode: ImportMode;
}) => Promise<{ change: Pick<UploadItem, "phase" | "message" | "jobId">; job: CreatedJob | null }>;

const registerAsJob: UploadRegistrar = async (upload) => {
  const job = await registerJob(upload);
  return { change: { phase: "queued", jobId: job.job_id, message: job.message }, job };
};

export class UploadQueue {
  #items: UploadItem[] = [];
  #register: UploadRegistrar;
  #files = new Map<string, File>();
  #controllers = new Map<string, AbortController>();
  #waiting: string[] = [];
  #active = 0;
  #nextId = 1;
  #listeners = new Set<() => void>();
  #onRegistered: (job: CreatedJob) => void = () => {};

  constructor({ register = registerAsJob }: { register?: UploadRegistrar } = {}) {
    this.#register = register;
  }

  /** Called with each job the server accepted (e.g. to refresh the job list). */
  setOnRegistered(callback: (job: CreatedJob) => void): void {
    this.#onRegistered = callback;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): UploadItem[] => this.#items;

  add(files: readonly File[], importMode: ImportMode): void {
    const added = files.map((file) => {
      const id = `upload-${this.#nextId++}`;
      this.#files.set(id, file);
      return {
        id,
        name: file.name,
        size: file.size,
        sent: 0,
        phase: "waiting",
        importMode,
        message: null,
        jobId: null,
      } satisfies UploadItem;
    });
    this.#set([...added, ...this.#items]);
    this.#waiting.push(...added.map((item) => item.id));
    this.#pump();
  }

  /** A file refused before it left the browser (wrong type, …): listed with the reason, never sent. */
  addRefused(file: File, message: string, importMode: ImportMode): void {
    const id = `upload-${this.#nextId++}`;
    this.#set([
      { id, name: file.name, size: file.size, sent: 0, phase: "refused", importMode, message, jobId: null },
      ...this.#items,
    ]);
  }

  cancel(id: string): void {
    const item = this.#items.find((candidate) => candidate.id === id);
    if (!item) return;
    if (item.phase === "waiting") {
      this.#waiting = this.#waiting.filter((waiting) => waiting !== id);
      this.#patch(id, { phase: "cancelled", message: "Cancelled" });
    } else if (item.phase === "uploading") {
      this.#controllers.get(id)?.abort();
    }
  }

  retry(id: string): void {
    const item = this.#items.find((candidate) => candidate.id === id);
    if (!item || !isRetryable(item) || !this.#files.has(id)) return;
    this.#patch(id, { phase: "waiting", sent: 0, message: null, jobId: null });
    this.#waiting.push(id);
    this.#pump();
  }

  clearFinished(): void {
    const keep = this.#items.filter((item) => !isFinished(item));
    for (const item of this.#items) if (isFinished(item)) this.#files.delete(item.id);
    this.#set(keep);
  }

  #set(items: UploadItem[]): void {
    this.#items = items;
    for (const listener of this.#listeners) listener();
  }

  #patch(id: string, change: Partial<UploadItem>): void {
    this.#set(this.#items.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }

  #pump(): void {
    while (this.#active < MAX_PARALLEL_UPLOADS) {
      const id = this.#waiting.shift();
      if (id === undefined) return;
      this.#active += 1;
      void this.#run(id).finally(() => {
        this.#active -= 1;
        this.#pump();
      });
    }
  }

  async #run(id: string): Promise<void> {
    const file = this.#files.get(id);
    const item = this.#items.find((candidate) => candidate.id === id);
    if (!file || !item) return;
    const controller = new AbortController();
    this.#controllers.set(id, controller);
    try {
      this.#patch(id, { phase: "uploading", sent: 0, message: null, jobId: null });
      const ticket = await requestUpload(file, controller.signal);
      if (file.size > ticket.max_bytes) {
        throw new ApiRequestError({
          status: 413,
          code: "PAYLOAD_TOO_LARGE",
          message: "Too large",
          details: { limit: ticket.max_bytes },
        });
      }
      await putFile(ticket, file, (sent) => this.#patch(id, { sent: Math.min(sent, file.size) }), controller.signal);
      // From here the server owns the file: not cancellable (the job may be created either way).
      this.#controllers.delete(id);
      this.#patch(id, { phase: "checking", sent: file.size });
      const registered = await this.#register({ key: ticket.key, filename: file.name, importMode: item.importMode });
      this.#patch(id, registered.change);
      if (registered.job) this.#onRegistered(registered.job);
    } catch (error) {
      this.#patch(id, outcomeOf(error, file));
    } finally {
      this.#controllers.delete(id);
    }
  }
}
