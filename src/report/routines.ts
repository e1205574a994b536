// What --list and --disasm share: which routines they print (jeprof's PrintListing/PrintDisassembly
// loops), objdump's instructions for each (Disassemble) and the samples that fall in each instruction.
//   `    13e2:\tcall   1030 <operator new[](unsigned long)@plt>`  ->  one Instruction at 0x13e2 + bias
import type { FlatCum } from '../graph/build.js';
import { addressAdd, addressSub, hex16 } from '../model/address.js';
import type { Library } from '../symbolize/libraries.js';
import type { NmSymbol } from '../symbolize/nm-output.js';
import type { ObjFile, ObjTool } from '../symbolize/objtool.js';
import { proceduresOf } from '../symbolize/procedures.js';
import type { UnitOptions } from './units.js';

export interface Routine {
  library: Library;
  /** nm's name with its address tag, `leak_some()<00000000000013d9>`: what the user regexp saw. */
  fullName: string;
  shortName: string;
  /** File address of the first byte (nm's). */
  start: bigint;
  /** File address of the next nm symbol: the routine is [start, end). */
  end: bigint;
}

export interface Instruction {
  /** Runtime address: objdump's address plus the library's bias. */
  address: bigint;
  /**
   * End of the addresses counted for this instruction (exclusive): the next instruction's runtime
   * address; for the last one jeprof keeps the routine's nm end unrelocated, so in a library with a
   * non-zero bias the last instruction counts nothing.
   */
  limit: bigint;
  /** The last `file:line` location objdump printed before it ('' and -1 before the first). */
  file: string;
  line: number;
  /** objdump's text after the address: `call   1030 <operator new[](unsigned long)@plt>`. */
  text: string;
}

/** A source file as jeprof reads it: lines with their `\n` (the last may lack it), or why not. */
export type SourceText = { lines: string[] } | { error: string };
/** Reads a source file named by objdump or addr2line; `error` is the strerror text (`No such file or directory`). */
export type SourceReader = (path: string) => SourceText;

/** One line of output, split on `\n` the way Perl's `<FH>` reads (separator kept). */
export function perlLines(text: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(pos, end));
    pos = end;
  }
  return out;
}

/** Perl's `chop`: drops the last character, a real one when the line has no `\n`. */
export function chop(s: string): string {
  return s.slice(0, -1);
}

// Perl's \s on byte strings is ASCII whitespace only; JS's \s would also take Unicode spaces.
const LOCATION = /[ \t\n\r\f\v]*([^: \t\n\r\f\v]+):(\d+)[ \t\n\r\f\v]*$/;
const INSTRUCTION = /^ +([0-9a-f]+):[ \t\n\r\f\v]*([^]*)/;

/**
 * jeprof's Disassemble: instructions of objdump's output with the location line before each.
 * The location pattern is not anchored at the start, so `file.c:11 (discriminator 1)` is no
 * location (the previous one stays) and any line ending in `name:digits` is one.
 */
export function parseObjdump(text: string, bias: bigint, end: bigint): Instruction[] {
  const out: Instruction[] = [];
  let file = '';
  let line = -1;
  let last: Instruction | undefined;
  for (const raw of perlLines(text)) {
    const s = chop(raw.replace(/\r/g, ''));
    const loc = LOCATION.exec(s);
    if (loc) {
      file = loc[1];
      line = Number(loc[2]);
      continue;
    }
    const ins = INSTRUCTION.exec(s);
    if (!ins) continue;
    const address = addressAdd(BigInt('0x' + ins[1]), bias);
    if (last) last.limit = address;
    last = { address, limit: end, file, line, text: ins[2] };
    out.push(last);
  }
  return out;
}

/** Values per runtime address, sorted, for range sums over instructions and routines. */
export class AddressValues {
  private readonly addrs: bigint[];
  private readonly values: number[];

