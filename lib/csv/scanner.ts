import { unitBytes } from "./encoding";
import type { CsvDelimiter, CsvEncoding, CsvNewline } from "./types";

const QUOTE = 0x22;
const CR = 0x0d;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just read a quote inside a quoted field: a second quote is an escaped quote, anything else closes the field. */
const QUOTE_IN_QUOTED = 3;
type State = typeof FIELD_START | typeof UNQUOTED | typeof QUOTED | typeof QUOTE_IN_QUOTED;

/**
 * Finds record boundaries in the raw bytes of a CSV file, quote-aware, without decoding. It works on code units
 * (bytes for UTF-8 and windows-1252, 2-byte units in the file's byte order for UTF-16): a quote opens a quoted
 * field only at the start of a field (as papaparse reads it), `""` inside one is an escaped quote, and the
 * newline unit ends a record only outside quotes. The state survives between calls, so a buffer that grows
 * chunk by chunk can be scanned from where the last call stopped.
 */
export class RecordScanner {
  readonly unit: 1 | 2;
  private readonly littleEndian: boolean;
  private readonly delimiter: number;
  private readonly newline: number;
  private state: State = FIELD_START;
  /** Where the last unsuccessful `findEnd` stopped (the next unit to read). */
  resumeAt = 0;

  constructor(encoding: CsvEncoding, delimiter: CsvDelimiter, newline: CsvNewline) {
    this.unit = unitBytes(encoding);
    this.littleEndian = encoding !== "utf-16be";
    this.delimiter = delimiter.charCodeAt(0);
    this.newline = newline.charCodeAt(0);
  }

  /** Forgets any partly scanned record (the next unit read starts a record). */
  reset(): void {
    this.state = FIELD_START;
    this.resumeAt = 0;
  }

  /**
   * Index just after the newline that ends the record being scanned, reading `bytes` from `from`; or -1 when the
   * buffer ends first, with `resumeAt` set to the index to continue from once more bytes are appended.
   */
  findEnd(bytes: Uint8Array, from: number): number {
    const { delimiter, newline, unit } = this;
    let state = this.state;
    const last = bytes.length - unit;
    let i = from;
    for (; i <= last; i += unit) {
      const c = unit === 1 ? (bytes[i] ?? 0) : this.unitAt(bytes, i);
      switch (state) {
        case QUOTED:
          if (c === QUOTE) state = QUOTE_IN_QUOTED;
          break;
        case UNQUOTED:
          if (c === delimiter) state = FIELD_START;
          else if (c === newline) {
            this.state = FIELD_START;
            return i + unit;
          }
          break;
        case FIELD_START:
        case QUOTE_IN_QUOTED:
          if (c === QUOTE) state = QUOTED;
          else if (c === delimiter) state = FIELD_START;
          else if (c === newline) {
            this.state = FIELD_START;
            return i + unit;
          } else state = UNQUOTED;
          break;
      }
    }
    this.state = state;
    this.resumeAt = i;
    return -1;
  }

  /**
   * End of the record's content in `bytes[start, end)`: without its newline (when `end` follows one) and, for
   * LF files, without the CR of a CRLF.
   */
  contentEnd(bytes: Uint8Array, start: number, end: number, endsWithNewline: boolean): number {
    let stop = endsWithNewline ? end - this.unit : end;
    if (this.newline !== CR && stop - this.unit >= start && this.unitAt(bytes, stop - this.unit) === CR) {
      stop -= this.unit;
    }
    return stop;
  }

  private unitAt(bytes: Uint8Array, i: number): number {
    if (this.unit === 1) return bytes[i] ?? 0;
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    return this.littleEndian ? a | (b << 8) : (a << 8) | b;
  }
}
