// An on-disk cache of what nm and addr2line said about each object file, so a second run on the
// same binaries starts no tool at all. Entries are keyed by everything that can change the
// tools' answers: the file's identity (path, size, mtime, inode, GNU build id), every place its
// debug information may come from (debug-search.ts), and which nm/addr2line are used.
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Addr2LineFrame } from './addr2line-output.js';
import { Answers, type CachedName, type StoredAnswers } from './cache-format.js';
import { unknownPcName, type NmSymbol, type NmTable } from './nm-output.js';
import { pcNamesOf, proceduresOf, tableProcedures, type PcName, type PcNames, type Procedures } from './procedures.js';
import { ADDRESS_MASK } from '../model/address.js';
import { shortFunctionName } from './short-name.js';
import type { ObjFile, ObjTool, SourceLines } from './objtool.js';
import { altLinkCandidates, bfdDebugCandidates, jeprofDebugCandidates } from './debug-search.js';
import { DEFAULT_CACHE_BYTES, entryFileName, pruneCache, tableFileOf, tempFileOf } from './cache-prune.js';

// 2: the nm table in columns (one string each), which JSON.parse reads several times faster.
// 3: the table before demangling. 4: names per PC in the entry, the table in a file of its own.
// 5: each text once, addresses and references in flat lists (cache-format.ts). 6: its check.
// (Entry file names changed with hash128 on 2026-12-02: older entries are simply not found.)
const VERSION = 6;

interface Entry extends StoredAnswers {
  version: number;
  /** The whole key: the file name is only its hash, so an entry is used only when this matches. */
  key: string;
}

/**
 * The file's symbol table, in a file of its own next to the entry (`.table.json`): hundreds of KB
 * for libstdc++, read only when a PC is new.
 */
interface TableEntry {
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

/**
 * 128 bits of hash as 32 hex digits: the entry's file name. Four 32-bit FNV-1a lanes with their
 * own offset bases and primes, in plain integer arithmetic: one 128-bit FNV-1a in BigInt cost
 * 0.6 ms per key, 9 ms a cold run. Not node:crypto, whose loading alone costs a warm run more than
 * all its hashing; a collision only costs a miss (entries keep their key).
 */
export function hash128(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  let c = 0x6c62272e;
  let d = 0x62b82175;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x01000197);
    c = Math.imul(c ^ ch, 0x0100019d);
    d = Math.imul(d ^ ch, 0x010001a9);
  }
  // Each lane mixed with the others at the end, so no lane's weak bits show alone.
  const fin = (h: number, salt: number) => {
    h = Math.imul(h ^ (h >>> 16) ^ salt, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0');
  };
  return fin(a, d) + fin(b, a) + fin(c, b) + fin(d, c);
}

/** A file's identity for the key; most debug-file candidates do not exist, and an exception per
 *  missing one (with its stack trace) would cost more than the rest of the key. */
function statKey(path: string): string {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st ? `${path}:${st.size}:${st.mtimeMs}:${st.ino}` : `${path}:-`;
  } catch {
    return `${path}:-`;
  }
}

export class CachingObjTool implements ObjTool {
  constructor(
    private readonly inner: ObjTool,
    private readonly dir: string,
    /** Anything else that changes the answers (tool paths). */
    private readonly salt: string,
    /** The folder's size limit, kept by runs that write (see cache-prune.ts). */
    private readonly maxBytes: number = DEFAULT_CACHE_BYTES,
    /** The tools' working folder: BFD looks for `.build-id/` debug files there too. */
    private readonly cwd: string = process.cwd(),
  ) {}

  /** Cache files this run read or wrote: pruning leaves them alone. */
  private readonly used = new Set<string>();
  private wrote = false;

  /**
   * Why the cache could not be used, one line a kind: a cache may cost speed, never the report, so
   * a failure to read or write it only makes this run ask the tools as --no-cache would.
   */
  readonly notices: string[] = [];

