// Names every PC of a run the way jeprof's ExtractSymbols/MapToSymbols does, and stores the
// result as each Location's lines (outermost function first, inlined callees after it).
import type { Func, Location } from '../model/profile.js';
import type { Library } from './libraries.js';
import type { ObjTool } from './objtool.js';
import { debugBytes } from './elf.js';
import { ascendingOrder } from './nm-output.js';
import { pcNamesOf } from './procedures.js';
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
  await Promise.all(
    usable.map(async ({ lib, locs }) => {
      const triples = await symbolsAt(openFile(lib.path), lib.bias, locs.map((l) => l.address));
      for (let i = 0; i < locs.length; i++) {
        const loc = locs[i];
        const t = triples[i];
        if (!t) continue;
        loc.mapping = lib.mapping;
        loc.lines = t.map((x) => {
          const place = sourcePlace(x.fileLine);
          return { func: funcs.get(x, place.filename), line: place.line, fileLine: x.fileLine };
        });
      }
    }).map((p) => p.finally(() => {
      done++;
      progress();
    })),
  );
  for (const f of files.values()) f.close();
}

export function assignToLibraries(locations: readonly Location[], libraries: readonly Library[]): { lib: Library; locs: Location[] }[] {
  const pending = [...locations].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
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
  if (pcs.length === 0) return out;
  // The tools answer in ascending address order; `order` maps back when the input was not sorted.
  const order = ascendingOrder(pcs);
  const sorted = order ? order.map((j) => pcs[j]) : pcs;
  const put = (k: number, t: SymbolTriple[]) => {
    out[order ? order[k] : k] = t;
  };
  const looked = pcNamesOf(file, sorted, bias);
  // addr2line needs only the `_fini` address, so it runs while the names are being demangled.
  looked.names.catch(() => {}); // awaited below; only keeps a failure meanwhile from counting as unhandled
  const frames = await file.sourceLines(
    sorted.map((pc) => (pc - bias) & 0xffffffffffffffffn),
    await looked.sepAddress,
  );
  const nm = await looked.names;
  if (!frames) {
    // No addr2line: names from nm alone, no file:line.
    nm.forEach((n, k) => {
      if (n) put(k, [{ short: n.short, fileLine: '?', full: n.full }]);
    });
    return out;
  }
  sorted.forEach((_, k) => {
    const list = frames[k];
    if (list.length === 0) return;
    const nms = nm[k];
    const triples: SymbolTriple[] = [];
    // addr2line lists the innermost frame first; triples go outermost first. Walking the list
    // backwards and pushing avoids unshift, which moves the array on every call.
    for (let j = list.length - 1; j >= 0; j--) {
      const f = list[j];
      let full = f.func;
      let short = shortFunctionName(full);
      if (nms) {
        if (full === '??' || nms.full.startsWith(short)) {
          short = nms.short;
          full = nms.full;
        }
      }
      triples.push({ short, fileLine: f.fileLine, full });
    }
    put(k, triples);
  });
  return out;
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
 * One Func per (short name, full name, file). Maps by full name, then file, then short name, not by
 * the three joined: a joined key was a new string per frame, hashed in full each time, where these
 * strings are shared by many frames and V8 keeps each one's hash once computed.
 */
class FuncTable {
  private readonly byFull = new Map<string, Map<string, Map<string, Func>>>();
  private count = 0;

  get(t: SymbolTriple, filename: string): Func {
    let byFile = this.byFull.get(t.full);
    if (!byFile) this.byFull.set(t.full, (byFile = new Map()));
    let byShort = byFile.get(filename);
    if (!byShort) byFile.set(filename, (byShort = new Map()));
    let f = byShort.get(t.short);
    if (!f) {
      f = { id: ++this.count, name: t.short, systemName: t.full, filename };
      byShort.set(t.short, f);
    }
    return f;
  }
}

