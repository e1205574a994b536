// Starts a run: the bundle with V8's cache of its compiled code when the build made one
// (dist/bundle/main.cjs and main.cjs.cache and its chunks, see scripts/bundle.mjs), else tsc's output. Through
// vm.Script with that cache, a run neither resolves ~60 files nor parses and compiles them: about
// 50 ms of a 0.5 s run. A bundle older than tsc's output (tsc run alone after an edit) is passed
// over, so it never runs stale code. The build also makes a CommonJS copy of this file
// (dist/bundle/start.cjs), which bin/jeprof-ts.js requires: no ES module loader to start, about
// 8 ms of every run. Paths here are written to hold from dist/cli and dist/bundle alike.
import { createRequire } from 'node:module';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { holdYoungGenerationFor } from './young-generation.js';

type Main = (argv: string[]) => Promise<number>;

/**
 * main's code cache is not written when smaller than this share of its source: a run that only
 * printed its help or version compiled too little to be worth keeping (a fitting cache is never
 * replaced, so a thin one would stay). Of main.cjs's 389 KB, --version compiles 0.47, --help
 * 0.56, a warm report 0.86, a cold one 1.03. A chunk's cache is always written: only a command
 * that uses the chunk loads it.
 */
const THIN_CACHE = 0.7;

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const mtime = (p: string) => statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** Runs jeprof-ts on the process's arguments; the exit code goes to process.exitCode. */
export async function start(): Promise<void> {
  const bundle = path('../bundle/main.cjs');
  const esm = new URL('../cli/main.js', import.meta.url);
  const built = mtime(bundle);
  const fresh = built > 0 && built >= mtime(fileURLToPath(esm));
  // Before anything is compiled; such runs keep code caches of their own (V8's flags differ).
  const held = holdYoungGenerationFor(process.argv.slice(2));
  const { main } = fresh ? loadBundle(bundle, held ? '.held' : '') : ((await import(esm.href)) as { main: Main });
  process.exitCode = await main(process.argv.slice(2));
}

/**
 * Runs the bundle as Node runs a CommonJS module, with V8's cache of its compiled code, and gives
 * it (and each chunk) a `require` that also loads the chunks scripts/bundle-chunks.mjs split off:
 * `jeprof-chunk:<chunk>#<module>` runs dist/bundle/<chunk>.cjs once, with its own code cache, and
 * hands out that module; `jeprof-shared:<module>` is a module of the main bundle, from its
 * __shared table, so a chunk uses main's classes and state rather than copies.
 */
export function loadBundle(file: string, cacheTag = ''): { main: Main } {
  const dir = dirname(file);
  const base = createRequire(file);
  const chunks = new Map<string, Record<string, unknown>>();
  let shared: Record<string, unknown> = {};
  const load = (id: string): unknown => {
    if (id.startsWith('jeprof-shared:')) return shared[id.slice('jeprof-shared:'.length)];
    if (!id.startsWith('jeprof-chunk:')) return base(id);
    const [chunk, module] = id.slice('jeprof-chunk:'.length).split('#');
    let entries = chunks.get(chunk);
    if (entries === undefined) {
      entries = (runCached(join(dir, `${chunk}.cjs`), chunkRequire, 0, cacheTag) as { __entries: Record<string, unknown> }).__entries;
      chunks.set(chunk, entries);
    }
    return entries[module];
  };
  const chunkRequire = Object.assign(load, { resolve: base.resolve, cache: base.cache, main: base.main, extensions: base.extensions }) as NodeJS.Require;
  const exports = runCached(file, chunkRequire, THIN_CACHE, cacheTag) as { main: Main; __shared?: Record<string, unknown> };
  shared = exports.__shared ?? {};
  return exports;
}

/**
 * Runs one CommonJS file with `moduleRequire` as its require, and its code cache `<file>.cache`.
 * V8 checks the cache against the source, its own version and its flags, and ignores one that does
 * not fit; then (or when there is none) the cache is written when the process exits, with all the
 * run compiled, unless that is less than `thin` of the source. Runs with other V8 flags (a big
 * dump's, see young-generation.ts) use `<file><cacheTag>.cache`: one cache for both would be
 * rejected and written again at every switch.
 */
function runCached(file: string, moduleRequire: NodeJS.Require, thin: number, cacheTag = ''): unknown {
  const cacheFile = `${file}${cacheTag}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const { script, source } = compileBundle(file, cachedData);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, moduleRequire, module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      const data = script.createCachedData();
      if (data.length < thin * source.length) return;
      // Best effort, never a partial file: an install may be read-only, another run may race.
      const temp = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(temp, data);
        renameSync(temp, cacheFile);
      } catch {
        rmSync(temp, { force: true });
      }
    });
  }
  return module.exports;
}

/** The bundle compiled as a CommonJS module's wrapper function, with `cachedData` as its code cache. */
export function compileBundle(file: string, cachedData?: Buffer): { script: vm.Script; source: string } {
  const source = readFileSync(file, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  return { script, source };
}
