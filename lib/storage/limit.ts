import { ObjectTooLargeError } from "./types";

/**
 * Counts the bytes flowing through a stream and fails with ObjectTooLargeError as soon as they pass
 * `maxBytes`, before the excess is handed on. `pass` is a `stream.pipeline` stage; to wrap a source,
 * use `Readable.from(limit.pass(source), { objectMode: false })`.
 */
export class ByteLimit {
  /** Bytes seen so far. */
  bytes = 0;

  constructor(readonly maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`Invalid byte limit: ${maxBytes}`);
  }

  readonly pass = (source: AsyncIterable<unknown>): AsyncGenerator<Buffer> => this.count(source);

  private async *count(source: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      const buffer = toBuffer(chunk);
      this.bytes += buffer.length;
      if (this.bytes > this.maxBytes) throw new ObjectTooLargeError(this.maxBytes);
      yield buffer;
    }
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === "string") return Buffer.from(chunk);
  throw new TypeError("Expected a stream of bytes");
}
