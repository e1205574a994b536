// Splits profile text into lines, from a string or streamed from a file in chunks, so a 1 GB dump
// never has to fit in one string; jeprof drops every \r.
import { readSync } from 'node:fs';

export interface TextLine {
  /** 1-based line number in the file. */
  number: number;
  /** The line without its newline and with every \r removed, as jeprof's `s/\r//g`. */
  text: string;
}

const CHUNK_BYTES = 1 << 20;
/** A "line" longer than this is not a profile line; it is cut so memory stays bounded. */
export const MAX_LINE_CHARS = 16 << 20;

export class LineReader {
  private buf = '';
  private pos = 0;
  private lineNo = 0;
  private eof: boolean;
  /** Bytes read from the file but not decoded yet (a line cut by the chunk boundary). */
  private bytes: Buffer | undefined;
  private pending = 0;

  /** From a whole string, or (fd given) streamed from an open file. */
  constructor(
    data: string,
    private readonly fd?: number,
  ) {
    this.buf = data;
    this.eof = fd === undefined;
    this.bytes = fd === undefined ? undefined : Buffer.alloc(CHUNK_BYTES);
  }

  /**
   * Reads the next chunk and decodes it up to its last newline: a newline byte never occurs
   * inside a UTF-8 sequence, so no character is split, and no partial line is decoded twice.
   */
  private fill(): boolean {
    if (this.eof || this.fd === undefined || !this.bytes) return false;
    for (;;) {
      if (this.pending === this.bytes.length) {
        if (this.bytes.length >= MAX_LINE_CHARS) {
          // A giant "line": decode what we have so next() can cut it.
          this.buf = this.buf.slice(this.pos) + this.bytes.toString('utf8', 0, this.pending);
          this.pos = 0;
          this.pending = 0;
          return true;
        }
        const bigger = Buffer.alloc(this.bytes.length * 2);
        this.bytes.copy(bigger, 0, 0, this.pending);
        this.bytes = bigger;
      }
      const n = readSync(this.fd, this.bytes, this.pending, this.bytes.length - this.pending, null);
      const end = this.pending + n;
      if (n === 0) {
        this.eof = true;
        this.buf = this.buf.slice(this.pos) + this.bytes.toString('utf8', 0, end);
        this.pos = 0;
        this.pending = 0;
        return this.buf.length > 0;
      }
      const nl = this.bytes.lastIndexOf(10, end - 1);
      if (nl < 0) {
        this.pending = end;
        continue;
      }
      this.buf = this.buf.slice(this.pos) + this.bytes.toString('utf8', 0, nl + 1);
      this.pos = 0;
      this.pending = end - nl - 1;
      this.bytes.copy(this.bytes, 0, nl + 1, end);
      return true;
    }
  }

  next(): TextLine | undefined {
    for (;;) {
      const end = this.buf.indexOf('\n', this.pos);
      if (end >= 0 || this.eof || this.buf.length - this.pos > MAX_LINE_CHARS) {
        if (this.pos >= this.buf.length && this.eof) return undefined;
        const stop = end >= 0 ? end : Math.min(this.buf.length, this.pos + MAX_LINE_CHARS);
        let text = this.buf.slice(this.pos, stop);
        this.pos = end >= 0 ? end + 1 : stop;
        this.lineNo++;
        if (text.includes('\r')) text = text.replace(/\r/g, '');
        return { number: this.lineNo, text };
      }
      if (!this.fill() && this.pos >= this.buf.length) return undefined;
    }
  }

  /** Everything not yet read (with \r removed): the MAPPED_LIBRARIES text. */
  rest(): string {
    while (this.fill()) {
      if (this.buf.length - this.pos > 64 * MAX_LINE_CHARS) break; // a map section is a few KB; stop runaway files
    }
    const r = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    return r.includes('\r') ? r.replace(/\r/g, '') : r;
  }

  get lineNumber(): number {
    return this.lineNo;
  }
}

/** jeprof stops reading samples at either spelling of the map section. */
export function isMapSectionStart(line: string): boolean {
  return line.startsWith('MAPPED_LIBRARIES:') || line.startsWith('--- Memory map:');
}

/**
 * The sample section's lines, trimmed and non-empty, up to the map section; when that starts,
 * its whole text is put in `maps.mapText` and the iteration ends.
 */
export function* sampleLines(reader: LineReader, maps: { mapText?: string }): Generator<TextLine> {
  for (let line = reader.next(); line; line = reader.next()) {
    if (isMapSectionStart(line.text)) {
      maps.mapText = reader.rest();
      return;
    }
    const text = line.text.trim();
    if (text !== '') yield { number: line.number, text };
  }
}
