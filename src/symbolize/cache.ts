// An on-disk cache of what nm and addr2line said about each object file, so a second run on the
// same binaries starts no tool at all. Each object file has an entry (its key and file name:
// cache-key.ts) of the names and lines per PC (cache-format.ts), and its symbol table in a file of
// its own (cache-table.ts); the folder is kept under a size limit (cache-prune.ts).
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Answers, type CachedName, type StoredAnswers } from './cache-format.js';
import { identifyEntry, VERSION } from './cache-key.js';
import { CachedTable } from './cache-table.js';
import { unknownPcName } from './nm-output.js';
import { pcNamesOf, type PcName, type PcNames } from './procedures.js';
import { ADDRESS_MASK } from '../model/address.js';
import type { ObjFile, ObjTool, SourceLines } from './objtool.js';
import { DEFAULT_CACHE_BYTES, pruneCache, tableFileOf, tempFileOf } from './cache-prune.js';

interface Entry extends StoredAnswers {
  version: number;
  /** The whole key: the file name is only its hash, so an entry is used only when this matches. */
  key: string;
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

  /** identifyEntry's answers: prepare() and open() both ask, and a key stats half a dozen files. */
  private readonly entries = new Map<string, { file: string; key: string } | undefined>();

  /** The cache file for an object file and its key, or undefined when the file cannot be identified. */
  private entryPath(path: string): { file: string; key: string } | undefined {
    if (!this.entries.has(path)) this.entries.set(path, identifyEntry(path, this.dir, this.salt, this.cwd, this.inner));
    return this.entries.get(path);
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
    const table = new CachedTable(file && tableFileOf(file), VERSION, entryKey, (f) => this.touch(f), (e, f) => this.unusable(e, 'read it', f));
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
      table.save(write);
      if (file && dirty && write(file, { version: VERSION, key: entryKey, ...entry.store() } satisfies Entry)) dirty = false;
    };
    // Everything but pcNames, which falls back on it for PCs the entry has not seen.
    const base: ObjFile = {
      symbols: (filter) => table.symbols(inner, filter),
      procedures: () => table.procedures(inner),
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
