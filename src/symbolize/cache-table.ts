// The symbol table half of a symbol cache entry, in a file of its own next to the entry
// (`.table.json`): nm's table, or the routines before demangling with the names demangled so far,
// read only when a run meets a PC the entry has not seen, and checked before it is used.
import { readFileSync } from 'node:fs';
import type { NmSymbol, NmTable } from './nm-output.js';
import type { ObjFile } from './objtool.js';
import { proceduresOf, tableProcedures, type Procedures } from './procedures.js';
import { shortFunctionName } from './short-name.js';

/**
 * The file's symbol table, in a file of its own next to the entry (`.table.json`): hundreds of KB
 * for libstdc++, read only when a PC is new.
 */
export interface TableEntry {
  version: number;
  key: string;
  /** nm's table for the default filter, a column a string: full names joined by newlines (nm's
   *  lines hold none), start and end addresses in hex joined by spaces; `count` tells 0 from 1. */
  symbols?: { count: number; names: string; starts: string; ends: string; sep?: string };
  /**
   * The default table before demangling: [name as listed, 1 when tagged, nm's address text] per
   * routine (each ends where the next starts), and the demangled names looked up so far.
   */
  procedures?: { routines: [string, number, string][]; sep?: string; names: Record<string, string> };
}

/**
 * An nm symbol read back from the cache. Each field is worked out when first read: a run looks up
 * a few PCs in tables of thousands of symbols, and BigInt parsing and the short-name regexps would
 * otherwise cost more than the rest of a warm run.
 */
class CachedSymbol implements NmSymbol {
  private startValue?: bigint;
  private endValue?: bigint;
  private short?: string;

  constructor(
    readonly fullName: string,
    private readonly startHex: string,
    private readonly endHex: string,
  ) {}

  get start(): bigint {
    return (this.startValue ??= BigInt('0x' + this.startHex));
  }

  get end(): bigint {
    return (this.endValue ??= BigInt('0x' + this.endHex));
  }

  get shortName(): string {
    return (this.short ??= shortFunctionName(this.fullName));
  }
}

/** One entry's table: read at first use, kept as the run adds to it, saved when it changed. */
export class CachedTable {
  private loaded?: TableEntry;
  /** Changed since read: save() writes it. */
  private dirty = false;

  constructor(
    /** The table's file; undefined when the object file has no entry (then nothing is read or saved). */
    private readonly file: string | undefined,
    private readonly version: number,
    private readonly key: string,
    /** Called with the file when a stored table served (its mtime is the cache's LRU clock). */
    private readonly used: (file: string) => void,
    /** Called when the file could not be read, for a reason other than not being there yet. */
    private readonly fault: (e: unknown, file: string) => void,
  ) {}

  /** The stored table when it is this key's, else an empty one. */
  private table(): TableEntry {
    if (!this.loaded) {
      this.loaded = { version: this.version, key: this.key };
      try {
        const e = this.file ? checkTable(JSON.parse(readFileSync(this.file, 'utf8')) as TableEntry) : undefined;
        if (e && e.version === this.version && e.key === this.key) {
          this.loaded = e;
          this.used(this.file!);
        }
      } catch (e) {
        // Not written yet, or damaged: the table is read from the file again.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.fault(e, this.file!);
      }
    }
    return this.loaded;
  }

  /** Writes the table if it changed (`write` says whether it could). */
  save(write: (path: string, data: unknown) => boolean): void {
    if (this.file && this.dirty && this.loaded && write(this.file, this.loaded)) this.dirty = false;
  }

  /** The finished table (nm's names, demangled) in the columns of TableEntry.symbols. */
  private keep(t: { symbols: readonly { fullName: string; start: bigint; end: bigint }[]; sepAddress?: bigint }): void {
    this.table().symbols = {
      count: t.symbols.length,
      names: t.symbols.map((s) => s.fullName).join('\n'),
      starts: t.symbols.map((s) => s.start.toString(16)).join(' '),
      ends: t.symbols.map((s) => s.end.toString(16)).join(' '),
      sep: t.sepAddress?.toString(16),
    };
    this.dirty = true;
  }

