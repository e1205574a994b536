// An on-disk cache of what nm and addr2line said about each object file, so a second run on the
// same binaries starts no tool at all. Entries are keyed by everything that can change the
// tools' answers: the file's identity (path, size, mtime, inode, GNU build id), the debug files
// binutils may read for it, and which nm/addr2line are used.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Addr2LineFrame } from './addr2line-output.js';
import type { NmTable } from './nm-output.js';
import { proceduresOf, tableProcedures, type Procedures } from './procedures.js';
import { shortFunctionName } from './short-name.js';
import type { ObjFile, ObjTool } from './objtool.js';

const VERSION = 1;

interface Entry {
  version: number;
  /** nm's table for the default filter: [full name, start hex, end hex]. */
  symbols?: { list: [string, string, string][]; sep?: string };
  /**
   * The default table before demangling: [name as listed, 1 when tagged, nm's address text] per
   * routine (each ends where the next starts), and the demangled names looked up so far.
   */
  procedures?: { routines: [string, number, string][]; sep?: string; names: Record<string, string> };
  /** addr2line answers: "<file address hex>" or "<hex>|i" (with -i) -> frames. */
  frames: Record<string, [string, string][]>;
}

function statKey(path: string): string {
  try {
    const st = statSync(path);
    return `${path}:${st.size}:${st.mtimeMs}:${st.ino}`;
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
  ) {}

  get problems(): string[] {
    return this.inner.problems;
  }

  elfInfo(path: string) {
    return this.inner.elfInfo(path);
  }

  exists(path: string): boolean {
    return this.inner.exists(path);
  }

  /** The cache file for an object file, or undefined when the file cannot be identified. */
  private entryPath(path: string): string | undefined {
    let st;
    try {
      st = statSync(path);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const elf = this.inner.elfInfo(path);
    const id = elf?.buildId ?? '';
    const debug = ['/usr/lib/debug' + path, '/usr/lib/debug' + path + '.debug'];
    if (elf?.debugLink) {
      // Where binutils looks for a .gnu_debuglink file: next to the binary, in .debug/, under /usr/lib/debug.
      const dir = dirname(path);
      debug.push(join(dir, elf.debugLink), join(dir, '.debug', elf.debugLink), join('/usr/lib/debug', dir, elf.debugLink));
    }
    if (id.length > 2) debug.push(`/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`);
    const key = [VERSION, this.salt, statKey(path), id, ...debug.map(statKey)].join('\n');
    return join(this.dir, createHash('sha256').update(key).digest('hex').slice(0, 32) + '.json');
  }

  open(path: string): ObjFile {
    const inner = this.inner.open(path);
    const file = this.entryPath(path);
    let entry: Entry = { version: VERSION, frames: {} };
    if (file) {
      try {
        const e = JSON.parse(readFileSync(file, 'utf8')) as Entry;
        if (e.version === VERSION) entry = e;
      } catch {
        // No entry yet, or a damaged one: start afresh.
      }
    }
    let dirty = false;
    const save = () => {
      if (!file || !dirty) return;
      try {
        mkdirSync(dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(entry));
        renameSync(tmp, file);
        dirty = false;
      } catch {
        // A read-only or full cache folder only costs speed.
        rmSync(`${file}.${process.pid}.tmp`, { force: true });
      }
    };
    const symbols = async (filter?: RegExp): Promise<NmTable> => {
      if (filter) return inner.symbols(filter);
      if (entry.symbols) {
        return {
          symbols: entry.symbols.list.map(([fullName, s, e]) => ({ fullName, shortName: shortFunctionName(fullName), start: BigInt('0x' + s), end: BigInt('0x' + e) })),
          sepAddress: entry.symbols.sep === undefined ? undefined : BigInt('0x' + entry.symbols.sep),
        };
      }
      const t = await inner.symbols();
      entry.symbols = { list: t.symbols.map((s) => [s.fullName, s.start.toString(16), s.end.toString(16)]), sep: t.sepAddress?.toString(16) };
      dirty = true;
      return t;
    };
    return {
      symbols,
      procedures: async (): Promise<Procedures> => {
        if (!entry.procedures) {
          // A finished table (nm did the demangling) is what symbols() keeps.
          if (entry.symbols) return tableProcedures(await symbols());
          const t = await proceduresOf(inner);
          if (t.finished) {
            entry.symbols = { list: t.routines.map((r) => [r.name, r.start.toString(16), r.end.toString(16)]), sep: t.sepAddress?.toString(16) };
            dirty = true;
            return t;
          }
          entry.procedures = { routines: t.routines.map((r) => [r.name, r.tagged ? 1 : 0, r.addr]), sep: t.sepAddress?.toString(16), names: {} };
          dirty = true;
        }
        const p = entry.procedures;
        const starts = p.routines.map(([, , addr]) => BigInt('0x' + addr));
        return {
          routines: p.routines.map(([name, tagged, addr], i) => ({ name, tagged: tagged === 1, addr, start: starts[i], end: starts[i + 1] ?? starts[i] })),
          sepAddress: p.sep === undefined ? undefined : BigInt('0x' + p.sep),
          demangle: async (names) => {
            const missing = names.filter((n) => !Object.hasOwn(p.names, n));
            if (missing.length > 0) {
              const got = await (await proceduresOf(inner)).demangle(missing);
              if (!got) return undefined;
              for (const n of missing) p.names[n] = got.get(n) ?? n;
              dirty = true;
            }
            return new Map(names.map((n) => [n, p.names[n]]));
          },
        };
      },
      sourceLines: async (addrs: readonly bigint[], separator?: bigint): Promise<Addr2LineFrame[][] | undefined> => {
        const suffix = separator === undefined ? '' : '|i';
        const missing = addrs.filter((a) => !((a.toString(16) + suffix) in entry.frames));
        if (missing.length > 0) {
          const got = await inner.sourceLines(missing, separator);
          if (!got) return undefined;
          missing.forEach((a, i) => {
            // Only complete answers are kept; a tool that died mid-way is asked again next time.
            if (got[i].length > 0) entry.frames[a.toString(16) + suffix] = got[i].map((f) => [f.func, f.fileLine]);
          });
          dirty = true;
          if (got.some((g) => g.length === 0)) {
            const byAddr = new Map(missing.map((a, i) => [a, got[i]]));
            return addrs.map((a) => byAddr.get(a) ?? (entry.frames[a.toString(16) + suffix] ?? []).map(([func, fileLine]) => ({ func, fileLine })));
          }
        }
        return addrs.map((a) => (entry.frames[a.toString(16) + suffix] ?? []).map(([func, fileLine]) => ({ func, fileLine })));
      },
      disassemble: (start, stop) => inner.disassemble(start, stop),
      close: () => {
        save();
        inner.close();
      },
    };
  }
}

/** $JEPROF_TS_CACHE, else $XDG_CACHE_HOME/jeprof-ts, else ~/.cache/jeprof-ts. */
export function defaultCacheDir(env: NodeJS.ProcessEnv, home: string): string {
  if (env.JEPROF_TS_CACHE) return env.JEPROF_TS_CACHE;
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'jeprof-ts');
}
