// Writes jeprof-ts's model as a pprof message (profile.proto): what go tool pprof, Pyroscope and
// Parca read, plus jeprof-ts's own fields (1000 and up) so that reading it back is exact.
import { create } from '@bufbuild/protobuf';
import type { Func, Location, Mapping, SampleType } from '../model/profile.js';
import { shortFunctionName } from '../symbolize/short-name.js';
import {
  JeprofTotalSchema, LabelSchema, MappingSchema, ValueTypeSchema,
  type Function as PprofFunction, type CompactLine as PprofLine, type CompactLocation as PprofLocation, type Mapping as PprofMapping, type CompactSample as PprofSample,
} from './gen/profile_pb.js';
import { newPprofProfile, type PprofProfile } from './codec.js';
import { StringTable } from './string-table.js';

/** One stack: its PCs by Location id (the run's table), leaf first, and its exact values. */
export interface ExportStack {
  locationIds: ArrayLike<number>;
  /** `values[i]` is described by ExportInput.sampleTypes[i]. */
  values: number[];
}

/** One report of the run (all threads, or one jemalloc thread with --thread): its stacks with all four values. */
export interface ExportReport {
  thread?: string;
  stacks: ExportStack[];
  /** The report's Total line per sample type (before --focus/--ignore), exact. */
  totals: readonly number[];
}

export interface ExportInput {
  sampleTypes: readonly SampleType[];
  defaultSampleType: string;
  /** Sampling period in bytes (2^lg_prof_sample), 0 when not sampled. */
  period: number;
  kind: 'heap' | 'growth';
  /** The program name the reports print. */
  program: string;
  /**
   * Every PC of the run, in its table's order: Location ids 1..n. All of them, not only those the
   * reports use: jeprof's `name@addr` renaming looks at every PC, and reading back then renames the same.
   */
  locations: readonly Location[];
  reports: readonly ExportReport[];
  /** The program's own mapping, written first (pprof takes the first mapping for the main binary). */
  mainMapping?: Mapping;
  /** The GNU build id of the file a mapping was read from here, if it has one. */
  buildId: (m: Mapping) => string | undefined;
  /** The mangled (linker) name of a function, when known. */
  mangledName?: (f: Func) => string | undefined;
  comments: readonly string[];
  /** When the newest dump was written, ns since the epoch. */
  timeNanos: bigint;
}

const INT64_MAX = 2n ** 63n - 1n;
const MAX_EXACT = Number.MAX_SAFE_INTEGER;
/** nm's routine-address tag that jeprof appends to the full name (`foo(int)<0000000000001189>`). */
const NM_TAG = /<[0-9a-fA-F]{16}>$/;

/** A value as pprof's int64: rounded once (halves away from zero), clamped to int64's range. */
export function roundValue(v: number): bigint {
  // Most values: rounding half away from zero, exact below 2^53.
  if (v > -MAX_EXACT && v < MAX_EXACT) return BigInt(v < 0 ? -Math.round(-v) : Math.round(v));
  if (Number.isNaN(v)) return 0n;
  if (!Number.isFinite(v)) return v > 0 ? INT64_MAX : -INT64_MAX;
  const r = BigInt(Math.sign(v) * Math.round(Math.abs(v)));
  return r > INT64_MAX ? INT64_MAX : r < -INT64_MAX ? -INT64_MAX : r;
}

/** The `file:line` text a reader makes of a Line with no jeprof_file_line (addr2line's `??` for no file). */
export function canonicalFileLine(filename: string, line: number): string {
  return `${filename === '' ? '??' : filename}:${line}`;
}

/** The demangled full name pprof shows: jeprof's full name without nm's address tag. */
export function pprofFunctionName(systemName: string): string {
  return systemName.replace(NM_TAG, '');
}