  constructor(map: ReadonlyMap<string, number>) {
    const entries = [...map]
      .filter(([k]) => /^[0-9a-f]{16}$/.test(k))
      .map(([k, v]) => [BigInt('0x' + k), v] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.addrs = entries.map((e) => e[0]);
    this.values = entries.map((e) => e[1]);
  }

  private lowerBound(a: bigint): number {
    let lo = 0;
    let hi = this.addrs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.addrs[mid] < a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when some address in [lo, hi) has an entry, even one whose value is zero (jeprof's `defined`). */
  any(lo: bigint, hi: bigint): boolean {
    const i = this.lowerBound(lo);
    return i < this.addrs.length && this.addrs[i] < hi;
  }

  /** Sum over [lo, hi), added in ascending address order as jeprof's loop does. */
  sum(lo: bigint, hi: bigint): number {
    let total = 0;
    for (let i = this.lowerBound(lo); i < this.addrs.length && this.addrs[i] < hi; i++) total += this.values[i];
    return total;
  }
}

export interface SampleIndex {
  flat: AddressValues;
  cum: AddressValues;
}

export function sampleIndex(fc: FlatCum): SampleIndex {
  return { flat: new AddressValues(fc.flat), cum: new AddressValues(fc.cum) };
}

/** Flat and cumulative value of each instruction: the samples at addresses in [address, limit). */
export function instructionCounts(instructions: readonly Instruction[], s: SampleIndex): { flat: number[]; cum: number[] } {
  return {
    flat: instructions.map((e) => s.flat.sum(e.address, e.limit)),
    cum: instructions.map((e) => s.cum.sum(e.address, e.limit)),
  };
}

/**
 * Routines of one library in jeprof's print order: by short name (jeprof's ByName; equal short
 * names come in Perl hash order there, by address here), kept when some runtime address in
 * [start, end) has a cumulative entry. nm's last symbol has an empty range and is never kept.
 */
export function selectRoutines(library: Library, symbols: readonly NmSymbol[], cum: AddressValues): Routine[] {
  const sorted = [...symbols].sort((a, b) => (a.shortName < b.shortName ? -1 : a.shortName > b.shortName ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Routine[] = [];
  for (const s of sorted) {
    if (s.end <= s.start) continue;
    const lo = addressAdd(s.start, library.bias);
    if (!cum.any(lo, lo + (s.end - s.start))) continue;
    out.push({ library, fullName: s.fullName, shortName: s.shortName, start: s.start, end: s.end });
  }
  return out;
}

/** Everything one run's --list/--disasm reports share: binutils, caches, the source files. */
export interface RoutineContext {
  libraries: readonly Library[];
  units: UnitOptions;
  readSource: SourceReader;
  /** Routines of each library matching a regexp, per `<regexp source>\0<library index>`. */
  routinesFor(filter: RegExp, libraryIndex: number): Promise<readonly NmSymbol[]>;
  /** The routine's instructions (objdump run once per routine). */
  instructions(r: Routine): Promise<Instruction[]>;
  /**
   * addr2line's outermost `file:line` for each instruction (jeprof's GetTopLevelLineNumbers via
   * MapToSymbols), undefined where it has none.
   */
  topLevelLocations(r: Routine, instructions: readonly Instruction[]): Promise<(string | undefined)[]>;
  /** jeprof's SourceLine cache for --disasm: a file is read (or its error printed) once per run. */
  sourceCache: Map<string, string[] | undefined>;
  close(): void;
}

/**
 * jeprof runs nm on the library (its /usr/lib/debug copy when there is one) but objdump and addr2line
 * on the library file itself; `Library.path` and `Library.foundPath` are those two.
 */
export function createRoutineContext(opts: { libraries: readonly Library[]; tool: ObjTool; units: UnitOptions; readSource: SourceReader }): RoutineContext {
  const files = new Map<string, ObjFile>();
  const open = (p: string) => {
    let f = files.get(p);
    if (!f) {
      f = opts.tool.open(p);
      files.set(p, f);
    }
    return f;
  };
  const tables = new Map<string, Promise<readonly NmSymbol[]>>();
  const disassembly = new Map<string, Promise<Instruction[]>>();
  const separators = new Map<string, Promise<bigint | undefined>>();
  const routineKey = (r: Routine) => `${r.library.foundPath}\0${hex16(r.library.bias)}\0${hex16(r.start)}\0${hex16(r.end)}`;
  return {
    libraries: opts.libraries,
    units: opts.units,
    readSource: opts.readSource,
    sourceCache: new Map(),
    routinesFor(filter, i) {
      const key = `${filter.source}\0${filter.flags}\0${i}`;
      let t = tables.get(key);
      if (!t) {
        t = open(opts.libraries[i].path)
          .symbols(filter)
          .then((table) => table.symbols);
        tables.set(key, t);
      }
      return t;
    },
    instructions(r) {
      const key = routineKey(r);
      let d = disassembly.get(key);
      if (!d) {
        d = open(r.library.foundPath)
          .disassemble(r.start, r.end)
          .then((text) => parseObjdump(text ?? '', r.library.bias, r.end));
        disassembly.set(key, d);
      }
      return d;
    },
    async topLevelLocations(r, instructions) {
      if (instructions.length === 0) return [];
      // jeprof's MapToSymbols: `-i` when the library's nm listing has `_fini`.
      let sep = separators.get(r.library.path);
      if (!sep) {
        sep = proceduresOf(open(r.library.path)).then((t) => t.sepAddress);
        separators.set(r.library.path, sep);
      }
      const addrs = instructions.map((e) => addressSub(e.address, r.library.bias));
      const frames = await open(r.library.foundPath).sourceLines(addrs, await sep);
      return instructions.map((_, i) => {
        const list = frames?.[i];
        return list && list.length > 0 ? list[list.length - 1].fileLine : undefined;
      });
    },
    close() {
      for (const f of files.values()) f.close();
    },
  };
}

/** Routines matching `filter` over every library, in jeprof's order, with their instructions. */
export async function routinesToPrint(ctx: RoutineContext, filter: RegExp, s: SampleIndex): Promise<{ routine: Routine; instructions: Instruction[] }[]> {
  const perLibrary = await Promise.all(ctx.libraries.map(async (lib, i) => selectRoutines(lib, await ctx.routinesFor(filter, i), s.cum)));
  const routines = perLibrary.flat();
  const instructions = await Promise.all(routines.map((r) => ctx.instructions(r)));
  return routines.map((routine, i) => ({ routine, instructions: instructions[i] }));
}
