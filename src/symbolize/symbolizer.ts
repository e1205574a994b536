// Names every PC of a run the way jeprof's ExtractSymbols/MapToSymbols does, and stores the
// result as each Location's lines (outermost function first, inlined callees after it).
import type { Func, Line, Location } from '../model/profile.js';
import type { Addr2LineFrame } from './addr2line-output.js';
import type { Library } from './libraries.js';
import type { ObjTool, SourceLines } from './objtool.js';
import { debugBytes } from './elf.js';
import { ascendingOrder, unknownPcName } from './nm-output.js';
import { hex16 } from '../model/address.js';
import { pcNamesOf, type PcName } from './procedures.js';
import { shortFunctionName } from './short-name.js';

/** One frame level as jeprof keeps it: (short name, file:line, full name). */
export interface SymbolTriple {
  short: string;
  fileLine: string;
  full: string;
}

/**
 * Assigns PCs to libraries (highest start first, each PC to the first library whose inclusive
 * range holds it), then symbolizes each library's PCs; libraries run in parallel.
 */
export async function symbolizeLocations(
  locations: readonly Location[],
  libraries: readonly Library[],
  tool: ObjTool,
  /** Called as each object file is done: files done, files in all, addresses in all. */
  onProgress?: (done: number, files: number, addresses: number) => void,
): Promise<void> {
  const byLib = assignToLibraries(locations, libraries);
  let done = 0;
  const progress = () => onProgress?.(done, byLib.length, locations.length);
  progress();
  const funcs = new FuncTable();
  const files = new Map<string, ReturnType<ObjTool['open']>>();
  const openFile = (p: string) => {
    let f = files.get(p);
    if (!f) {
      f = tool.open(p);
      files.set(p, f);
    }
    return f;
  };
  // Only regular ELF files go to nm and addr2line: a FIFO, a device or a directory named in a
  // profile would hang or mislead them. jeprof gets no names for these either (the tools fail).
  const usable = byLib.filter(({ lib, locs }) => {
    if (tool.exists(lib.path) && tool.elfInfo(lib.path)) return true;
    tool.problems.push(`${lib.path}: ${tool.exists(lib.path) ? 'not an ELF file' : 'not found or not a regular file'}; its ${locs.length} address(es) print as numbers`);
    done++;
    return false;
  });
  // The run lasts as long as its slowest addr2line, and tools start one after the other: the
  // file with the most debug information to read goes first.
  const cost = new Map(usable.map(({ lib }) => [lib, debugBytes(lib.path, tool.elfInfo(lib.path))]));
  usable.sort((a, b) => cost.get(b.lib)! - cost.get(a.lib)!);
  const answered = await Promise.all(
    usable.map(async ({ lib, locs }) => ({ lib, locs, answers: await answersAt(openFile(lib.path), lib.bias, locs.map((l) => l.address)) })).map((p) =>
      p.finally(() => {
        done++;
        progress();
      }),
    ),
  );
  // An addr2line that failed a run and fails `--help` too is one jeprof takes for missing: it then
  // names every PC of every file from nm alone.
  const nmOnly = (await tool.addr2lineBroken?.()) ?? false;
  // Each level straight to its Line: no triple made per level on the way.
  const toLine = (short: string, fileLine: string, full: string): Line => {
    const place = sourcePlace(fileLine);
    return { func: funcs.get(short, full, place.filename), line: place.line, fileLine };
  };
  for (const { lib, locs, answers } of answered) {
    if (nmOnly) answers.frames = undefined;
    for (let k = 0; k < locs.length; k++) {
      const loc = locs[answers.order ? answers.order[k] : k];
      const lines = loc.text === undefined ? levelsAt(answers, k, toLine) : levelsAt(answers, k, spelled(loc, toLine));
      if (!lines) continue;
      loc.mapping = lib.mapping;
      loc.lines = lines;
    }
  }
  for (const f of files.values()) f.close();
}