export function toPprof(input: ExportInput): PprofProfile {
  const st = new StringTable();
  const p = newPprofProfile();
  p.sampleType = input.sampleTypes.map((t) => create(ValueTypeSchema, { type: st.id(t.type), unit: st.id(t.unit) }));
  p.defaultSampleType = st.id(input.defaultSampleType);
  p.periodType = create(ValueTypeSchema, { type: st.id('space'), unit: st.id('bytes') });
  p.period = roundValue(input.period);
  p.timeNanos = input.timeNanos;
  p.jeprofKind = st.id(input.kind);
  p.jeprofProgram = st.id(input.program);

  const mappings = mappingIds(input);
  const functions: PprofFunction[] = [];
  /** Per function: its id, and the start of the file:line text a reader would make of its lines. */
  const funcs = new Map<Func, { id: number; prefix: string }>();
  const funcOf = (f: Func) => {
    let info = funcs.get(f);
    if (!info) {
      const name = pprofFunctionName(f.systemName);
      info = { id: functions.length + 1, prefix: canonicalFileLine(f.filename, 0).slice(0, -1) };
      functions.push({
        $typeName: 'perftools.profiles.Function',
        id: BigInt(info.id),
        name: st.id(name),
        // The linker name where mangled-names.ts finds it (functions nm named); names from
        // addr2line alone (inlined frames) arrive demangled with no way back, so those say their
        // full name here too, as pprof's own symbolizer does when it has no linker name.
        systemName: st.id(input.mangledName?.(f) ?? name),
        filename: st.id(f.filename),
        jeprofFullName: f.systemName === name ? 0n : st.id(f.systemName),
        jeprofShortName: f.name === shortFunctionName(f.systemName) ? 0n : st.id(f.name),
        startLine: 0n,
      });
      funcs.set(f, info);
    }
    return info;
  };

  const locations: PprofLocation[] = new Array(input.locations.length);

  for (let i = 0; i < input.locations.length; i++) {
    const loc = input.locations[i];
    // Samples refer to PCs by their table id: the table's order is the ids' order.
    if (loc.id !== i + 1) throw new Error(`location ${loc.id} at position ${i}: not in table order`);
    const lines: PprofLine[] = [];
    // Ours are outermost first; pprof's Line list is innermost first.
    for (let j = loc.lines.length - 1; j >= 0; j--) {
      const l = loc.lines[j];
      const f = funcOf(l.func);
      const canonical = f.prefix + l.line;
      lines.push({ $typeName: 'perftools.profiles.CompactLine', functionId: f.id, line: l.line, column: 0, jeprofFileLine: l.fileLine === canonical ? 0 : st.index(l.fileLine) });
    }
    // Plain objects with every field, not create(): create() took 1.1 to 1.3 µs a message here,
    // a literal 0.35 (20,000 locations, cold), and a large export has as many stacks and PCs.
    locations[i] = {
      $typeName: 'perftools.profiles.CompactLocation',
      id: BigInt(loc.id),
      mappingId: loc.mapping ? (mappings.ids.get(loc.mapping) ?? 0) : 0,
      address: loc.address,
      line: lines,
      jeprofText: loc.text === undefined ? 0 : st.index(loc.text),
      isFolded: false,
    };
  }

  const samples: PprofSample[] = [];
  const threadKey = st.id('thread');
  for (const r of input.reports) {
    const label = r.thread === undefined ? [] : [threadLabel(threadKey, r.thread, st)];
    for (const s of r.stacks) {
      // The writer reads ids by index: the stack's own Int32Array serves (CompactSample's ids are uint32).
      const ids = s.locationIds as number[];
      const value = s.values.map(roundValue);
      // The exact doubles only where the integers are not them: a dump taken with
      // lg_prof_sample:0 has whole numbers, which then cost nothing more.
      const exact = s.values.every((v) => Number.isSafeInteger(v) && !Object.is(v, -0));
      samples.push({ $typeName: 'perftools.profiles.CompactSample', locationId: ids, value, label, jeprofValue: exact ? [] : s.values });
    }
    p.jeprofTotal.push(create(JeprofTotalSchema, { thread: st.id(r.thread ?? ''), value: [...r.totals] }));
  }

  p.sample = samples;
  p.location = locations;
  p.mapping = mappings.list(input, locations, st);
  p.function = functions;
  p.comment = input.comments.map((c) => st.id(c));
  p.stringTable = st.strings;
  return p;
}

/** `thread` as a numeric label (jemalloc's thread uids are numbers); text only if one is not. */
function threadLabel(key: bigint, thread: string, st: StringTable) {
  return /^\d+$/.test(thread) ? create(LabelSchema, { key, num: BigInt(thread) }) : create(LabelSchema, { key, str: st.id(thread) });
}

/** Mapping ids: the program's first, then the others by address; and the messages, once the locations say what each holds. */
function mappingIds(input: ExportInput) {
  const found = new Set<Mapping>();
  for (const loc of input.locations) if (loc.mapping) found.add(loc.mapping);
  const ordered = [...found].sort((a, b) => (a === input.mainMapping ? -1 : b === input.mainMapping ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const ids = new Map(ordered.map((m, i) => [m, i + 1]));
  const list = (input: ExportInput, locations: readonly PprofLocation[], strings: StringTable): PprofMapping[] => {
    const st = { fn: new Set<number>(), file: new Set<number>(), line: new Set<number>(), inline: new Set<number>() };
    for (let i = 0; i < input.locations.length; i++) {
      const loc = input.locations[i];
      const id = locations[i].mappingId;
      if (id === 0) continue;
      if (loc.lines.length > 1) st.inline.add(id);
      for (const l of loc.lines) {
        if (l.func.systemName !== '??' && l.func.systemName !== '') st.fn.add(id);
        if (l.func.filename !== '' && l.func.filename !== '??') st.file.add(id);
        if (l.line > 0) st.line.add(id);
      }
    }
    return ordered.map((m, i) => {
      const id = i + 1;
      return create(MappingSchema, {
        id: BigInt(id),
        memoryStart: m.start,
        // pprof's limit is the first byte past the mapping. Ours is the end /proc/self/maps
        // printed, which is that byte too: jeprof only compares PCs with it as if it were the last
        // (an address there is in no instruction of the mapping), so the number passes unchanged,
        // as Go's runtime writes the same maps line.
        memoryLimit: m.limit,
        fileOffset: m.offset,
        filename: strings.id(m.file),
        buildId: strings.id(input.buildId(m) ?? ''),
        hasFunctions: st.fn.has(id),
        hasFilenames: st.file.has(id),
        hasLineNumbers: st.line.has(id),
        hasInlineFrames: st.inline.has(id),
      });
    });
  };
  return { ids, list };
}
