// Reads a pprof file into jeprof-ts's model: Go's runtime/pprof heap profiles, jemalloc_pprof's
// output, and jeprof-ts's own export, whose extra fields (1000 and up) make the reading exact.
// Decoded straight into the model with @bufbuild/protobuf's BinaryReader: no message objects.
import { WireType, type BinaryReader } from '@bufbuild/protobuf/wire';
import { JeprofError, ProfileFormatError } from '../model/errors.js';
import type { LocationTable } from '../model/locations.js';
import { THREAD_LABEL, type Func, type Line, type Location, type Mapping, type Profile, type Sample } from '../model/profile.js';
import type { HeapFile } from '../parse/types.js';
import { shortFunctionName } from '../symbolize/short-name.js';
import { IntSequenceTable } from '../model/interner.js';
import { PooledSample, SampleOrigin, StackStore } from '../model/stack-store.js';
import { FUNCTION, LABEL, LINE, LOCATION, MAPPING, SAMPLE } from './fields.js';
import { gunzipPprof } from './gzip.js';
import { checkHeapProfile } from './heap-check.js';
import { idKey, limit, readId, readNumber, repeated, scanProfile, signed, uint64, varintFields, type ProfileScan } from './profile-scan.js';
import { canonicalFileLine } from './to-pprof.js';

export interface PprofFile {
  heap: HeapFile;
  /** Written by jeprof-ts (its jeprof_kind field is set): names and values are final and exact. */
  ours: boolean;
  /** The profile's default sample type, if it names one. */
  defaultSampleType?: string;
  /** jeprof-ts's exact Total per report (thread uid, '' for all threads), per sample type. */
  totals?: Map<string, number[]>;
  /** The program name jeprof-ts's export recorded. */
  program?: string;
  /** PCs with no name whose mapping has none either: these need symbolizing here. */
  unnamed: Location[];
}

export interface ReadOptions {
  /** Keep samples with a `thread` label (only --thread reports them), as the dump parser does. */
  threadRows: boolean;
}

/**
 * Samples, locations, functions and mappings of a pprof file (gzipped or not) as model objects;
 * PCs go into `table`, so several profiles (and a --base) share one Location per address, as
 * dumps do. A damaged file throws one ProfileFormatError naming it.
 */
export function readPprof(bytes: Uint8Array, name: string, table: LocationTable, opts: ReadOptions): PprofFile {
  const raw = gunzipPprof(bytes, name);
  try {
    return new PprofReader(scanProfile(raw), name).read(table, opts);
  } catch (e) {
    // The reader's own findings and the heap check say what they mean; anything the protobuf
    // reader threw (a field past the end, a bad varint) is damage.
    if (e instanceof JeprofError) throw e;
    throw new ProfileFormatError(name, 0, `damaged pprof profile: ${(e as Error).message}`);
  }
}

const LEN = WireType.LengthDelimited;

class PprofReader {
  private readonly r: BinaryReader;
  private readonly strings: string[];
  private readonly ours: boolean;

  constructor(
    private readonly scan: ProfileScan,
    private readonly name: string,
  ) {
    this.r = scan.reader;
    this.strings = scan.strings;
    this.ours = scan.jeprofKind !== 0n;
  }

  private bad(detail: string): never {
    throw new ProfileFormatError(this.name, 0, `damaged pprof profile: ${detail}`);
  }

  private str(i: bigint | number, what: string): string {
    const n = Number(i);
    if (!(n >= 0 && n < this.strings.length)) this.bad(`${what} names string ${i}, past the table's ${this.strings.length}`);
    return this.strings[n];
  }