  /** ObjFile.symbols from the stored table, else `inner`'s (then stored). */
  async symbols(inner: ObjFile, filter?: RegExp): Promise<NmTable> {
    if (filter) return inner.symbols(filter);
    const cached = this.table().symbols;
    if (cached) {
      const names = cached.count === 0 ? [] : cached.names.split('\n');
      const starts = cached.starts.split(' ');
      const ends = cached.ends.split(' ');
      return {
        symbols: names.map((fullName, i) => new CachedSymbol(fullName, starts[i], ends[i])),
        sepAddress: cached.sep === undefined ? undefined : BigInt('0x' + cached.sep),
      };
    }
    const t = await inner.symbols();
    this.keep(t);
    return t;
  }

  /** ObjFile.procedures from the stored table, else `inner`'s (then stored), its names demangled once. */
  async procedures(inner: ObjFile): Promise<Procedures> {
    const kept = this.table();
    /** The file's own procedures, when this run read its table (the entry had none). */
    let read: Procedures | undefined;
    if (!kept.procedures) {
      // A finished table (nm did the demangling) is what symbols() keeps.
      if (kept.symbols) return tableProcedures(await this.symbols(inner));
      const t = await proceduresOf(inner);
      if (t.finished) {
        this.keep({ symbols: t.routines.map((r) => ({ fullName: r.name, start: r.start, end: r.end })), sepAddress: t.sepAddress });
        return t;
      }
      kept.procedures = { routines: t.routines.map((r) => [r.name, r.tagged ? 1 : 0, r.addr]), sep: t.sepAddress?.toString(16), names: {} };
      this.dirty = true;
      read = t;
    }
    const p = kept.procedures;
    const demangle: Procedures['demangle'] = async (names) => {
      const missing = names.filter((n) => !Object.hasOwn(p.names, n));
      if (missing.length > 0) {
        const got = await (await proceduresOf(inner)).demangle(missing);
        if (!got) return undefined;
        for (const n of missing) p.names[n] = got.get(n) ?? n;
        this.dirty = true;
      }
      return new Map(names.map((n) => [n, p.names[n]]));
    };
    // A table just read has its routines already: parsing its addresses back from the stored
    // text (6,000 BigInts for libstdc++) cost a cold small run some 30 ms.
    if (read) return { routines: read.routines, sepAddress: read.sepAddress, demangle };
    const starts = p.routines.map(([, , addr]) => BigInt('0x' + addr));
    return {
      routines: p.routines.map(([name, tagged, addr], i) => ({ name, tagged: tagged === 1, addr, start: starts[i], end: starts[i + 1] ?? starts[i] })),
      sepAddress: p.sep === undefined ? undefined : BigInt('0x' + p.sep),
      demangle,
    };
  }
}

/** The table as stored, or an error naming it damaged: a table of another shape would fail later, mid-report. */
function checkTable(e: TableEntry): TableEntry {
  const str = (v: unknown) => typeof v === 'string';
  const t = e.symbols;
  const p = e.procedures;
  const ok =
    (t === undefined || (Number.isInteger(t.count) && str(t.names) && str(t.starts) && str(t.ends) && (t.sep === undefined || str(t.sep)))) &&
    (p === undefined ||
      (Array.isArray(p.routines) &&
        p.routines.every((r) => Array.isArray(r) && str(r[0]) && (r[1] === 0 || r[1] === 1) && str(r[2]) && /^[0-9a-f]+$/.test(r[2])) &&
        typeof p.names === 'object' &&
        p.names !== null &&
        (p.sep === undefined || str(p.sep))));
  if (!ok) throw new Error('cache entry table is not in this format');
  return e;
}
