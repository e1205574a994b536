// Starts a run: the one-file bundle with V8's cache of its compiled code when the build made one
// (dist/bundle/main.cjs and main.cjs.cache, see scripts/bundle.mjs), else tsc's output. Through
// vm.Script with that cache, a run neither resolves ~60 files nor parses and compiles them: about
// 50 ms of a 0.5 s run. A bundle older than tsc's output (tsc run alone after an edit) is passed
// over, so it never runs stale code. The build also makes a CommonJS copy of this file
// (dist/bundle/start.cjs), which bin/jeprof-ts.js requires: no ES module loader to start, about
// 8 ms of every run. Paths here are written to hold from dist/cli and dist/bundle alike.
import { createRequire } from 'node:module';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

type Main = (argv: string[]) => Promise<number>;

/** A code cache smaller than this share of the bundle's source is not written (see loadBundle). */
const THIN_CACHE = 0.45;

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const mtime = (p: string) => statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** Runs jeprof-ts on the process's arguments; the exit code goes to process.exitCode. */
export async function start(): Promise<void> {
  const bundle = path('../bundle/main.cjs');
  const esm = new URL('../cli/main.js', import.meta.url);
  const built = mtime(bundle);
  const fresh = built > 0 && built >= mtime(fileURLToPath(esm));
  const { main } = fresh ? loadBundle(bundle) : ((await import(esm.href)) as { main: Main });
  process.exitCode = await main(process.argv.slice(2));
}

/**
 * Runs the bundle as Node runs a CommonJS module, with V8's cache of its compiled code. V8 checks
 * the cache against the source, its own version and its flags, and ignores one that does not fit;
 * then (or when there is none) the cache is written when the run ends, with all it compiled,
 * unless the run did next to nothing.
 */
export function loadBundle(file: string): { main: Main } {
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const { script, source } = compileBundle(file, cachedData);
  const module = { exports: {} as { main: Main } };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      const data = script.createCachedData();
      // A run that only printed its help or version compiled too little to be worth keeping
      // (a fitting cache is never replaced, so a thin one would stay): 0.3 of the source for
      // those, 0.5 for a warm report, 0.9 for a cold one, whose tools bring execa in.
      if (data.length < THIN_CACHE * source.length) return;
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