  read(table: LocationTable, opts: ReadOptions): PprofFile {
    const scan = this.scan;
    const strings = this.strings;
    if (strings.length > 0 && strings[0] !== '') this.bad('string_table[0] is not ""');
    const sampleTypes = scan.sampleTypes.map((t) => ({ type: this.str(t.type, 'a sample type'), unit: this.str(t.unit, 'a sample unit') }));
    checkHeapProfile(this.name, sampleTypes, scan.periodType && this.str(scan.periodType.type, 'period_type'));
    const mappings = this.mappings();
    const funcs = this.functions();
    const locs = this.locations(table, mappings, funcs);
    const samples = this.samples(table, locs.index, sampleTypes.length, opts);
    const ours = this.ours;
    const totals = ours ? new Map(scan.totals.map((t) => [this.str(t.thread, 'a total'), t.value])) : undefined;
    const profile: Profile = {
      sampleTypes,
      defaultSampleType: this.str(scan.defaultSampleType, 'default_sample_type'),
      period: Number(scan.period),
      samples,
      locations: locs.used,
      funcs: [...funcs.values()],
      mappings: [...mappings.values()].map((x) => x.m),
      comments: scan.comments.map((c) => this.str(c, 'a comment')),
    };
    const kind = ours && this.str(scan.jeprofKind, 'jeprof_kind') === 'growth' ? 'growth' : 'heap';
    return {
      heap: { file: this.name, kind, profile, mapText: '', notices: [], warnings: [], maxAddress: locs.maxAddress },
      ours,
      defaultSampleType: profile.defaultSampleType || undefined,
      totals,
      program: ours && scan.jeprofProgram !== 0n ? this.str(scan.jeprofProgram, 'jeprof_program') : undefined,
      unnamed: locs.unnamed,
    };
  }

  private mappings(): Map<number | bigint, { m: Mapping; hasFunctions: boolean }> {
    const out = new Map<number | bigint, { m: Mapping; hasFunctions: boolean }>();
    const spans = this.scan.mappings;
    for (let k = 0; k < spans.length; k += 2) {
      const f = varintFields(this.r, spans[k], spans[k + 1]);
      const id = f.get(MAPPING.id) ?? 0n;
      if (id === 0n || out.has(idKey(id))) this.bad(`mapping id ${id} is 0 or repeated`);
      // Numbered 1..n here, whatever the file's ids (pprof allows any up to 2^64).
      const m: Mapping = {
        id: out.size + 1,
        start: f.get(MAPPING.memoryStart) ?? 0n,
        // The same number as /proc/self/maps's end, which the dump reader keeps (see to-pprof.ts).
        limit: f.get(MAPPING.memoryLimit) ?? 0n,
        offset: f.get(MAPPING.fileOffset) ?? 0n,
        file: this.str(signed(f, MAPPING.filename), 'a mapping'),
        buildId: this.str(signed(f, MAPPING.buildId), 'a mapping') || undefined,
      };
      out.set(idKey(id), { m, hasFunctions: (f.get(MAPPING.hasFunctions) ?? 0n) !== 0n });
    }
    return out;
  }

  private functions(): Map<number | bigint, Func> {
    const r = this.r;
    const out = new Map<number | bigint, Func>();
    const spans = this.scan.functions;
    for (let k = 0; k < spans.length; k += 2) {
      r.pos = spans[k];
      const end = spans[k + 1];
      // Read inline, not through varintFields: thousands of functions, each a Map and six BigInts.
      let id: number | bigint = 0;
      let name = 0;
      let systemName = 0;
      let filename = 0;
      let fullName = 0;
      let shortName = 0;
      while (r.pos < end) {
        const [no, wt] = r.tag();
        if (wt !== WireType.Varint) r.skip(wt, no);
        else if (no === FUNCTION.id) id = readId(r);
        else if (no === FUNCTION.name) name = readNumber(r);
        else if (no === FUNCTION.systemName) systemName = readNumber(r);
        else if (no === FUNCTION.filename) filename = readNumber(r);
        else if (no === FUNCTION.jeprofFullName) fullName = readNumber(r);
        else if (no === FUNCTION.jeprofShortName) shortName = readNumber(r);
        else r.skip(wt, no);
      }
      if (id === 0 || out.has(id)) this.bad(`function id ${id} is 0 or repeated`);
      const given = this.str(name, 'a function') || this.str(systemName, 'a function') || '??';
      const full = this.ours && fullName !== 0 ? this.str(fullName, 'a function') : given;
      let short: string;
      if (this.ours) short = shortName !== 0 ? this.str(shortName, 'a function') : shortFunctionName(full);
      else short = foreignShortName(full);
      out.set(id, { id: out.size + 1, name: short, systemName: full, filename: this.str(filename, 'a function') });
    }
    return out;
  }

