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

const LINE = /^\s*([0-9a-f]+) (.) (.+)/;

/**
 * `filter` keeps only routines whose tagged name matches (jeprof's --list/--disasm regexp; `.` by
 * default). Of several symbols at one address the first wins, unless a later one has type t/T.
 */
export function parseNmOutput(text: string, filter: RegExp = /./): NmTable {
  const table = new Map<string, { start: bigint; end: bigint }>();
  let lastStart = '0';
  let routine = '';
  let sepAddress: bigint | undefined;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).replace(/\r/g, '');
    pos = end + 1;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, startVal, type, name] = m;
    if (startVal === lastStart) {
      // The t/T symbol at an address replaces the queued one (a weak alias, a zero-size marker);
      // jeprof stores it without the address tag.
      if (type === 't' || type === 'T') routine = name;
      continue;
    }
    if (name === '_fini') sepAddress = BigInt('0x' + startVal);
    // The empty name before the first symbol only matches filters that match nothing, as in jeprof.
    if (filter.test(routine)) {
      table.set(routine, { start: BigInt('0x' + lastStart), end: BigInt('0x' + startVal) });
    }
    lastStart = startVal;
    routine = `${name}<${startVal}>`;
  }
  if (filter.test(routine)) {
    const s = BigInt('0x' + lastStart);
    table.set(routine, { start: s, end: s });
  }
  const symbols = [...table].map(([fullName, r]) => ({ fullName, shortName: shortFunctionName(fullName), start: r.start, end: r.end }));
  symbols.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { symbols, sepAddress };
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
  const names = table.symbols;
  if (names.length === 0) return out;
  const sorted = [...pcs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let index = 0;
  const last = names.length - 1;
  for (const pc of sorted) {
    const mpc = (pc - bias) & 0xffffffffffffffffn;
    while (index < last && mpc >= names[index].end) index++;
    if (mpc < names[index].end) out.set(pc, { short: names[index].shortName, full: names[index].fullName });
    else out.set(pc, { short: unknownPcName(pc), full: unknownPcName(pc) });
  }
  return out;
}
