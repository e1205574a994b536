// Reads a pprof message into jeprof-ts's model: Go's runtime/pprof heap profiles, jemalloc_pprof's
// output, and jeprof-ts's own export, whose extra fields (1000 and up) make the reading exact.
import { ProfileFormatError } from '../model/errors.js';
import type { LocationTable } from '../model/locations.js';
import { THREAD_LABEL, type Func, type Line, type Location, type Mapping, type Profile, type Sample } from '../model/profile.js';
import type { HeapFile } from '../parse/types.js';
import { shortFunctionName } from '../symbolize/short-name.js';
import { IntSequenceTable } from '../model/interner.js';
import { PooledSample, StackStore } from '../model/stack-store.js';
import type { PprofProfile } from './codec.js';
import { checkHeapProfile } from './heap-check.js';
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
 * Samples, locations, functions and mappings of `msg` as model objects; PCs go into `table`, so
 * several profiles (and a --base) share one Location per address, as dumps do.
 */
export function readPprof(msg: PprofProfile, name: string, table: LocationTable, opts: ReadOptions): PprofFile {
  const bad = (detail: string): never => {
    throw new ProfileFormatError(name, 0, `damaged pprof profile: ${detail}`);
  };
  const strings = msg.stringTable;
  if (strings.length > 0 && strings[0] !== '') bad('string_table[0] is not ""');
  const str = (i: bigint | number, what: string): string => {
    const n = Number(i);
    if (!(n >= 0 && n < strings.length)) bad(`${what} names string ${i}, past the table's ${strings.length}`);
    return strings[n];
  };
  const sampleTypes = msg.sampleType.map((t) => ({ type: str(t.type, 'a sample type'), unit: str(t.unit, 'a sample unit') }));
  checkHeapProfile(name, sampleTypes, msg.periodType && str(msg.periodType.type, 'period_type'));
  const ours = msg.jeprofKind !== 0n;

  // Ids are below 2^32 here (codec.ts numbers larger ones anew): numbers as keys.
  const mappings = new Map<number, { m: Mapping; hasFunctions: boolean }>();
  for (const pm of msg.mapping) {
    if (pm.id === 0n || mappings.has(Number(pm.id))) bad(`mapping id ${pm.id} is 0 or repeated`);
    const m: Mapping = {
      id: Number(pm.id),
      start: pm.memoryStart,
      // The same number as /proc/self/maps's end, which the dump reader keeps (see to-pprof.ts).
      limit: pm.memoryLimit,
      offset: pm.fileOffset,
      file: str(pm.filename, 'a mapping'),
      buildId: str(pm.buildId, 'a mapping') || undefined,
    };
    mappings.set(Number(pm.id), { m, hasFunctions: pm.hasFunctions });
  }

  const funcs = new Map<number, Func>();
  for (const pf of msg.function) {
    if (pf.id === 0n || funcs.has(Number(pf.id))) bad(`function id ${pf.id} is 0 or repeated`);
    const given = str(pf.name, 'a function') || str(pf.systemName, 'a function') || '??';
    const full = ours && pf.jeprofFullName !== 0n ? str(pf.jeprofFullName, 'a function') : given;
    let short: string;
    if (ours) short = pf.jeprofShortName !== 0n ? str(pf.jeprofShortName, 'a function') : shortFunctionName(full);
    else short = foreignShortName(full);
    funcs.set(Number(pf.id), { id: funcs.size + 1, name: short, systemName: full, filename: str(pf.filename, 'a function') });
  }

  // Sample ids are numbers below 2^32 (see codec.ts): ids to table ids through a typed array.
  let maxId = 0;
  for (const pl of msg.location) if (pl.id > BigInt(maxId)) maxId = Number(pl.id);
  const tableId = new Int32Array(maxId + 1);
  const unnamed: Location[] = [];
  const used = new Set<Location>();
  let maxAddress = 0n;
  for (const pl of msg.location) {
    if (pl.id === 0n || tableId[Number(pl.id)] !== 0) bad(`location id ${pl.id} is 0 or repeated`);
    const loc = pl.jeprofText !== 0 ? table.getCased(pl.address, str(pl.jeprofText, 'a location')) : table.get(pl.address);
    const mapping = pl.mappingId === 0 ? undefined : mappings.get(pl.mappingId);
    if (pl.mappingId !== 0 && !mapping) bad(`location ${pl.id} names mapping ${pl.mappingId}, which is not there`);
    if (pl.address > maxAddress) maxAddress = pl.address;
    tableId[Number(pl.id)] = loc.id;
    used.add(loc);
    // The first profile that names a PC names it (several files of one program agree).
    if (loc.lines.length > 0 || loc.mapping) continue;
    loc.mapping = mapping?.m;
    if (pl.line.length === 0) {
      if (!ours && mapping && !mapping.hasFunctions) unnamed.push(loc);
      continue;
    }
    const lines: Line[] = [];
    // pprof's Line list is innermost first; ours is outermost first.
    for (let j = pl.line.length - 1; j >= 0; j--) {
      const pline = pl.line[j];
      const func = funcs.get(pline.functionId) ?? bad(`location ${pl.id} names function ${pline.functionId}, which is not there`);
      const line = pline.line;
      const fileLine = pline.jeprofFileLine !== 0 ? str(pline.jeprofFileLine, 'a line') : canonicalFileLine(func.filename, line);
      lines.push({ func, line, fileLine });
    }
    loc.lines = lines;
  }

  // Stacks are kept as a dump's are (model/stack-store.ts): table ids in one array, so the
  // analysis reads them in place, as fast as a dump's.
  const threadKey = BigInt(strings.indexOf(THREAD_LABEL));
  const stacks = new IntSequenceTable(msg.sample.length, 4096);
  const store = new StackStore(stacks, table);
  let scratch = new Int32Array(64);
  const samples: Sample[] = [];
  for (const ps of msg.sample) {
    if (ps.value.length !== sampleTypes.length) bad(`a sample has ${ps.value.length} values for ${sampleTypes.length} sample types`);
    let labels = NO_LABELS;
    for (const l of ps.label) {
      if (threadKey > 0n && l.key === threadKey) labels = new Map([[THREAD_LABEL, l.str !== 0n ? str(l.str, 'a label') : String(l.num)]]);
    }
    if (!opts.threadRows && labels.has(THREAD_LABEL)) continue;
    const ids = ps.locationId;
    if (ids.length > scratch.length) scratch = new Int32Array(ids.length * 2);
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] <= maxId ? tableId[ids[k]] : 0;
      if (id === 0) bad(`a sample names location ${ids[k]}, which is not there`);
      scratch[k] = id;
    }
    // jeprof-ts's exact doubles when it wrote them; pprof's int64 values otherwise.
    const values = ps.jeprofValue.length === sampleTypes.length ? ps.jeprofValue : ps.value.map(Number);
    // Appended, not interned: equal stacks are added up later by stack (merge, trimming) anyway.
    samples.push(new PooledSample(store, stacks.append(scratch, ids.length), values, labels));
  }

  const totals = ours ? new Map(msg.jeprofTotal.map((t) => [str(t.thread, 'a total'), t.value])) : undefined;
  const profile: Profile = {
    sampleTypes,
    defaultSampleType: str(msg.defaultSampleType, 'default_sample_type'),
    period: Number(msg.period),
    samples,
    locations: [...used],
    funcs: [...funcs.values()],
    mappings: [...mappings.values()].map((x) => x.m),
    comments: msg.comment.map((c) => str(c, 'a comment')),
  };
  const kind = ours && str(msg.jeprofKind, 'jeprof_kind') === 'growth' ? 'growth' : 'heap';
  return {
    heap: { file: name, kind, profile, mapText: '', notices: [], warnings: [], maxAddress },
    ours,
    defaultSampleType: profile.defaultSampleType || undefined,
    totals,
    program: ours && msg.jeprofProgram !== 0n ? str(msg.jeprofProgram, 'jeprof_program') : undefined,
    unnamed,
  };
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
