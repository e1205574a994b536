// Splits profile text into lines, from a string or streamed from a file in chunks, so a 1 GB dump
// never has to fit in one string. Lines are byte ranges first: the heap reader parses the common
// lines straight from bytes and decodes only the odd ones to text. jeprof drops every \r.
import { fstatSync, readSync } from 'node:fs';

export interface TextLine {
  /** 1-based line number in the file. */
  number: number;
  /** The line without its newline and with every \r removed, as jeprof's `s/\r//g`. */
  text: string;
}

const CHUNK_BYTES = 1 << 20;
/** The smallest read buffer: a line longer than the buffer doubles it, as before. */
const MIN_BUFFER_BYTES = 1 << 16;

/** A regular file's size, 0 when unknown (a pipe, a device). */
function fileSize(fd: number): number {
  try {
    const st = fstatSync(fd);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}
/** A "line" longer than this is not a profile line; it is cut so memory stays bounded. */
export const MAX_LINE_BYTES = 16 << 20;
/** rest() stops here: a map section is a few KB, so anything bigger is a runaway file. */
const MAX_REST_BYTES = 64 * MAX_LINE_BYTES;

const stripCR = (s: string) => (s.includes('\r') ? s.replace(/\r/g, '') : s);

export class LineReader {
  private buf: Buffer;
  /** Unread bytes are buf[pos, end). */
  private pos = 0;
  private end: number;
  private eof: boolean;
  private lineNo = 0;
  /** The file's size when the reader was made (0 when unknown), or the string's. */
  private readonly size: number;
  /** The line nextRaw() found: bytes[lineStart, lineEnd), newline excluded, \r kept. */
  lineStart = 0;
  lineEnd = 0;
  /** The file offset of buf[end]: every byte before it has been read into the buffer. */
  private offset = 0;
  /** Reads stop at this file offset (limitTo): a split parse's first part ends there. */
  private until = Infinity;
  /** Reads at explicit offsets (pread): another reader may share the descriptor (see limitTo). */
  private positioned: boolean;

  /** From a whole string, or (fd given) streamed from an open file. */
  constructor(
    data: string,
    private readonly fd?: number,
    /** With fd: read from this offset on, at explicit offsets, not from the descriptor's own. */
    from?: number,
    /**
     * With fd: a read buffer to use when big enough, and where a new one is left for the next
     * reader (the dumps of a series are read one after another: fresh buffers were 6 MB of first
     * page touches over 200 dumps, a quarter of their read time). No line's bytes may be kept.
     */
    shared?: { readBuffer?: Buffer },
  ) {
    this.positioned = from !== undefined;
    this.offset = from ?? 0;
    if (fd === undefined) {
      this.buf = Buffer.from(data);
      this.end = this.buf.length;
      this.eof = true;
      this.size = this.buf.length;
    } else {
      // A small file gets a buffer its size, not a 1 MiB one: a series of 200 small dumps made
      // 200 MiB of buffers, whose external memory alone set off full collections.
      const size = fileSize(fd);
      this.size = size;
      const want = size > 0 ? Math.min(CHUNK_BYTES, Math.max(MIN_BUFFER_BYTES, size + 1)) : CHUNK_BYTES;
      if (shared?.readBuffer && shared.readBuffer.length >= want) this.buf = shared.readBuffer;
      else {
        this.buf = Buffer.allocUnsafe(want);
        if (shared) shared.readBuffer = this.buf;
      }
      this.end = 0;
      this.eof = false;
    }
  }

  /**
   * Told the file offset read up to after each read from the file (1 MiB or so at a time): a
   * progress line's source, at no cost per line.
   */
  onRead?: (offset: number) => void;

  /** The input's size in bytes when known (0 for a pipe): lets readers size their tables once. */
  get sizeHint(): number {
    // The constructor's fstat: one more per file was 200 system calls over a series of 200 dumps.
    return this.size;
  }

  /** The buffer lineStart/lineEnd index; valid until the next call to nextRaw(). */
  get bytes(): Buffer {
    return this.buf;
  }

  /** Moves to the next line without decoding it; false at the end of the input. */
  nextRaw(): boolean {
    for (;;) {
      if (this.pos < this.end) {
        const nl = this.buf.indexOf(10, this.pos);
        if (nl >= 0 && nl < this.end) return this.take(nl, nl + 1);
        if (this.eof) return this.take(this.end, this.end);
        if (this.end - this.pos >= MAX_LINE_BYTES) return this.take(this.pos + MAX_LINE_BYTES, this.pos + MAX_LINE_BYTES);
      } else if (this.eof) {
        return false;
      }
      this.fill();
    }
  }

  private take(lineEnd: number, next: number): boolean {
    this.lineStart = this.pos;
    this.lineEnd = lineEnd;
    this.pos = next;
    this.lineNo++;
    return true;
  }

  /** Moves unread bytes to the front, grows the buffer when one line fills it, reads more. */
  private fill(): void {
    if (this.fd === undefined) {
      this.eof = true;
      return;
    }
    if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.end);
      this.end -= this.pos;
      this.pos = 0;
    }
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    const want = Math.min(this.buf.length - this.end, this.until - this.offset);
    const n = want <= 0 ? 0 : readSync(this.fd, this.buf, this.end, want, this.positioned ? this.offset : null);
    if (n === 0) this.eof = true;
    else {
      this.end += n;
      this.offset += n;
      // A regular file (size known) that gave less than asked has no more: the read that would
      // say so was one system call per dump more (200 in a series), and so was rest()'s probe.
      if (n < want && this.size > 0) this.eof = true;
      this.onRead?.(this.offset);
    }
  }

  /** The descriptor the reader streams from (undefined for text). */
  get descriptor(): number | undefined {
    return this.fd;
  }

  /**
   * Ends the input at file offset `at` (a line's start), for a split parse: false when the
   * reader has already read past it. Lines before `at` read as before; the input then ends there.
   */
  limitTo(at: number): boolean {
    // buf[pos] is the first byte not yet read as a line.
    if (this.fd === undefined || at < this.offset - (this.end - this.pos)) return false;
    if (at < this.offset) {
      // Read already (a small file is read whole at once): the bytes from `at` on are dropped.
      this.end -= this.offset - at;
      this.offset = at;
    }
    this.until = at;
    // From here on reads say where: the descriptor's own offset may be past `at`, and another
    // thread reads the same descriptor.
    this.positioned = true;
    return true;
  }

  /** True when the input ended at limitTo's offset, not at the file's end. */
  get stoppedAtLimit(): boolean {
    return this.eof && this.until !== Infinity && this.offset >= this.until;
  }

  /** Lifts limitTo: the lines after its offset follow as if it had never been set. */
  unlimit(): void {
    if (this.until === Infinity) return;
    if (this.stoppedAtLimit) this.eof = false;
    this.until = Infinity;
  }

  /** The current line (from nextRaw) as text. */
  text(): TextLine {
    return { number: this.lineNo, text: stripCR(this.buf.toString('utf8', this.lineStart, this.lineEnd)) };
  }

  next(): TextLine | undefined {
    return this.nextRaw() ? this.text() : undefined;
  }

  /**
   * Everything not yet read (with \r removed): the MAPPED_LIBRARIES text. With `last` (the run's
   * previous map section), bytes equal to its bytes give its text: 192 of redis's 200 interval
   * dumps repeat the map before, and each 12 KB decoded again was a string kept for the run.
   */
  rest(last?: { bytes?: Buffer; text?: string }): string {
    // The map section is the file's end, wherever a split parse meant to stop.
    this.unlimit();
    const parts: Buffer[] = [this.buf.subarray(this.pos, this.end)];
    let size = this.end - this.pos;
    if (this.fd !== undefined && !this.eof) {
      // Mostly the buffer holds the file's end already and the first read finds nothing: a small
      // probe, not a 1 MiB buffer per dump (a series of small dumps made one each).
      let chunkBytes = 4096;
      while (size <= MAX_REST_BYTES) {
        const chunk = Buffer.allocUnsafe(chunkBytes);
        const n = readSync(this.fd, chunk, 0, chunkBytes, this.positioned ? this.offset : null);
        if (n === 0) break;
        this.offset += n;
        parts.push(chunk.subarray(0, n));
        size += n;
        chunkBytes = CHUNK_BYTES;
      }
    }
    this.pos = this.end;
    this.eof = true;
    const bytes = Buffer.concat(parts);
    if (last === undefined) return stripCR(bytes.toString('utf8'));
    if (last.bytes === undefined || !last.bytes.equals(bytes)) {
      last.bytes = bytes;
      last.text = stripCR(bytes.toString('utf8'));
    }
    return last.text!;
  }

  get lineNumber(): number {
    return this.lineNo;
  }
}

/** jeprof stops reading samples at either spelling of the map section. */
/** The lines that start a dump's map section: jemalloc's, and gperftools'. */
export const MAP_SECTION_MARKERS: readonly string[] = ['MAPPED_LIBRARIES:', '--- Memory map:'];

export function isMapSectionStart(line: string): boolean {
  return line.startsWith(MAP_SECTION_MARKERS[0]) || line.startsWith(MAP_SECTION_MARKERS[1]);
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
