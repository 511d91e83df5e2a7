import { unitBytes } from "./encoding";
import type { CsvDelimiter, CsvEncoding } from "./types";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** A quoted field longer than this (bytes from its opening quote) is taken for a quote that is never closed. */
export const MAX_QUOTED_BYTES = 64 * 1024;
/** A quoted field spanning more lines than this is taken for a quote that is never closed. */
export const MAX_QUOTED_LINES = 100;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just read a quote inside a quoted field: a second quote is an escaped quote, anything else closes the field. */
const QUOTE_IN_QUOTED = 3;
/** A quoted field was given up on before its line ended: the record ends at the next line break, quotes or not. */
const LINE_REST = 4;
/** After a quoted field's closing quote and spaces: only a delimiter or a line break may follow. */
const CLOSED = 5;
type State =
  typeof FIELD_START | typeof UNQUOTED | typeof QUOTED | typeof QUOTE_IN_QUOTED | typeof LINE_REST | typeof CLOSED;

const SPACE = 0x20;
const TAB = 0x09;
/** `quotedLineBreak`'s answer while the quoted field goes on (any other is `findEnd`'s: an offset, or -1). */
const GO_ON = -2;

/** Why a record was cut short at the end of the line its last quoted field opened on. */
export type QuoteProblem = "UNCLOSED_QUOTE" | "QUOTED_TOO_LONG" | "QUOTED_TOO_MANY_LINES";

/**
 * Finds record boundaries in the raw bytes of a CSV file, quote-aware, without decoding. It works on code units
 * (bytes for UTF-8 and windows-1252, 2-byte units in the file's byte order for UTF-16): a quote opens a quoted
 * field only at the start of a field (as papaparse reads it), `""` inside one is an escaped quote, and a line
 * break (LF, CR or CRLF, whatever the file's usual one) ends a record only outside quotes, so no unquoted cell
 * ever holds one.
 *
 * A quoted field that never closes (by the end of the input, within `MAX_QUOTED_BYTES` or within
 * `MAX_QUOTED_LINES`) would swallow the records after it: instead the record ends at the end of the line the
 * quote opened on, with `problem` set, and scanning starts afresh on the next line. So does one spanning lines
 * whose "closing" quote is followed by text (papaparse's InvalidQuotes): that quote opened a later field. Only
 * that much is ever read ahead, so a caller holds at most about `MAX_QUOTED_BYTES` to go back over.
 *
 * The state survives between calls, so a buffer that grows chunk by chunk can be scanned from where the last
 * call stopped. Positions are absolute: `base` is the offset of `bytes[0]` in the whole input.
 */
export class RecordScanner {
  readonly unit: 1 | 2;
  private readonly littleEndian: boolean;
  private readonly delimiter: number;
  private state: State = FIELD_START;
  /** Where the last unsuccessful `findEnd` stopped (the index in its `bytes` to continue from). */
  resumeAt = 0;
  /** Of the record `findEnd` last found: line breaks inside it (in quoted fields), its own line break not counted. */
  breaks = 0;
  /** Of the record `findEnd` last found: why it was cut short, or null. */
  problem: QuoteProblem | null = null;

  // The record being scanned.
  private recordBreaks = 0;
  private pendingProblem: QuoteProblem | null = null;
  // Its last quoted field: where it opened, the line breaks in it, the end of the line it opened on.
  private quoteAt = -1;
  private quoteBreaks = 0;
  private breaksBeforeQuote = 0;
  private quoteLineEnd = -1;
  /** The last CR inside a quoted field, so that a CRLF there counts as one line break. */
  private lastCR = -1;

