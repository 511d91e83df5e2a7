import { encodeCsvRows, UTF8_BOM, type CsvRow } from "./encode";

/**
 * A CSV file as a byte stream: BOM, header record, then the records of each batch as the consumer asks
 * for them. A batch is fetched only when the previous one has been taken (the stream pulls), so memory
 * holds about one batch however long the file; a consumer that goes away stops the fetching.
 */
export function csvStream({
  header,
  batches,
  onError,
}: {
  header: CsvRow;
  batches: AsyncIterable<readonly CsvRow[]>;
  /** Told about a failure after the first bytes went out (the client then sees the download break off). */
  onError?: (error: unknown) => void;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(UTF8_BOM + encodeCsvRows([header])));
      },
      async pull(controller) {
        try {
          // Empty batches write nothing; keep going until a record is written or the batches end.
          for (;;) {
            const next = await iterator.next();
            if (next.done) {
              controller.close();
              return;
            }
            if (next.value.length > 0) {
              controller.enqueue(encoder.encode(encodeCsvRows(next.value)));
              return;
            }
          }
        } catch (error) {
          onError?.(error);
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // One batch ahead at most: the next one is fetched while the current one is being sent.
    { highWaterMark: 1 },
  );
}