  private locations(table: LocationTable, mappings: Map<number | bigint, { m: Mapping; hasFunctions: boolean }>, funcs: Map<number | bigint, Func>) {
    const r = this.r;
    const spans = this.scan.locations;
    const fileIds: (number | bigint)[] = [];
    const tableIds: number[] = [];
    const unnamed: Location[] = [];
    const used = new Set<Location>();
    // The current location's Line fields, in file order (innermost first), reused from one to the next.
    const lineFunc: (number | bigint)[] = [];
    const lineNo: number[] = [];
    const lineText: number[] = [];
    let maxAddress = 0n;
    for (let k = 0; k < spans.length; k += 2) {
      r.pos = spans[k];
      const end = spans[k + 1];
      let id: number | bigint = 0;
      let mappingId: number | bigint = 0;
      let address = 0n;
      let text = 0;
      let lines = 0;
      while (r.pos < end) {
        const [no, wt] = r.tag();
        if (no === LOCATION.line && wt === WireType.LengthDelimited) {
          const lineEnd = limit(r);
          lineFunc[lines] = 0;
          lineNo[lines] = 0;
          lineText[lines] = 0;
          while (r.pos < lineEnd) {
            const [n, t] = r.tag();
            if (t !== WireType.Varint) r.skip(t, n);
            else if (n === LINE.functionId) lineFunc[lines] = readId(r);
            else if (n === LINE.line) lineNo[lines] = readNumber(r);
            else if (n === LINE.jeprofFileLine) lineText[lines] = readNumber(r);
            else r.skip(t, n);
          }
          lines++;
        } else if (wt !== WireType.Varint) r.skip(wt, no);
        else if (no === LOCATION.id) id = readId(r);
        else if (no === LOCATION.mappingId) mappingId = readId(r);
        else if (no === LOCATION.address) address = uint64(r);
        else if (no === LOCATION.jeprofText) text = readNumber(r);
        else r.skip(wt, no);
      }
      if (id === 0) this.bad(`location id ${id} is 0 or repeated`);
      const loc = text !== 0 ? table.getCased(address, this.str(text, 'a location')) : table.get(address);
      const mapping = mappingId === 0 ? undefined : mappings.get(mappingId);
      if (mappingId !== 0 && !mapping) this.bad(`location ${id} names mapping ${mappingId}, which is not there`);
      if (address > maxAddress) maxAddress = address;
      fileIds.push(id);
      tableIds.push(loc.id);
      used.add(loc);
      // The first profile that names a PC names it (several files of one program agree).
      if (loc.lines.length > 0 || loc.mapping) continue;
      loc.mapping = mapping?.m;
      if (lines === 0) {
        if (!this.ours && mapping && !mapping.hasFunctions) unnamed.push(loc);
        continue;
      }
      // pprof's Line list is innermost first; ours is outermost first.
      const list: Line[] = new Array(lines);
      for (let j = 0; j < lines; j++) {
        const func = funcs.get(lineFunc[j]) ?? this.bad(`location ${id} names function ${lineFunc[j]}, which is not there`);
        const line = lineNo[j];
        list[lines - 1 - j] = { func, line, fileLine: lineText[j] !== 0 ? this.str(lineText[j], 'a line') : canonicalFileLine(func.filename, line) };
      }
      loc.lines = list;
    }
    return { index: this.locationIndex(fileIds, tableIds), used: [...used], unnamed, maxAddress };
  }

  /** File location id -> table id: an array when the ids are small (as every writer makes them), else a map. */
  private locationIndex(fileIds: readonly (number | bigint)[], tableIds: readonly number[]): LocationIndex {
    let max = 0;
    let dense = true;
    for (const id of fileIds) {
      if (typeof id === 'bigint') dense = false;
      else if (id > max) max = id;
    }
    dense &&= max <= 4 * fileIds.length + 1024;
    const byId = new Int32Array(dense ? max + 1 : 0);
    const sparse = new Map<number | bigint, number>();
    for (let i = 0; i < fileIds.length; i++) {
      const id = fileIds[i];
      if (dense ? byId[id as number] !== 0 : sparse.has(id)) this.bad(`location id ${id} is 0 or repeated`);
      if (dense) byId[id as number] = tableIds[i];
      else sparse.set(id, tableIds[i]);
    }
    return { byId, max: dense ? max : -1, sparse };
  }

