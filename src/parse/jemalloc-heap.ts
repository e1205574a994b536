// Reads jemalloc's heap_v2 dumps (prof_dump_header/prof_dump_gctx in jemalloc 5.3 src/prof_data.c).
//
//   heap_v2/524288                       <- 2^lg_prof_sample
//     t*: 36: 7459776 [0: 0]             <- totals, ignored (jeprof does the same)
//   @ 0x7f6c632a2630 0x7f6c632a2d21 ...  <- one stack, leaf first
//     t*: 30: 6717440 [0: 0]             <- in-use objects: bytes [allocated objects: bytes], all threads
//     t1: 10: 1146880 [0: 0]             <- the same for thread uid 1
//   MAPPED_LIBRARIES:
//   <copy of /proc/self/maps>
import { checkProfile } from '../model/check.js';
import { dumpMappings } from './proc-maps.js';
import type { LocationTable } from '../model/locations.js';
import { ProfileFormatError } from '../model/errors.js';
import { SampleAccumulator } from './accumulate.js';
import { isMapSectionStart, type LineReader } from './lines.js';
import { CountFields, readCountBytes } from './count-bytes.js';
import type { HeapFile, ParseOptions } from './types.js';
import { adjustCountLine, checkCountLine, type Sampling } from './unsample.js';

const HEADER = /^heap_v2\/(\d+)/;
const COUNTS = /^t(\*|\d+):\s+(\d+):\s+(\d+)\s+\[\s*(\d+):\s+(\d+)\]$/;
const STACK = /^@\s+(.*)$/;
// jemalloc appends the thread's name (prof.thread_name) to the header's per-thread rows; jeprof's
// count pattern does not match them, so they are not counts, and that is fine.
const NAMED_THREAD_ROW = /^t\d+:\s+\d+:\s+\d+\s+\[\s*\d+:\s+\d+\]\s+\S/;

export function readJemallocHeap(file: string, header: { text: string; number: number }, reader: LineReader, table: LocationTable, opts: ParseOptions = {}): HeapFile {
  const m = HEADER.exec(header.text);
  if (!m) {
    throw new ProfileFormatError(file, header.number, `header '${header.text.slice(0, 60)}' is not heap_v2/<sample rate> (jeprof: "Threaded heap profiles require v2 sampling with a sample rate")`);
  }
  const rate = Number(m[1]);
  const sampling: Sampling = { kind: 'poisson', rate };
  const acc = new SampleAccumulator(table, reader.sizeHint, opts.onNewLocation, opts.runStacks?.locations === table ? opts.runStacks : undefined);
  const warnings: string[] = [];
  /** The current stack's number, -1 before the first. */
  let stack = -1;
  let stackLine = 0;
  let countsSinceStack = 0;

  let mapText: string | undefined;
  const fields = new CountFields();
  const threadNames = new Map<number, string>();
  const threadName = (t: number) => {
    let s = threadNames.get(t);
    if (s === undefined) threadNames.set(t, (s = String(t)));
    return s;
  };
  const newStack = (st: number, number: number, problem?: string) => {
    if (stack >= 0 && countsSinceStack === 0) warnings.push(`${file}:${stackLine}: stack has no count lines`);
    stack = st;
    if (problem) warnings.push(`${file}:${number}: ${problem}; read as jeprof does`);
    stackLine = number;
    countsSinceStack = 0;
  };
  const keepThreadRows = opts.threadRows ?? true;
  /** A count line's values on their way into its sample's row (acc.add copies them). */
  const scratchRow = new Float64Array(4);
  const counts = (number: number, thread: string | undefined, n1: number, s1: number, n2: number, s2: number) => {
    if (stack < 0) return; // per-thread totals of the header: jeprof ignores them too
    countsSinceStack++;
    if (thread !== undefined && !keepThreadRows) {
      // Not kept, but still checked (jeprof dies on some rows) and still counted for its PCs.
      checkCountLine(sampling, file, number, n1, s1, n2, s2);
      acc.markCounted(stack);
      return;
    }
    acc.add(stack, thread, adjustCountLine(sampling, file, number, n1, s1, n2, s2, scratchRow));
  };

  while (reader.nextRaw()) {
    // The fast path: plain stack and count lines straight from bytes (almost every line).
    const b = reader.bytes;
    let s = reader.lineStart;
    let e = reader.lineEnd;
    while (s < e && (b[s] === 32 || b[s] === 9)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    if (s < e && b[s] === 64) {
      const st = acc.stackBytes(b, s + 1, e);
      if (st >= 0) {
        newStack(st, reader.lineNumber);
        continue;
      }
    } else if (s < e && readCountBytes(b, s, e, fields)) {
      counts(reader.lineNumber, fields.thread < 0 ? undefined : threadName(fields.thread), fields.n1, fields.s1, fields.n2, fields.s2);
      continue;
    }
    // Everything else as text, as jeprof reads it.
    const line = reader.text();
    if (isMapSectionStart(line.text)) {
      mapText = reader.rest(opts.runStacks?.lastMap);
      break;
    }
    const t = line.text.trim();
    if (t === '') continue;
    const sm = STACK.exec(t);
    if (sm) {
      const st = acc.stack(sm[1]);
      newStack(st.id, line.number, st.problem);
      continue;
    }
    const cm = COUNTS.exec(t);
    if (cm) {
      counts(line.number, cm[1] === '*' ? undefined : cm[1], Number(cm[2]), Number(cm[3]), Number(cm[4]), Number(cm[5]));
      continue;
    }
    if (NAMED_THREAD_ROW.test(t)) {
      if (stack >= 0) warnings.push(`${file}:${line.number}: per-thread row with a thread name inside a stack; ignored, as jeprof does`);
      continue;
    }
    if (t === '@') {
      warnings.push(`${file}:${line.number}: '@' without addresses; its counts go to the previous stack, as in jeprof`);
      continue;
    }
    warnings.push(`${file}:${line.number}: unrecognised line '${t.slice(0, 60)}' ignored`);
  }
  if (stack >= 0 && countsSinceStack === 0) warnings.push(`${file}:${stackLine}: stack has no count lines (file truncated?)`);
  if (mapText === undefined) warnings.push(`${file}: no MAPPED_LIBRARIES section (file truncated?): addresses cannot be matched to libraries`);

  const profile = acc.toProfile(rate);
  profile.mappings = dumpMappings(mapText ?? '');
  checkProfile(profile, { allowNaN: true });
  return { file, kind: 'heap', profile, mapText: mapText ?? '', notices: [], warnings, maxAddress: acc.maxAddress };
}
