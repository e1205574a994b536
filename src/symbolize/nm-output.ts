// Parses `nm -n --demangle` output into jeprof's procedure table (GetProcedureBoundariesViaNm).
//   0000000000001189 T alloc_big      ->  alloc_big<0000000000001189> covers [0x1189, next symbol)
import { shortFunctionName } from './short-name.js';

export interface NmSymbol {
  /** Full name tagged with nm's address text, `name<0000000000001189>` (untagged for a t/T alias, as jeprof). */
  fullName: string;
  shortName: string;
  /** File address of the first byte. */
  start: bigint;
  /** File address of the next symbol; equal to `start` for the last one (an empty range). */
  end: bigint;
}

export interface NmTable {
  /** Sorted by start address. */
  symbols: NmSymbol[];
  /** Address of `_fini`, which jeprof sends to addr2line between addresses as an end marker. */
  sepAddress?: bigint;
}

/** One line of nm's listing: the address as nm prints it (16 hex digits), the type letter, the name. */
export interface NmLine {
  addr: string;
  type: string;
  name: string;
  /** The address as a number, when the reader has it already (else parsed from `addr`). */
  value?: bigint;
}

/**
 * A routine of jeprof's table before naming: the name as listed, tagged with its address or not.
 * The first is jeprof's empty start routine, which only filters that match nothing keep.
 */
export interface Routine {
  name: string;
  /** False for a t/T alias that replaced the first symbol at its address (jeprof stores it bare). */
  tagged: boolean;
  addr: string;
  start: bigint;
  /** Start of the next routine; equal to `start` for the last one. */
  end: bigint;
}

const LINE = /^\s*([0-9a-f]+) (.) (.+)/;

/** The defined-symbol lines of nm's text (undefined symbols have no address and do not match). */
export function parseNmLines(text: string): NmLine[] {
  const out: NmLine[] = [];
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const m = LINE.exec(text.slice(pos, end).replace(/\r/g, ''));
    pos = end + 1;
    if (m) out.push({ addr: m[1], type: m[2], name: m[3] });
  }
  return out;
}

/**
 * jeprof's merge rule over nm's lines: of several symbols at one address the first wins, unless a
 * later one has type t/T (a weak alias, a zero-size marker), which then replaces it untagged.
 * It depends only on addresses, letters and order, so it works as well on names not yet demangled.
 */
export function mergeRoutines(lines: Iterable<NmLine>): { routines: Routine[]; sepAddress?: bigint } {
  // jeprof starts from an empty routine at address text `0`; a later symbol closes it.
  let current: Routine = { name: '', tagged: false, addr: '0', start: 0n, end: 0n };
  const routines: Routine[] = [current];
  let sepAddress: bigint | undefined;
  for (const { addr, type, name, value } of lines) {
    if (addr === current.addr) {
      if (type === 't' || type === 'T') {
        current.name = name;
        current.tagged = false;
      }
      continue;
    }
    const start = value ?? BigInt('0x' + addr);
    if (name === '_fini') sepAddress = start;
    current.end = start;
    current = { name, tagged: true, addr, start, end: start };
    routines.push(current);
  }
  return { routines, sepAddress };
}

/** jeprof's name for a routine: `name<0000000000001189>`, or bare for a t/T alias. */
export function routineName(r: Routine, name = r.name): string {
  return r.tagged ? `${name}<${r.addr}>` : name;
}

/**
 * jeprof's table: a hash by routine name, so of two routines with one name the later range wins
 * and the earlier disappears. `filter` keeps only names that match (jeprof's --list/--disasm
 * regexp; `.` by default).
 */
export function buildTable(routines: readonly Routine[], sepAddress: bigint | undefined, filter: RegExp = /./): NmTable {
  const table = new Map<string, { start: bigint; end: bigint }>();
  for (const r of routines) {
    const name = routineName(r);
    if (filter.test(name)) table.set(name, { start: r.start, end: r.end });
  }
  const symbols = [...table].map(([fullName, r]) => ({ fullName, shortName: shortFunctionName(fullName), start: r.start, end: r.end }));
  symbols.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { symbols, sepAddress };
}

/** Parses `nm -n --demangle` text into jeprof's table (GetProcedureBoundariesViaNm). */
export function parseNmOutput(text: string, filter: RegExp = /./): NmTable {
  const { routines, sepAddress } = mergeRoutines(parseNmLines(text));
  return buildTable(routines, sepAddress, filter);
}

/** The name jeprof gives a PC it cannot place: `0x` and its 16 hex digits. */
export function unknownPcName(pc: bigint): string {
  return '0x' + pc.toString(16).padStart(16, '0');
}

/**
 * Names each PC the way jeprof's MapSymbolsWithNM does: PCs sorted ascending walk the sorted
 * table; a PC below the first symbol takes the first symbol (there is no lower bound check), a PC
 * at or past the end of the last range gets `0x<pc>`. `bias` is subtracted to get file addresses.
 */
export function lookupNm(table: NmTable, pcs: readonly bigint[], bias: bigint): Map<bigint, { short: string; full: string }> {
  const out = new Map<bigint, { short: string; full: string }>();
  const at = lookupNmAt(table, pcs, bias);
  pcs.forEach((pc, i) => {
    if (at[i]) out.set(pc, at[i]);
  });
  return out;
}

/** lookupNm with each PC's name at its position: undefined for every PC when the table is empty. */
export function lookupNmAt(table: NmTable, pcs: readonly bigint[], bias: bigint): ({ short: string; full: string } | undefined)[] {
  const hits = symbolsAtPcs(table.symbols, pcs, bias);
  if (!hits) return pcs.map(() => undefined);
  return hits.map((s, i) => (s ? { short: s.shortName, full: s.fullName } : { short: unknownPcName(pcs[i]), full: unknownPcName(pcs[i]) }));
}

/**
 * The positions of `pcs` in ascending address order (ties by position), or undefined when they are
 * already ascending, as a library's PCs come: only unsorted input pays for a sort.
 */
export function ascendingOrder(pcs: readonly bigint[]): number[] | undefined {
  for (let i = 1; i < pcs.length; i++) {
    if (pcs[i - 1] > pcs[i]) return pcs.map((_, j) => j).sort((x, y) => (pcs[x] < pcs[y] ? -1 : pcs[x] > pcs[y] ? 1 : x - y));
  }
  return undefined;
}

/**
 * lookupNm's walk: the symbol each PC falls in, at the PC's position (undefined past the last
 * range), or undefined when there are no symbols. Positions, not a Map keyed by BigInt: that cost
 * about a microsecond per PC on each side, and PCs come sorted (only unsorted ones are sorted here).
 */
export function symbolsAtPcs<T extends { start: bigint; end: bigint }>(names: readonly T[], pcs: readonly bigint[], bias: bigint): (T | undefined)[] | undefined {
  if (names.length === 0) return undefined;
  const out: (T | undefined)[] = pcs.map(() => undefined);
  const order = ascendingOrder(pcs);
  let index = 0;
  const last = names.length - 1;
  for (let k = 0; k < pcs.length; k++) {
    const i = order ? order[k] : k;
    const mpc = (pcs[i] - bias) & 0xffffffffffffffffn;
    while (index < last && mpc >= names[index].end) index++;
    out[i] = mpc < names[index].end ? names[index] : undefined;
  }
  return out;
}