  private samples(table: LocationTable, index: LocationIndex, types: number, opts: ReadOptions): Sample[] {
    const r = this.r;
    const spans = this.scan.samples;
    // Stacks are kept as a dump's are (model/stack-store.ts): table ids in one array, so the
    // analysis reads them in place, as fast as a dump's.
    const threadKey = BigInt(this.strings.indexOf(THREAD_LABEL));
    const stacks = new IntSequenceTable(spans.length / 2, 4096);
    const store = new StackStore(stacks, table);
    let scratch = new Int32Array(64);
    let origin: SampleOrigin | undefined;
    const out: Sample[] = [];
    for (let k = 0; k < spans.length; k += 2) {
      r.pos = spans[k];
      const end = spans[k + 1];
      let n = 0;
      let value: number[] = [];
      let exact: number[] = [];
      let labels = NO_LABELS;
      while (r.pos < end) {
        const [no, wt] = r.tag();
        if (no === SAMPLE.locationId) {
          // Inline rather than through repeated(): a million ids in a big profile.
          if (wt === LEN) {
            const stop = limit(r);
            while (r.pos < stop) {
              if (n === scratch.length) scratch = grown(scratch);
              scratch[n++] = this.locationRef(index);
            }
          } else {
            if (n === scratch.length) scratch = grown(scratch);
            scratch[n++] = this.locationRef(index);
          }
        } else if (no === SAMPLE.value) repeated(r, wt, () => value.push(readNumber(r)));
        else if (no === SAMPLE.jeprofValue) repeated(r, wt, () => exact.push(r.double()));
        else if (no === SAMPLE.label) {
          const thread = this.threadOf(limit(r), threadKey);
          if (thread !== undefined) labels = new Map([[THREAD_LABEL, thread]]);
        } else r.skip(wt, no);
      }
      if (value.length !== types) this.bad(`a sample has ${value.length} values for ${types} sample types`);
      if (!opts.threadRows && labels.has(THREAD_LABEL)) continue;
      // jeprof-ts's exact doubles when it wrote them; pprof's int64 values otherwise.
      if (exact.length === types) value = exact;
      else exact = [];
      // Appended, not interned: equal stacks are added up later by stack (merge, trimming) anyway.
      // One origin per labels map: samples without a thread share theirs.
      if (origin?.labels !== labels) origin = new SampleOrigin(store, labels, undefined);
      out.push(new PooledSample(origin, stacks.append(scratch, n), value));
    }
    return out;
  }

  /** A sample's next location id as a table id; one that names no location is damage. */
  private locationRef(index: LocationIndex): number {
    const r = this.r;
    const at = r.pos;
    // The usual case: a small id, read as 32 bits (no BigInt) when its varint has at most 4 bytes.
    const id = r.uint32();
    if (id <= index.max && r.pos - at <= 4) {
      const t = index.byId[id];
      if (t !== 0) return t;
    }
    r.pos = at;
    const big = uint64(r);
    const t = big <= BigInt(index.max) ? index.byId[Number(big)] : index.sparse.get(idKey(big));
    if (!t) this.bad(`a sample names location ${big}, which is not there`);
    return t;
  }

  /** The `thread` label's value, when the Label ending at `end` is one. */
  private threadOf(end: number, threadKey: bigint): string | undefined {
    const f = varintFields(this.r, this.r.pos, end);
    if (threadKey <= 0n || signed(f, LABEL.key) !== threadKey) return undefined;
    const str = signed(f, LABEL.str);
    return str !== 0n ? this.str(str, 'a label') : String(signed(f, LABEL.num));
  }
}

interface LocationIndex {
  /** Table id by file id, up to `max`; 0 where none. */
  byId: Int32Array;
  /** The largest id `byId` covers: -1 when the ids are too large for an array. */
  max: number;
  /** Table id by file id (as idKey gives it) when they are. */
  sparse: Map<number | bigint, number>;
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Samples without labels share one map (nothing adds labels to a read sample). */
const NO_LABELS = new Map<string, string>();

/**
 * jeprof's short name (argument lists, template arguments and the return type dropped) is for C++
 * and Rust names, which have `::` or end in an argument list. Go's names (`sync.(*Once).doSlow`,
 * `main.main.func1`) keep theirs whole: shortening would make `sync..doSlow` of a method.
 */
export function foreignShortName(full: string): string {
  return full.includes('::') || /\)(\s*const)?$/.test(full) ? shortFunctionName(full) : full;
}