export function assignToLibraries(locations: readonly Location[], libraries: readonly Library[]): { lib: Library; locs: Location[] }[] {
  const pending = locations.filter((l) => l.text === undefined).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const order = libraries.map((lib, i) => ({ lib, i })).sort((a, b) => (a.lib.start > b.lib.start ? -1 : a.lib.start < b.lib.start ? 1 : a.i - b.i));
  const out: { lib: Library; locs: Location[] }[] = [];
  for (const { lib } of order) {
    // PCs are sorted; the ones in [start, finish] form one contiguous run.
    let lo = lowerBound(pending, lib.start);
    let hi = lowerBound(pending, lib.finish + 1n);
    if (hi > lo) {
      out.push({ lib, locs: pending.splice(lo, hi - lo) });
    }
    lo = hi = 0;
  }
  // jeprof compares PCs with library ranges as 16-digit text: a leaf spelled in upper case sorts
  // apart from its address (F < a) and goes to the first library whose range holds its text.
  for (const loc of locations) {
    if (loc.text === undefined) continue;
    const text = loc.text;
    const owner = order.find(({ lib }) => hex16(lib.start) <= text && text <= hex16(lib.finish));
    if (!owner) continue;
    let entry = out.find((e) => e.lib === owner.lib);
    if (!entry) out.push((entry = { lib: owner.lib, locs: [] }));
    entry.locs.push(loc);
  }
  return out;
}