  constructor(encoding: CsvEncoding, delimiter: CsvDelimiter) {
    this.unit = unitBytes(encoding);
    this.littleEndian = encoding !== "utf-16be";
    this.delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Absolute offset just after the line break that ends the record being scanned, reading `bytes` from `from`;
   * or -1 when the buffer ends first, with `resumeAt` set to the index to continue from once more bytes are
   * appended. With `atEnd` (nothing follows `bytes`) a record is always found: the rest of the input, or, for a
   * quote still open, up to the end of its line. After a record is found, `breaks` and `problem` describe it
   * and the next call starts a fresh record at the offset returned (which, for a record cut short, can be
   * before the bytes already read).
   */
  findEnd(bytes: Uint8Array, from: number, base = 0, atEnd = false): number {
    const { delimiter, unit } = this;
    let state = this.state;
    const last = bytes.length - unit;
    let i = from;
    // Each state tests the likeliest units first; `c <= CR` spares printable ones the line-break tests.
    for (; i <= last; i += unit) {
      const c = unit === 1 ? (bytes[i] ?? 0) : this.unitAt(bytes, i);
      switch (state) {
        case UNQUOTED:
          if (c === delimiter) state = FIELD_START;
          else if (c <= CR && (c === LF || c === CR)) return this.lineEnd(bytes, i, base, atEnd, state);
          break;
        case QUOTED:
          if (c === QUOTE) {
            if (base + i - this.quoteAt > MAX_QUOTED_BYTES) {
              if (this.quoteLineEnd >= 0) return this.cutShort("QUOTED_TOO_LONG");
              this.pendingProblem = "QUOTED_TOO_LONG";
              state = LINE_REST;
            } else state = QUOTE_IN_QUOTED;
          } else if (c <= CR && (c === LF || c === CR)) {
            const end = this.quotedLineBreak(bytes, i, base, atEnd, c);
            if (end !== GO_ON) return end;
          }
          break;
        case FIELD_START:
          if (c === QUOTE) {
            state = QUOTED;
            this.quoteAt = base + i;
            this.quoteBreaks = 0;
            this.quoteLineEnd = -1;
            this.breaksBeforeQuote = this.recordBreaks;
          } else if (c === LF || c === CR) return this.lineEnd(bytes, i, base, atEnd, state);
          else if (c !== delimiter) state = UNQUOTED;
          break;
        case QUOTE_IN_QUOTED:
        case CLOSED:
          if (c === QUOTE && state === QUOTE_IN_QUOTED) state = QUOTED;
          else if (c === delimiter) state = FIELD_START;
          else if (c === LF || c === CR) return this.lineEnd(bytes, i, base, atEnd, state);
          else if (c === SPACE || c === TAB) state = CLOSED;
          else if (this.quoteLineEnd >= 0) {
            // Text after the quote that "closed" a field spanning lines: that quote was another field's, and
            // this field's opening quote is a stray one that swallowed the lines in between.
            return this.cutShort("UNCLOSED_QUOTE");
          } else state = UNQUOTED;
          break;
        case LINE_REST:
          if (c === LF || c === CR) return this.lineEnd(bytes, i, base, atEnd, state);
          break;
      }
    }
    const scanned = base + i;
    // Past the limit with no closing quote in sight (unless the line the quote opened on ended with a CR just
    // read, whose LF may come next): give up on it now, so that no more than that is ever held.
    if (state === QUOTED && scanned - this.quoteAt > MAX_QUOTED_BYTES && this.quoteLineEnd !== scanned) {
      if (this.quoteLineEnd >= 0) return this.cutShort("QUOTED_TOO_LONG");
      this.pendingProblem = "QUOTED_TOO_LONG";
      state = LINE_REST;
    }
    if (atEnd) {
      if (state === QUOTED) {
        if (this.quoteLineEnd >= 0) return this.cutShort("UNCLOSED_QUOTE");
        this.pendingProblem = "UNCLOSED_QUOTE";
      }
      return this.endRecord(base + bytes.length);
    }
    this.state = state;
    this.resumeAt = i;
    return -1;
  }

  /**
   * A line break outside quotes, at `bytes[i]`: the record ends after it. A CR needs the next unit to tell
   * CRLF from CR: at the end of the buffer (unless nothing follows) the scan waits for it, in `state`.
   */
  private lineEnd(bytes: Uint8Array, i: number, base: number, atEnd: boolean, state: State): number {
    const { unit } = this;
    if (this.unitAt(bytes, i) === CR) {
      if (i + unit <= bytes.length - unit)
        return this.endRecord(base + i + (this.unitAt(bytes, i + unit) === LF ? 2 * unit : unit));
      if (!atEnd) {
        this.state = state;
        this.resumeAt = i;
        return -1;
      }
    }
    return this.endRecord(base + i + unit);
  }

  /**
   * A line break inside a quoted field, at `bytes[i]`: counted (a CRLF once), and the field given up on if it
   * has run past either limit. `GO_ON` while the field goes on; else what `findEnd` answers.
   */
  private quotedLineBreak(bytes: Uint8Array, i: number, base: number, atEnd: boolean, c: number): number {
    const { unit } = this;
    const at = base + i;
    if (c === LF && this.lastCR === at - unit) {
      // The LF of a CRLF: one line break, already counted; the quote's line ends after it.
      if (this.quoteLineEnd === at) this.quoteLineEnd = at + unit;
      return GO_ON;
    }
    if (c === CR) this.lastCR = at;
    if (at - this.quoteAt > MAX_QUOTED_BYTES) {
      if (this.quoteLineEnd >= 0) return this.cutShort("QUOTED_TOO_LONG");
      // No line break since the quote opened: this one ends its line.
      this.pendingProblem = "QUOTED_TOO_LONG";
      return this.lineEnd(bytes, i, base, atEnd, LINE_REST);
    }
    this.recordBreaks++;
    if (this.quoteLineEnd < 0) this.quoteLineEnd = at + unit;
    if (++this.quoteBreaks >= MAX_QUOTED_LINES) return this.cutShort("QUOTED_TOO_MANY_LINES");
    return GO_ON;
  }

  /**
   * End of the record's content in `bytes[start, end)`: without the line break (LF, CRLF or CR) that ends it.
   * A record's last unit is a line break only when it is the record's own: a quoted one is followed by more.
   */
  contentEnd(bytes: Uint8Array, start: number, end: number): number {
    const { unit } = this;
    let stop = end;
    if (stop - unit < start) return stop;
    const lastUnit = this.unitAt(bytes, stop - unit);
    if (lastUnit === LF) {
      stop -= unit;
      if (stop - unit >= start && this.unitAt(bytes, stop - unit) === CR) stop -= unit;
    } else if (lastUnit === CR) stop -= unit;
    return stop;
  }

  /** The record ends at the end of the line its open quote is on. */
  private cutShort(problem: QuoteProblem): number {
    this.pendingProblem = problem;
    this.recordBreaks = this.breaksBeforeQuote;
    return this.endRecord(this.quoteLineEnd);
  }

  private endRecord(end: number): number {
    this.breaks = this.recordBreaks;
    this.problem = this.pendingProblem;
    this.state = FIELD_START;
    this.recordBreaks = 0;
    this.pendingProblem = null;
    this.quoteAt = -1;
    this.quoteLineEnd = -1;
    this.lastCR = -1;
    return end;
  }

  private unitAt(bytes: Uint8Array, i: number): number {
    if (this.unit === 1) return bytes[i] ?? 0;
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    return this.littleEndian ? a | (b << 8) : (a << 8) | b;
  }
}
