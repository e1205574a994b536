// `jeprof-ts cache [clear]`: where the symbol cache lives, what it holds and its limit, and a way
// to empty it (as `ccache -s` / `go clean -cache` do).
import { homedir } from 'node:os';
import { statSync } from 'node:fs';
import { JeprofError, UsageError } from '../model/errors.js';
import { groupDigits, humanBytes } from '../report/human.js';
import { cacheContents, clearCache, DEFAULT_CACHE_BYTES, parseCacheSize } from '../symbolize/cache-prune.js';
import { defaultCacheDir } from '../symbolize/cache-key.js';
import { printable } from '../report/printable.js';
import type { CliIO } from './io.js';

/** $JEPROF_TS_CACHE_SIZE in bytes, the default when unset; a usage error when it is not a size. */
export function cacheLimit(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_CACHE_BYTES;
  const bytes = parseCacheSize(text);
  if (bytes === undefined) throw new UsageError(`JEPROF_TS_CACHE_SIZE='${printable(text.slice(0, 40))}' is not a size (bytes, or a number with K, M or G: 500M, 2G)`);
  return bytes;
}

export async function runCacheCommand(action: string | undefined, json: boolean, io: CliIO): Promise<number> {
  const dir = defaultCacheDir(io.env, homedir());
  const limit = cacheLimit(io.env.JEPROF_TS_CACHE_SIZE);
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new JeprofError(`symbol cache ${printable(dir)} is not a folder (set $JEPROF_TS_CACHE to a folder, or remove the file)`);
  const read = (f: () => ReturnType<typeof cacheContents>) => {
    try {
      return f();
    } catch (e) {
      throw new JeprofError(`cannot read the symbol cache ${printable(dir)}: ${(e as Error).message}`, { cause: e });
    }
  };
  if (action === undefined || action === 'info') {
    const c = read(() => cacheContents(dir));
    if (json) {
      io.stdout(JSON.stringify({ schema: 'jeprof-ts/cache/1', dir, exists: st !== undefined, entries: c.entries, bytes: c.bytes, limitBytes: limit }, null, 2) + '\n');
      return 0;
    }
    const row = (k: string, v: string) => `${k.padEnd(10)}${v}\n`;
    io.stdout(
      row('location', dir + (io.env.JEPROF_TS_CACHE ? '' : ' (set $JEPROF_TS_CACHE to move it)')) +
        row('entries', String(c.entries)) +
        row('size', `${groupDigits(c.bytes)} bytes (${humanBytes(c.bytes)})`) +
        row('limit', `${groupDigits(limit)} bytes (${humanBytes(limit)}${io.env.JEPROF_TS_CACHE_SIZE ? '' : '; set $JEPROF_TS_CACHE_SIZE to change it'})`),
    );
    return 0;
  }
  if (action === 'clear') {
    const c = read(() => clearCache(dir));
    if (json) io.stdout(JSON.stringify({ schema: 'jeprof-ts/cache-clear/1', dir, removedEntries: c.entries, removedBytes: c.bytes }, null, 2) + '\n');
    else io.stdout(`removed ${c.entries} entries (${humanBytes(c.bytes)}) from ${dir}\n`);
    return 0;
  }
  throw new UsageError(`cache: unknown action '${printable(action)}' (use 'jeprof-ts cache' or 'jeprof-ts cache clear')`);
}
