// jeprof's default procedure table with names demangled on demand: a lookup demangles only the
// routines its PCs land in (plus what the table's name clashes need), in one batch.
import { buildTable, lookupNmAt, routineName, symbolsAtPcs, unknownPcName, type NmTable, type Routine } from './nm-output.js';
import type { ObjFile } from './objtool.js';
import { shortFunctionName } from './short-name.js';
import { mayDemangle } from './demangle.js';

export interface Procedures {
  /** Routines after jeprof's merge rule, names as listed: still mangled when read in-process. */
  routines: readonly Routine[];
  /** Address of `_fini`: a plain C name, so known before any demangling. */
  sepAddress?: bigint;
  /** nm --demangle's form of each name; undefined when no demangler can be used. */
  demangle(names: readonly string[]): Promise<ReadonlyMap<string, string> | undefined>;
  /** Names are final (nm demangled them): nothing to demangle or to remember. */
  finished?: boolean;
}

/** A finished table as procedures: each symbol a bare routine already named in full. */
export function tableProcedures(table: NmTable): Procedures {
  return {
    routines: table.symbols.map((s) => ({ name: s.fullName, tagged: false, addr: '', start: s.start, end: s.end })),
    sepAddress: table.sepAddress,
    demangle: async (names) => new Map(names.map((n) => [n, n])),
    finished: true,
  };
}

/** A PC's nm name: jeprof's short and full (possibly tagged) forms. */
export interface PcName {
  short: string;
  full: string;
}

/**
 * jeprof's nm name of each PC, and the `_fini` address, known before the names (see pcNamesOf).
 * names[i] is pcs[i]'s (undefined when no routine holds it): positions, not a Map keyed by
 * BigInt, which cost about a microsecond per PC on each side.
 */
export interface PcNames {
  sepAddress: Promise<bigint | undefined>;
  names: Promise<(PcName | undefined)[]>;
}

/**
 * Names for sorted PCs from the file's default table. `sepAddress` settles as soon as the table is
 * read, so addr2line can start while names are still being demangled.
 */
export function pcNamesOf(file: ObjFile, pcs: readonly bigint[], bias: bigint): PcNames {
  if (file.pcNames) return file.pcNames(pcs, bias);
  const table = proceduresOf(file);
  return {
    sepAddress: table.then((t) => t.sepAddress),
    names: table.then((t) => lookupProcedures(t, pcs, bias, () => file.symbols())),
  };
}

/** The file's procedures; a file that only has the finished table gives that. */
export function proceduresOf(file: ObjFile): Promise<Procedures> {
  return file.procedures ? file.procedures() : file.symbols().then(tableProcedures);
}

/** The whole table, every name demangled; undefined when the demangler cannot be used. */
export async function fullTable(p: Procedures): Promise<NmTable | undefined> {
  const names = await p.demangle([...new Set(p.routines.map((r) => r.name))]);
  if (!names) return undefined;
  return buildTable(p.routines.map((r) => ({ ...r, name: names.get(r.name) ?? r.name })), p.sepAddress);
}

/** An address tag in a bare name could equal another routine's tagged name: then name them all. */
const TAG_LIKE = /<[0-9a-f]+>$/;

/**
 * lookupNm on the default table without demangling all of it, each PC's name at its position
 * (undefined when the table has no routines). jeprof's table is a hash by name,
 * so of two routines whose names demangle alike the earlier vanishes; only bare (t/T alias) names
 * can clash, so when a PC lands in a bare routine all bare names are demangled with the routines
 * hit. `fallback` gives the finished table when the demangler fails (nm does it all, as before).
 */
export async function lookupProcedures(
  p: Procedures,
  pcs: readonly bigint[],
  bias: bigint,
  fallback: () => Promise<NmTable>,
): Promise<(PcName | undefined)[]> {
  const known = new Map<string, string>();
  const bare = p.routines.filter((r) => !r.tagged && r.name !== '').map((r) => r.name);
  // Clashes only decide whether a bare routine is kept: while no PC lands in one, the routines
  // hit are the same whatever the bare names demangle to. First guess with names as listed.
  let hits = symbolsAtPcs(kept(p.routines, known), pcs, bias);
  const needed = () => {
    if (!hits) return [];
    const names: string[] = [];
    let bareHit = false;
    for (const r of hits) {
      if (!r) continue;
      names.push(r.name);
      if (!r.tagged) bareHit = true;
    }
    return [...names, ...(bareHit ? bare : [])].filter((n) => !known.has(n));
  };
  for (let batch = needed(); batch.length > 0; batch = needed()) {
    const wanted = [...new Set(batch)];
    // Only names that mayDemangle can change: the rest are nm's already, and a C program's
    // twenty thousand names need no demangler, no cache entry and no second walk of the table.
    const mangled = wanted.filter(mayDemangle);
    const got = mangled.length > 0 ? await p.demangle(mangled) : new Map<string, string>();
    if (!got) return lookupNmAt(await fallback(), pcs, bias);
    for (const n of wanted) known.set(n, got.get(n) ?? n);
    if (bare.some((n) => TAG_LIKE.test(known.get(n) ?? ''))) {
      const t = await fullTable(p);
      return lookupNmAt(t ?? (await fallback()), pcs, bias);
    }
    // Every name looked up kept its own spelling: kept() would choose the same routines again.
    if (mangled.length === 0) break;
    hits = symbolsAtPcs(kept(p.routines, known), pcs, bias);
  }
  if (!hits) return pcs.map(() => undefined);
  // One name per routine, shared by its PCs: a tagged name is a new string each time it is made,
  // and shortening looks it up by its text.
  const named = new Map<Routine, PcName>();
  return hits.map((r, i) => {
    if (!r) return { short: unknownPcName(pcs[i]), full: unknownPcName(pcs[i]) };
    let n = named.get(r);
    if (!n) {
      const full = routineName(r, known.get(r.name) ?? r.name);
      named.set(r, (n = { short: shortFunctionName(full), full }));
    }
    return n;
  });
}

/** The routines jeprof's hash keeps: named (the `.` filter) and not followed by a same-named one. */
function kept(routines: readonly Routine[], known: ReadonlyMap<string, string>): Routine[] {
  const seen = new Set<string>();
  const out: Routine[] = [];
  for (let i = routines.length - 1; i >= 0; i--) {
    const r = routines[i];
    if (r.name === '') continue;
    if (!r.tagged) {
      const key = known.get(r.name) ?? r.name;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(r);
  }
  out.reverse();
  // Starts are distinct, so this only guards tables that did not come sorted (they do).
  for (let i = 1; i < out.length; i++) {
    if (out[i - 1].start > out[i].start) return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }
  return out;
}
