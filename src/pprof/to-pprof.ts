// Writes jeprof-ts's model as an encoded pprof message (profile.proto): what go tool pprof, Pyroscope
// and Parca read, plus jeprof-ts's own fields (1000 and up) so that reading it back is exact.
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { Func, Location, Mapping, SampleType } from '../model/profile.js';
import { shortFunctionName } from '../symbolize/short-name.js';
import { FUNCTION, LABEL, LINE, LOCATION, MAPPING, PROFILE, SAMPLE, TOTAL, VALUE_TYPE } from './fields.js';
import { StringTable } from './string-table.js';

/**
 * A report's stacks, column by column: stack k is the Location ids (the run's table)
 * ids[starts[k] .. ends[k]), leaf first, with the exact values values[k * types .. k * types + types).
 */
export interface ExportStacks {
  count: number;
  ids: ArrayLike<number>;
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
  /** `values[k * types + t]` is described by ExportInput.sampleTypes[t]. */
  values: ArrayLike<number>;
}

/** One report of the run (all threads, or one jemalloc thread with --thread): its stacks with all four values. */
export interface ExportReport {
  thread?: string;
  stacks: ExportStacks;
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

/** Stacks given as lists (filtered reports, tests) in ExportStacks' columns. */
export function exportStacksOf(list: readonly { locationIds: readonly number[]; values: readonly number[] }[], types: number): ExportStacks {
  const ids: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const values: number[] = [];
  for (const s of list) {
    if (s.values.length !== types) throw new Error(`a stack has ${s.values.length} values for ${types} sample types`);
    starts.push(ids.length);
    ids.push(...s.locationIds);
    ends.push(ids.length);
    values.push(...s.values);
  }
  return { count: list.length, ids, starts, ends, values };
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

const LEN = WireType.LengthDelimited;
const VARINT = WireType.Varint;
// Numbers below 2^31 in int64 and uint64 fields (string indexes, ids counted from 1, most values)
// go through the library's int32 and uint32 writers: they make the very varint int64 and uint64
// make of such a value (a negative int32 is ten bytes, as an int64), without making a BigInt:
// 100,000 values cold took int64 0.28 us each from a number, 0.55 us from a BigInt, int32 0.15 us
// (CompactProfile's 32-bit fields rest on the same equivalence, see profile.proto).
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The encoded Profile message of `input`. Written field by field with @bufbuild/protobuf's
 * BinaryWriter, without message objects: building them took as long as encoding them (70 and 85 ms
 * for the 24,000-stack bench profile), and they were garbage right after. Fields are written in
 * field-number order and, as the library's encoder does, scalars only when not zero and repeated
 * numbers packed. Strings are numbered as met; the table (field 6) follows the messages that name
 * them, and the fields after it use strings numbered first.
 */
export function toPprof(input: ExportInput): Uint8Array {
  return Buffer.concat([...pprofPieces(input)]);
}

/**
 * The samples' frames between two pieces of pprofPieces: a piece of about 1 MB, which gzip
 * compresses as well alone (its window is 32 KB) and which is garbage once compressed.
 */
export const PIECE_FRAMES = 1 << 18;

/**
 * toPprof's bytes in pieces, in order: cut between two samples after every `pieceFrames` frames
 * or so (a Profile is its fields one after the other, so the pieces' concatenation is the whole
 * encoding, byte for byte). A 1 GB dump's export was 250 MB of protobuf held whole, then copied
 * whole, then gzipped whole: 800 MiB at its peak.
 */
export function* pprofPieces(input: ExportInput, pieceFrames = PIECE_FRAMES): Generator<Uint8Array> {
  const st = new StringTable();
  const w = new BinaryWriter();
  const sampleTypes = input.sampleTypes.map((t) => [st.index(t.type), st.index(t.unit)] as const);
  const defaultSampleType = st.index(input.defaultSampleType);
  const periodType = [st.index('space'), st.index('bytes')] as const;
  const kind = st.index(input.kind);
  const program = st.index(input.program);
  const threadKey = st.index('thread');
  const comments = input.comments.map((c) => st.index(c));
  const totals = input.reports.map((r) => ({ thread: st.index(r.thread ?? ''), value: r.totals }));

  for (const [type, unit] of sampleTypes) valueType(w.tag(PROFILE.sampleType, LEN), type, unit);
  for (const r of input.reports) yield* writeSamples(w, r, input.sampleTypes.length, r.thread === undefined ? undefined : threadLabel(threadKey, r.thread, st), pieceFrames);
  const mappings = mappingIds(input);
  writeMappings(w, input, mappings, st);
  const functions = writeLocations(w, input, mappings.ids, st);
  writeFunctions(w, functions, input.mangledName, st);
  // Every string is numbered by now.
  for (const s of st.strings) w.tag(PROFILE.stringTable, LEN).string(s);
  if (input.timeNanos !== 0n) w.tag(PROFILE.timeNanos, VARINT).int64(input.timeNanos);
  valueType(w.tag(PROFILE.periodType, LEN), periodType[0], periodType[1]);
  const period = roundValue(input.period);
  if (period !== 0n) w.tag(PROFILE.period, VARINT).int64(period);
  if (comments.length > 0) {
    w.tag(PROFILE.comment, LEN).fork();
    for (const c of comments) w.int32(c);
    w.join();
  }
  if (defaultSampleType !== 0) w.tag(PROFILE.defaultSampleType, VARINT).int32(defaultSampleType);
  w.tag(PROFILE.jeprofKind, VARINT).int32(kind);
  if (program !== 0) w.tag(PROFILE.jeprofProgram, VARINT).int32(program);
  for (const t of totals) {
    w.tag(PROFILE.jeprofTotal, LEN).fork();
    if (t.thread !== 0) w.tag(TOTAL.thread, VARINT).int32(t.thread);
    if (t.value.length > 0) {
      w.tag(TOTAL.value, LEN).fork();
      for (const v of t.value) w.double(v);
      w.join();
    }
    w.join();
  }
  yield w.finish();
}

function valueType(w: BinaryWriter, type: number, unit: number): void {
  w.fork();
  if (type !== 0) w.tag(VALUE_TYPE.type, VARINT).int32(type);
  if (unit !== 0) w.tag(VALUE_TYPE.unit, VARINT).int32(unit);
  w.join();
}

/** A `thread` Label: numeric (jemalloc's thread uids are numbers), text only if one is not. */
interface ThreadLabel {
  key: number;
  num?: bigint;
  str?: number;
}

function threadLabel(key: number, thread: string, st: StringTable): ThreadLabel {
  return /^\d+$/.test(thread) ? { key, num: BigInt(thread) } : { key, str: st.index(thread) };
}

/** Writes the report's samples, yielding the bytes so far (finish() empties the writer) every `pieceFrames` frames. */
function* writeSamples(w: BinaryWriter, r: ExportReport, types: number, label: ThreadLabel | undefined, pieceFrames: number): Generator<Uint8Array> {
  const { ids, starts, ends, values } = r.stacks;
  let frames = 0;
  for (let k = 0; k < r.stacks.count; k++) {
    // Between two samples the writer has no message open: its bytes so far are a whole piece.
    if (frames >= pieceFrames) {
      yield w.finish();
      frames = 0;
    }
    w.tag(PROFILE.sample, LEN).fork();
    const from = starts[k];
    const to = ends[k];
    frames += to - from;
    if (to > from) {
      w.tag(SAMPLE.locationId, LEN).fork();
      for (let i = from; i < to; i++) w.uint32(ids[i]);
      w.join();
    }
    const v0 = k * types;
    // The exact doubles only where the integers are not them: a dump taken with
    // lg_prof_sample:0 has whole numbers, which then cost nothing more.
    let exact = true;
    if (types > 0) {
      w.tag(SAMPLE.value, LEN).fork();
      for (let t = 0; t < types; t++) {
        const v = values[v0 + t];
        if (!Number.isSafeInteger(v) || Object.is(v, -0)) exact = false;
        const rounded = v < 0 ? -Math.round(-v) : Math.round(v);
        if (rounded >= INT32_MIN && rounded <= INT32_MAX) w.int32(rounded);
        else w.int64(roundValue(v));
      }
      w.join();
    }
    if (label) {
      w.tag(SAMPLE.label, LEN).fork();
      w.tag(LABEL.key, VARINT).int32(label.key);
      if (label.str !== undefined && label.str !== 0) w.tag(LABEL.str, VARINT).int32(label.str);
      if (label.num !== undefined && label.num !== 0n) w.tag(LABEL.num, VARINT).int64(label.num);
      w.join();
    }
    if (!exact) {
      w.tag(SAMPLE.jeprofValue, LEN).fork();
      for (let t = 0; t < types; t++) w.double(values[v0 + t]);
      w.join();
    }
    w.join();
  }
}

/** Per function met: its id, and the start of the file:line text a reader would make of its lines. */
type FunctionIds = Map<Func, { id: number; prefix: string }>;

function writeLocations(w: BinaryWriter, input: ExportInput, mappingIds: Map<Mapping, number>, st: StringTable): FunctionIds {
  const funcs: FunctionIds = new Map();
  for (let i = 0; i < input.locations.length; i++) {
    const loc = input.locations[i];
    // Samples refer to PCs by their table id: the table's order is the ids' order.
    if (loc.id !== i + 1) throw new Error(`location ${loc.id} at position ${i}: not in table order`);
    w.tag(PROFILE.location, LEN).fork();
    w.tag(LOCATION.id, VARINT).uint32(loc.id);
    const mappingId = loc.mapping ? (mappingIds.get(loc.mapping) ?? 0) : 0;
    if (mappingId !== 0) w.tag(LOCATION.mappingId, VARINT).uint32(mappingId);
    if (loc.address !== 0n) w.tag(LOCATION.address, VARINT).uint64(loc.address);
    // Ours are outermost first; pprof's Line list is innermost first.
    for (let j = loc.lines.length - 1; j >= 0; j--) {
      const l = loc.lines[j];
      let f = funcs.get(l.func);
      if (!f) {
        f = { id: funcs.size + 1, prefix: canonicalFileLine(l.func.filename, 0).slice(0, -1) };
        funcs.set(l.func, f);
      }
      w.tag(LOCATION.line, LEN).fork();
      w.tag(LINE.functionId, VARINT).uint32(f.id);
      if (l.line !== 0) w.tag(LINE.line, VARINT).int32(l.line);
      if (!isCanonical(l.fileLine, f.prefix, l.line)) w.tag(LINE.jeprofFileLine, VARINT).uint32(st.index(l.fileLine));
      w.join();
    }
    if (loc.text !== undefined) {
      const text = st.index(loc.text);
      if (text !== 0) w.tag(LOCATION.jeprofText, VARINT).uint32(text);
    }
    w.join();
  }
  return funcs;
}

/**
 * Whether `fileLine` is `prefix + line`, the text a reader makes (canonicalFileLine), compared in
 * place: making that string for each of 20,000 lines to compare it cost some 8 ms.
 */
function isCanonical(fileLine: string, prefix: string, line: number): boolean {
  if (!(line >= 0 && Number.isSafeInteger(line))) return fileLine === prefix + line;
  if (!fileLine.startsWith(prefix)) return false;
  // The digits of `line` from the last: they must fill the rest of fileLine exactly.
  let i = fileLine.length - 1;
  let n = line;
  do {
    if (i < prefix.length || fileLine.charCodeAt(i) !== 48 + (n % 10)) return false;
    n = Math.floor(n / 10);
    i--;
  } while (n > 0);
  return i === prefix.length - 1;
}

function writeFunctions(w: BinaryWriter, funcs: FunctionIds, mangledName: ExportInput['mangledName'], st: StringTable): void {
  for (const [f, { id }] of funcs) {
    const name = pprofFunctionName(f.systemName);
    const nameId = st.index(name);
    // The linker name where mangled-names.ts finds it (functions nm named); names from addr2line
    // alone (inlined frames) arrive demangled with no way back, so those say their full name here
    // too, as pprof's own symbolizer does when it has no linker name.
    const systemName = st.index(mangledName?.(f) ?? name);
    const filename = st.index(f.filename);
    const full = f.systemName === name ? 0 : st.index(f.systemName);
    const short = f.name === shortFunctionName(f.systemName) ? 0 : st.index(f.name);
    w.tag(PROFILE.function, LEN).fork();
    w.tag(FUNCTION.id, VARINT).uint32(id);
    if (nameId !== 0) w.tag(FUNCTION.name, VARINT).int32(nameId);
    if (systemName !== 0) w.tag(FUNCTION.systemName, VARINT).int32(systemName);
    if (filename !== 0) w.tag(FUNCTION.filename, VARINT).int32(filename);
    if (full !== 0) w.tag(FUNCTION.jeprofFullName, VARINT).int32(full);
    if (short !== 0) w.tag(FUNCTION.jeprofShortName, VARINT).int32(short);
    w.join();
  }
}

/** Mapping ids: the program's first, then the others by address. */
function mappingIds(input: ExportInput) {
  const found = new Set<Mapping>();
  for (const loc of input.locations) if (loc.mapping) found.add(loc.mapping);
  const ordered = [...found].sort((a, b) => (a === input.mainMapping ? -1 : b === input.mainMapping ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { ordered, ids: new Map(ordered.map((m, i) => [m, i + 1])) };
}

/** The Mapping messages, each saying truthfully what its locations hold. */
function writeMappings(w: BinaryWriter, input: ExportInput, mappings: ReturnType<typeof mappingIds>, strings: StringTable): void {
  const has = { fn: new Set<Mapping>(), file: new Set<Mapping>(), line: new Set<Mapping>(), inline: new Set<Mapping>() };
  for (const loc of input.locations) {
    const m = loc.mapping;
    if (!m) continue;
    if (loc.lines.length > 1) has.inline.add(m);
    for (const l of loc.lines) {
      if (l.func.systemName !== '??' && l.func.systemName !== '') has.fn.add(m);
      if (l.func.filename !== '' && l.func.filename !== '??') has.file.add(m);
      if (l.line > 0) has.line.add(m);
    }
  }
  mappings.ordered.forEach((m, i) => {
    const filename = strings.index(m.file);
    const buildId = strings.index(input.buildId(m) ?? '');
    w.tag(PROFILE.mapping, LEN).fork();
    w.tag(MAPPING.id, VARINT).uint32(i + 1);
    if (m.start !== 0n) w.tag(MAPPING.memoryStart, VARINT).uint64(m.start);
    // pprof's limit is the first byte past the mapping. Ours is the end /proc/self/maps
    // printed, which is that byte too: jeprof only compares PCs with it as if it were the last
    // (an address there is in no instruction of the mapping), so the number passes unchanged,
    // as Go's runtime writes the same maps line.
    if (m.limit !== 0n) w.tag(MAPPING.memoryLimit, VARINT).uint64(m.limit);
    if (m.offset !== 0n) w.tag(MAPPING.fileOffset, VARINT).uint64(m.offset);
    if (filename !== 0) w.tag(MAPPING.filename, VARINT).int32(filename);
    if (buildId !== 0) w.tag(MAPPING.buildId, VARINT).int32(buildId);
    if (has.fn.has(m)) w.tag(MAPPING.hasFunctions, VARINT).bool(true);
    if (has.file.has(m)) w.tag(MAPPING.hasFilenames, VARINT).bool(true);
    if (has.line.has(m)) w.tag(MAPPING.hasLineNumbers, VARINT).bool(true);
    if (has.inline.has(m)) w.tag(MAPPING.hasInlineFrames, VARINT).bool(true);
    w.join();
  });
}