  /** Notes the first fault of this run (one warning is enough to say the cache was not used). */
  private unusable(e: unknown, doing: string, file?: string): void {
    if (this.notices.length > 0) return;
    const code = (e as NodeJS.ErrnoException)?.code ?? '';
    const damaged = e instanceof SyntaxError || (e instanceof Error && e.message.startsWith('cache entry'));
    const why = damaged ? `${file ?? 'an entry'} is damaged (it is written again)` : `cannot ${doing}: ${CACHE_FAULTS[code] ?? ((e as Error)?.message ?? String(e)).split('\n')[0]}`;
    this.notices.push(`symbol cache ${this.dir}: ${why}; the tools answered as with --no-cache`);
  }

  /**
   * Marks a file read as just used (its mtime is the cache's LRU clock; see pruneCache). A
   * read-only cache folder only loses that order.
   */
  private touch(file: string): void {
    this.used.add(file);
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // Not ours to change: the entry still serves.
    }
  }

  get problems(): string[] {
    return this.inner.problems;
  }

  elfInfo(path: string) {
    return this.inner.elfInfo(path);
  }

  exists(path: string): boolean {
    return this.inner.exists(path);
  }

  /**
   * Tools are needed only for files with no entry yet. A cached program means a warm run: the
   * libraries are not even worked out (reading the dump's ends cost a warm run 10 ms or more).
   */
  async prepare(program: string, libraries: () => readonly string[], started?: () => void): Promise<void> {
    const uncached = (path: string) => {
      try {
        const where = this.entryPath(path);
        return !where || !statSync(where.file, { throwIfNoEntry: false });
      } catch {
        // An unreadable cache folder: the tools will run (open() says why).
        return true;
      }
    };
    if (!uncached(program)) return;
    await this.inner.prepare?.(program, () => libraries().filter(uncached), started);
  }

  stream(path: string, fileAddress: bigint): void {
    // Only files without an entry had tools started by prepare(); the rest are ignored there.
    this.inner.stream?.(path, fileAddress);
  }

  addr2lineBroken(): Promise<boolean> {
    return this.inner.addr2lineBroken?.() ?? Promise.resolve(false);
  }

  release(): void {
    this.inner.release?.();
    // Only a run that added to the folder can have taken it past its limit: warm runs never prune.
    try {
      if (this.wrote) pruneCache(this.dir, this.maxBytes, this.used);
    } catch (e) {
      this.unusable(e, 'keep it under its size limit');
    }
  }

  /** entryPath's answers: prepare() and open() both ask, and a key stats half a dozen files. */
  private readonly entries = new Map<string, { file: string; key: string } | undefined>();

  /** The cache file for an object file and its key, or undefined when the file cannot be identified. */
  private entryPath(path: string): { file: string; key: string } | undefined {
    if (!this.entries.has(path)) this.entries.set(path, this.identify(path));
    return this.entries.get(path);
  }

  private identify(path: string): { file: string; key: string } | undefined {
    let st;
    try {
      st = statSync(path);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const elf = this.inner.elfInfo(path);
    const key = [VERSION, this.salt, statKey(path), elf?.buildId ?? '', ...this.debugFiles(path).map(statKey)].join('\n');
    return { file: join(this.dir, entryFileName(hash128(key))), key };
  }

  /**
   * Every place debug information for `path` may come from, derived from the readers' own search
   * (debug-search.ts): BFD's build-id and debuglink candidates, jeprof's by-path copies, and the
   * dwz alt file named by any of them that exists. An answer is reused only while each of these
   * is as it was: there, with the same size, mtime and inode, or still missing.
   */
  private debugFiles(path: string): string[] {
    const elf = this.inner.elfInfo(path);
    const found = [...jeprofDebugCandidates(path, elf?.buildId, true), ...bfdDebugCandidates(path, elf, this.cwd)];
    const out = [...found];
    for (const f of [path, ...found]) {
      const alt = (f === path ? elf : this.inner.exists(f) ? this.inner.elfInfo(f) : undefined)?.debugAltLink;
      if (alt) out.push(...altLinkCandidates(f, alt, this.cwd));
    }
    return out;
  }

  open(path: string): ObjFile {
    const inner = this.inner.open(path);
    const where = this.entryPath(path);
    const file = where?.file;
    const entryKey = where?.key ?? '';
    let entry = new Answers();
    if (where) {
      try {
        const e = JSON.parse(readFileSync(where.file, 'utf8')) as Entry;
        if (e.version === VERSION && e.key === where.key) {
          entry = new Answers(e).check();
          this.touch(where.file);
        }
      } catch (e) {
        // No entry yet is the usual miss; anything else is said once, and the tools answer.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.unusable(e, 'read it', where.file);
        entry = new Answers();
      }
    }
    let dirty = false;
    const tableFile = file && tableFileOf(file);
    let loaded: TableEntry | undefined;
    let tableDirty = false;
    const table = (): TableEntry => {
      if (!loaded) {
        loaded = { version: VERSION, key: entryKey };
        try {
          const e = tableFile ? checkTable(JSON.parse(readFileSync(tableFile, 'utf8')) as TableEntry) : undefined;
          if (e && e.version === VERSION && e.key === entryKey) {
            loaded = e;
            this.touch(tableFile!);
          }
        } catch (e) {
          // Not written yet, or damaged: the table is read from the file again.
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.unusable(e, 'read it', tableFile);
        }
      }
      return loaded;
    };
    const write = (path: string, data: unknown) => {
      const tmp = tempFileOf(path, process.pid);
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(tmp, JSON.stringify(data));
        renameSync(tmp, path);
        this.used.add(path);
        this.wrote = true;
        return true;
      } catch (e) {
        // A read-only or full cache folder, or a file where the folder should be: only speed is lost.
        this.unusable(e, 'write to it');
        try {
          rmSync(tmp, { force: true });
        } catch {
          // Nothing was written there either.
        }
        return false;
      }
    };
    const save = () => {
      // The table first: an entry whose names are saved is never without the table they came from.
      if (tableFile && tableDirty && loaded && write(tableFile, loaded)) tableDirty = false;
      if (file && dirty && write(file, { version: VERSION, key: entryKey, ...entry.store() } satisfies Entry)) dirty = false;
    };
    /** The finished table (nm's names, demangled) in the columns of Entry.symbols. */
    const keepTable = (t: { symbols: readonly { fullName: string; start: bigint; end: bigint }[]; sepAddress?: bigint }) => {
      table().symbols = {
        count: t.symbols.length,
        names: t.symbols.map((s) => s.fullName).join('\n'),
        starts: t.symbols.map((s) => s.start.toString(16)).join(' '),
        ends: t.symbols.map((s) => s.end.toString(16)).join(' '),
        sep: t.sepAddress?.toString(16),
      };
      tableDirty = true;
    };
    const symbols = async (filter?: RegExp): Promise<NmTable> => {
      if (filter) return inner.symbols(filter);
      const cached = table().symbols;
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
      keepTable(t);
      return t;
    };
    // Everything but pcNames, which falls back on it for PCs the entry has not seen.
    const base: ObjFile = {
      symbols,
      procedures: async (): Promise<Procedures> => {
        const kept = table();
        /** The file's own procedures, when this run read its table (the entry had none). */
        let read: Procedures | undefined;
        if (!kept.procedures) {
          // A finished table (nm did the demangling) is what symbols() keeps.
          if (kept.symbols) return tableProcedures(await symbols());
          const t = await proceduresOf(inner);
          if (t.finished) {
            keepTable({ symbols: t.routines.map((r) => ({ fullName: r.name, start: r.start, end: r.end })), sepAddress: t.sepAddress });
            return t;
          }
          kept.procedures = { routines: t.routines.map((r) => [r.name, r.tagged ? 1 : 0, r.addr]), sep: t.sepAddress?.toString(16), names: {} };
          tableDirty = true;
          read = t;
        }
        const p = kept.procedures;
        const demangle: Procedures['demangle'] = async (names) => {
          const missing = names.filter((n) => !Object.hasOwn(p.names, n));
          if (missing.length > 0) {
            const got = await (await proceduresOf(inner)).demangle(missing);
            if (!got) return undefined;
            for (const n of missing) p.names[n] = got.get(n) ?? n;
            tableDirty = true;
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
      },
      sourceLines: async (addrs: readonly bigint[], separator?: bigint): Promise<SourceLines | undefined> => {
        const suffix = separator === undefined ? '' : '|i';
        const keys = addrs.map((a) => a.toString(16) + suffix);
        const have = entry.framesOf(keys);
        // Positions of the addresses not stored: a cold run's are all twenty thousand of them.
        const missing: number[] = [];
        for (let i = 0; i < addrs.length; i++) if (have[i] === undefined) missing.push(i);
        if (missing.length === 0) return have as SourceLines;
        const got = await inner.sourceLines(
          missing.map((i) => addrs[i]),
          separator,
        );
        if (!got) return undefined;
        const out = have as SourceLines;
        missing.forEach((i, k) => {
          // Only complete answers are kept; what a tool that died mid-way left out is asked again next time.
          const frames = got[k];
          if (frames !== undefined && frames.length > 0) entry.setFrames(keys[i], frames);
          out[i] = frames;
        });
        dirty = true;
        return out;
      },
      disassemble: (start, stop) => inner.disassemble(start, stop),
      close: () => {
        save();
        inner.close();
      },
    };
    const pcNames = (pcs: readonly bigint[], bias: bigint): PcNames => {
      const fileHex = pcs.map((pc) => ((pc - bias) & ADDRESS_MASK).toString(16));
      const known = entry.sep === undefined ? undefined : entry.namesOf(fileHex);
      if (known) {
        const out = known.map((n, i): PcName | undefined => {
          if (n === null) return undefined;
          if (n !== 0) return { short: n[0], full: n[1] };
          const unknown = unknownPcName(pcs[i]);
          return { short: unknown, full: unknown };
        });
        return { sepAddress: Promise.resolve(entry.sep === '' ? undefined : BigInt('0x' + entry.sep)), names: Promise.resolve(out) };
      }
      const looked = pcNamesOf(base, pcs, bias);
      const names = Promise.all([looked.sepAddress, looked.names]).then(([sep, got]) => {
        entry.setNames(
          sep === undefined ? '' : sep.toString(16),
          fileHex,
          pcs.map((pc, i): CachedName => {
            const n = got[i];
            // lookupNm names a PC no routine holds after the PC itself (`0x` and 16 digits: the
            // text is made only for names that could be it).
            const unknown = n !== undefined && n.full.length === 18 && n.full.startsWith('0x') && n.full === unknownPcName(pc);
            return n === undefined ? null : unknown ? 0 : [n.short, n.full];
          }),
        );
        dirty = true;
        return got;
      });
      return { sepAddress: looked.sepAddress, names };
    };
    return { ...base, pcNames };
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

/** What a failed cache read or write says, by errno. */
const CACHE_FAULTS: Record<string, string> = {
  ENOTDIR: 'it (or a folder above it) is a file, not a folder',
  EEXIST: 'it is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'an entry is a folder',
  ELOOP: 'a symlink loop',
};

/** $JEPROF_TS_CACHE, else $XDG_CACHE_HOME/jeprof-ts, else ~/.cache/jeprof-ts. */
export function defaultCacheDir(env: NodeJS.ProcessEnv, home: string): string {
  if (env.JEPROF_TS_CACHE) return env.JEPROF_TS_CACHE;
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'jeprof-ts');
}
