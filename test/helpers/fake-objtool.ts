// A fake ObjTool answering from fixtures/bin/*.json, failing loudly on files it does not know
// (pprof's mockObjTool): symbolizer and pipeline tests run without binutils.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Addr2LineFrame } from '../../src/symbolize/addr2line-output.js';
import { parseNmOutput } from '../../src/symbolize/nm-output.js';
import type { ObjFile, ObjTool } from '../../src/symbolize/objtool.js';

interface FakeFile {
  nm: string;
  /** `nm -D -n` text, tried when `nm` has no routine matching the filter (as jeprof). */
  nmDynamic?: string;
  addr2line: Record<string, [string, string][]>;
  /** objdump's text per `<start 16 hex>-<stop 16 hex>` range (the --list/--disasm fixtures). */
  objdump?: Record<string, string>;
}

const DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'fixtures', 'bin');

function loadFixtures(): Map<string, FakeFile> {
  const out = new Map<string, FakeFile>();
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.json'))) {
    const data = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, FakeFile | string>;
    for (const [name, v] of Object.entries(data)) if (typeof v !== 'string') out.set(name, v);
  }
  return out;
}

export class FakeObjTool implements ObjTool {
  readonly problems: string[] = [];
  readonly opened: string[] = [];
  private readonly files = loadFixtures();

  open(path: string): ObjFile {
    const fake = this.files.get(basename(path));
    if (!fake) throw new Error(`fake objtool: no fixture for ${path} in fixtures/bin/*.json`);
    this.opened.push(path);
    return {
      symbols: async (filter?: RegExp) => {
        const table = parseNmOutput(fake.nm, filter);
        return table.symbols.length > 0 || fake.nmDynamic === undefined ? table : parseNmOutput(fake.nmDynamic, filter);
      },
      sourceLines: async (addrs: readonly bigint[]) =>
        addrs.map((a): Addr2LineFrame[] => {
          const key = a.toString(16).padStart(16, '0');
          const frames = fake.addr2line[key];
          if (!frames) throw new Error(`fake objtool: ${basename(path)} has no addr2line answer for ${key}`);
          return frames.map(([func, fileLine]) => ({ func, fileLine }));
        }),
      disassemble: async (start: bigint, stop: bigint) => {
        const key = `${start.toString(16).padStart(16, '0')}-${stop.toString(16).padStart(16, '0')}`;
        const text = fake.objdump?.[key];
        if (text === undefined) throw new Error(`fake objtool: ${basename(path)} has no objdump answer for ${key}`);
        return text;
      },
      close: () => {},
    };
  }

  /** Fixture binaries are ELF files with no .text correction; debug copies never exist. */
  elfInfo(path: string) {
    return this.known(path) ? {} : undefined;
  }

  exists(path: string) {
    return this.known(path);
  }

  private known(path: string): boolean {
    return !path.startsWith('/usr/lib/debug') && this.files.has(basename(path));
  }

}
