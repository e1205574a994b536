// The lines of a heap_v2 dump after its header, up to the map section: stack lines and their count
// rows, read into a sink. A whole dump's reader and a split parse's worker (split-worker.ts) share it.
import { isMapSectionStart, type LineReader } from './lines.js';
import { CountFields, readCountBytes } from './count-bytes.js';
import type { ParsedStack } from './stack-lines.js';
import { adjustCountLine, checkCountLine, type Sampling } from './unsample.js';

const COUNTS = /^t(\*|\d+):\s+(\d+):\s+(\d+)\s+\[\s*(\d+):\s+(\d+)\]$/;
const STACK = /^@\s+(.*)$/;
// jemalloc appends the thread's name (prof.thread_name) to the header's per-thread rows; jeprof's
// count pattern does not match them, so they are not counts, and that is fine.
const NAMED_THREAD_ROW = /^t\d+:\s+\d+:\s+\d+\s+\[\s*\d+:\s+\d+\]\s+\S/;

/** Where the stacks and count rows go (SampleAccumulator, or a split parse's recorder). */
export interface HeapSink {
  /** A stack line's addresses from bytes (after the `@`): its number, or -1 for the text path. */
  stackBytes(b: Uint8Array, start: number, end: number): number;
  /** A stack line's addresses as text. */
  stack(text: string): ParsedStack;
  /** A count row's unsampled values for stack number `stack` (`thread` undefined: the t* row). */
  add(stack: number, thread: string | undefined, values: ArrayLike<number>): void;
  /** A row read but not kept: its stack still counts for its PCs. */
  markCounted(stack: number): void;
}

/** A warning at a line of the file (undefined: of the whole file), without the file's name. */
export type Warn = (line: number | undefined, message: string) => void;

export class HeapBodyReader {
  /** The current stack's number, -1 before the first. */
  private stack = -1;
  private stackLine = 0;
  private countsSinceStack = 0;
  /** The MAPPED_LIBRARIES text, once the map section was reached. */
  mapText?: string;
  private readonly fields = new CountFields();
  private readonly threadNames = new Map<number, string>();
  /** A count line's values on their way into its sample's row (the sink copies them). */
  private readonly scratchRow = new Float64Array(4);

  constructor(
    private readonly file: string,
    private readonly sampling: Sampling,
    private readonly sink: HeapSink,
    private readonly warn: Warn,
    /** Keep per-thread rows as samples (only --thread reports them). */
    private readonly keepThreadRows: boolean,
    /** The run's previous map section (see LineReader.rest). */
    private readonly lastMap?: { bytes?: Buffer; text?: string },
  ) {}

  private threadName(t: number): string {
    let s = this.threadNames.get(t);
    if (s === undefined) this.threadNames.set(t, (s = String(t)));
    return s;
  }

  private newStack(st: number, number: number, problem?: string): void {
    this.endStack();
    this.stack = st;
    if (problem) this.warn(number, `${problem}; read as jeprof does`);
    this.stackLine = number;
    this.countsSinceStack = 0;
  }

  /** The stack read last gets its warning if it had no count lines (the next one starts, or a split part ends). */
  endStack(suffix = ''): void {
    if (this.stack >= 0 && this.countsSinceStack === 0) this.warn(this.stackLine, `stack has no count lines${suffix}`);
  }

  private counts(number: number, thread: string | undefined, n1: number, s1: number, n2: number, s2: number): void {
    if (this.stack < 0) return; // per-thread totals of the header: jeprof ignores them too
    this.countsSinceStack++;
    if (thread !== undefined && !this.keepThreadRows) {
      // Not kept, but still checked (jeprof dies on some rows) and still counted for its PCs.
      checkCountLine(this.sampling, this.file, number, n1, s1, n2, s2);
      this.sink.markCounted(this.stack);
      return;
    }
    this.sink.add(this.stack, thread, adjustCountLine(this.sampling, this.file, number, n1, s1, n2, s2, this.scratchRow));
  }

  /** Reads lines until the map section (its text into mapText) or the end of the reader's input. */
  read(reader: LineReader): void {
    const sink = this.sink;
    const fields = this.fields;
    while (reader.nextRaw()) {
      // The fast path: plain stack and count lines straight from bytes (almost every line).
      const b = reader.bytes;
      let s = reader.lineStart;
      let e = reader.lineEnd;
      while (s < e && (b[s] === 32 || b[s] === 9)) s++;
      while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
      if (s < e && b[s] === 64) {
        const st = sink.stackBytes(b, s + 1, e);
        if (st >= 0) {
          this.newStack(st, reader.lineNumber);
          continue;
        }
      } else if (s < e && readCountBytes(b, s, e, fields)) {
        this.counts(reader.lineNumber, fields.thread < 0 ? undefined : this.threadName(fields.thread), fields.n1, fields.s1, fields.n2, fields.s2);
        continue;
      }
      // Everything else as text, as jeprof reads it.
      const line = reader.text();
      if (isMapSectionStart(line.text)) {
        this.mapText = reader.rest(this.lastMap);
        return;
      }
      const t = line.text.trim();
      if (t === '') continue;
      const sm = STACK.exec(t);
      if (sm) {
        const st = sink.stack(sm[1]);
        this.newStack(st.id, line.number, st.problem);
        continue;
      }
      const cm = COUNTS.exec(t);
      if (cm) {
        this.counts(line.number, cm[1] === '*' ? undefined : cm[1], Number(cm[2]), Number(cm[3]), Number(cm[4]), Number(cm[5]));
        continue;
      }
      if (NAMED_THREAD_ROW.test(t)) {
        if (this.stack >= 0) this.warn(line.number, 'per-thread row with a thread name inside a stack; ignored, as jeprof does');
        continue;
      }
      if (t === '@') {
        this.warn(line.number, "'@' without addresses; its counts go to the previous stack, as in jeprof");
        continue;
      }
      this.warn(line.number, `unrecognised line '${t.slice(0, 60)}' ignored`);
    }
  }

  /** The end of the file: what a dump cut short lacks. */
  finish(): void {
    this.endStack(' (file truncated?)');
    if (this.mapText === undefined) this.warn(undefined, 'no MAPPED_LIBRARIES section (file truncated?): addresses cannot be matched to libraries');
  }
}