function lowerBound(locs: readonly Location[], addr: bigint): number {
  let lo = 0;
  let hi = locs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (locs[mid].address < addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * jeprof's MapToSymbols for one library: nm names every PC (MapSymbolsWithNM); addr2line adds
 * file:line and inline frames. addr2line's name wins unless it is `??` or nm's tagged full name
 * starts with it (then nm's tagged name is kept, which later allows `name@addr` disambiguation).
 */
export async function mapToSymbols(file: ReturnType<ObjTool['open']>, bias: bigint, pcs: readonly bigint[]): Promise<Map<bigint, SymbolTriple[]>> {
  const at = await symbolsAt(file, bias, pcs);
  const out = new Map<bigint, SymbolTriple[]>();
  pcs.forEach((pc, i) => {
    const t = at[i];
    if (t) out.set(pc, t);
  });
  return out;
}

/**
 * mapToSymbols with each answer at its PC's position (undefined when the PC gets no name): a
 * library's PCs arrive sorted, so no Map keyed by BigInt is needed on the way.
 */
export async function symbolsAt(file: ReturnType<ObjTool['open']>, bias: bigint, pcs: readonly bigint[]): Promise<(SymbolTriple[] | undefined)[]> {
  const out: (SymbolTriple[] | undefined)[] = pcs.map(() => undefined);
  const answers = await answersAt(file, bias, pcs);
  const triple = (short: string, fileLine: string, full: string): SymbolTriple => ({ short, fileLine, full });
  for (let k = 0; k < pcs.length; k++) {
    const t = levelsAt(answers, k, triple);
    if (t) out[answers.order ? answers.order[k] : k] = t;
  }
  return out;
}

/**
 * What the tools say of a library's PCs, in ascending address order (the order they answer in):
 * nm's name and addr2line's frames (undefined when addr2line gave nothing) per PC. `order[k]` is
 * the position in the input of the k-th PC, when the input was not sorted.
 */
interface ToolAnswers {
  order?: number[];
  names: (PcName | undefined)[];
  frames?: SourceLines;
}

async function answersAt(file: ReturnType<ObjTool['open']>, bias: bigint, pcs: readonly bigint[]): Promise<ToolAnswers> {
  if (pcs.length === 0) return { names: [] };
  const order = ascendingOrder(pcs);
  const sorted = order ? order.map((j) => pcs[j]) : pcs;
  const looked = pcNamesOf(file, sorted, bias);
  // addr2line needs only the `_fini` address, so it runs while the names are being demangled.
  looked.names.catch(() => {}); // awaited below; only keeps a failure meanwhile from counting as unhandled
  const frames = await file.sourceLines(
    sorted.map((pc) => (pc - bias) & 0xffffffffffffffffn),
    await looked.sepAddress,
  );
  return { order, names: await looked.names, frames };
}

/**
 * The levels of the k-th PC of `a`, outermost first, each made by `make(short, fileLine, full)`;
 * undefined when the PC gets no name. addr2line's name wins unless it is `??` or nm's tagged full
 * name starts with it; without addr2line, nm's name alone with file:line `?`.
 */
function levelsAt<T>(a: ToolAnswers, k: number, make: (short: string, fileLine: string, full: string) => T): T[] | undefined {
  const nms = a.names[k];
  const list = a.frames?.[k];
  // No addr2line, or an address a failed run left unanswered: nm's name alone, as jeprof's
  // MapSymbolsWithNM gives it.
  if (list === undefined) return nms ? [make(nms.short, '?', nms.full)] : undefined;
  if (list.length === 0) return undefined;
  const out: T[] = [];
  // addr2line lists the innermost frame first; levels go outermost first. Walking the list
  // backwards and pushing avoids unshift, which moves the array on every call.
  for (let j = list.length - 1; j >= 0; j--) {
    const f = list[j];
    let full = f.func;
    let short = shortFunctionName(full);
    if (nms && (full === '??' || nms.full.startsWith(short))) {
      short = nms.short;
      full = nms.full;
    }
    out.push(make(short, f.fileLine, full));
  }
  return out;
}

/**
 * toLine for a leaf spelled in upper case: where nm found no routine, jeprof names the PC after
 * its own text (`0x%016s` of the key), not the lower-case address.
 */
function spelled(loc: Location, make: (short: string, fileLine: string, full: string) => Line): (short: string, fileLine: string, full: string) => Line {
  const lower = unknownPcName(loc.address);
  const own = `0x${loc.text}`;
  return (short, fileLine, full) => make(short === lower ? own : short, fileLine, full === lower ? own : full);
}

const DISCRIMINATOR = ' (discriminator ';

/** True when s[from, to) is one or more decimal digits. */
function digits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The file name and line number of addr2line's `file:line` text, as the patterns
 * /:(\d+|\?)( \(discriminator \d+\))?$/ (removed for the file name) and
 * /:(\d+)( \(discriminator \d+\))?$/ (the line, 0 without) read it. By hand: one pass per PC, where
 * the two patterns took a tenth of a warm run's symbol phase (a test holds it to the patterns).
 */
export function sourcePlace(fileLine: string): { filename: string; line: number } {
  let end = fileLine.length;
  if (fileLine.charCodeAt(end - 1) === 41) {
    const d = fileLine.lastIndexOf(DISCRIMINATOR);
    if (d >= 0 && digits(fileLine, d + DISCRIMINATOR.length, end - 1)) end = d;
  }
  const colon = fileLine.lastIndexOf(':', end - 1);
  if (colon >= 0) {
    if (digits(fileLine, colon + 1, end)) return { filename: fileLine.slice(0, colon), line: Number(fileLine.slice(colon + 1, end)) };
    if (end === colon + 2 && fileLine.charCodeAt(colon + 1) === 63) return { filename: fileLine.slice(0, colon), line: 0 };
  }
  return { filename: fileLine, line: 0 };
}

/**
 * One Func per (short name, full name, file). Found by full name first: nearly every full name
 * has one file and one short name, so one Map entry holds its Func, and only the rare second
 * (file, short name) under a full name takes a joined key. Maps per full name and file were two
 * Maps per function: 40,000 of them for a 20,000-function program.
 */
class FuncTable {
  private readonly byFull = new Map<string, Func>();
  private readonly others = new Map<string, Func>();
  private count = 0;

  get(short: string, full: string, filename: string): Func {
    const first = this.byFull.get(full);
    if (first === undefined) {
      const f = this.make(short, full, filename);
      this.byFull.set(full, f);
      return f;
    }
    if (first.filename === filename && first.name === short) return first;
    // NUL cannot be in a name or a path (both come from C strings), so the key is unambiguous.
    const key = `${full}\0${filename}\0${short}`;
    let f = this.others.get(key);
    if (!f) {
      f = this.make(short, full, filename);
      this.others.set(key, f);
    }
    return f;
  }

  private make(short: string, full: string, filename: string): Func {
    return { id: ++this.count, name: short, systemName: full, filename };
  }
}

