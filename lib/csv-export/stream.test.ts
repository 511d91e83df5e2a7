import { describe, expect, it } from "vitest";
import type { CsvRow } from "./encode";
import { csvStream } from "./stream";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

async function* batchesOf(batches: CsvRow[][], fetched: number[] = []): AsyncGenerator<CsvRow[]> {
  for (const [index, batch] of batches.entries()) {
    // Each batch arrives later, as from a database.
    await Promise.resolve();
    fetched.push(index);
    yield batch;
  }
}

describe("csvStream", () => {
  it("starts with the UTF-8 BOM, then the header, then every batch's records", async () => {
    const bytes = await readAll(
      csvStream({
        header: ["email", "name"],
        batches: batchesOf([[["a@example.com", "Ana"]], [], [["b@example.com", "Zoë"]]]),
      }),
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe("email,name\r\na@example.com,Ana\r\nb@example.com,Zoë\r\n");
  });

  it("with no batches: just the BOM and the header", async () => {
    const bytes = await readAll(csvStream({ header: ["email"], batches: batchesOf([]) }));
    expect(bytes.toString("utf8")).toBe("\uFEFFemail\r\n");
  });

  it("fetches a batch only when the reader wants more, and stops fetching when the reader cancels", async () => {
    const fetched: number[] = [];
    const batches = Array.from({ length: 10 }, (_, index): CsvRow[] => [[`row ${index}`]]);
    const reader = csvStream({ header: ["h"], batches: batchesOf(batches, fetched) }).getReader();
    await reader.read(); // BOM + header
    await reader.read(); // batch 0
    // At most one batch is read ahead of the reader.
    expect(fetched.length).toBeLessThanOrEqual(2);
    await reader.cancel();
    const after = fetched.length;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fetched.length).toBe(after);
    expect(after).toBeLessThan(10);
  });

  it("a failing batch errors the stream and is reported", async () => {
    const reported: unknown[] = [];
    async function* failing(): AsyncGenerator<CsvRow[]> {
      yield [["ok"]];
      await Promise.resolve();
      throw new Error("database went away");
    }
    const stream = csvStream({ header: ["h"], batches: failing(), onError: (error) => reported.push(error) });
    await expect(readAll(stream)).rejects.toThrow("database went away");
    expect(reported).toHaveLength(1);
  });
});
