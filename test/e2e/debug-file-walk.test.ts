// A real stripped program and library (fixtures/debug-walk) whose separate debug files walk through
// every place binutils 2.40 and jeprof look for them, from each place to each other place and
// back, with one symbol cache for the whole walk: after every move the cached run, a --no-cache
// run and the real jeprof must print the same reports. The places are written out here from
// BFD's source (bfd/opncls.c find_separate_debug_file, dwarf2.c) and jeprof's DebuggingLibrary,
// not taken from the code under test.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { needTool } from '../helpers/need.js';
import { tempDir } from '../helpers/temp-dir.js';

const SRC = new URL('../../fixtures/debug-walk/', import.meta.url).pathname;
/** mallctl("prof.dump") found at run time, shared with the scenario programs. */
const JEDUMP = new URL('../../scripts/scenarios/src/jedump.h', import.meta.url).pathname;
const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
/** BFD's EXTRA_DEBUG_ROOT1, jeprof's debug root. */
const ROOT1 = '/usr/lib/debug';
/** BFD's EXTRA_DEBUG_ROOT2. */
const ROOT2 = '/usr/lib/debug/usr';
/** BFD's DEBUGDIR on Debian ($libdir/debug). */
const DEBUGDIR = '/usr/lib/x86_64-linux-gnu/debug';

interface Walker {
  /** The ELF file whose debug file moves (absolute, as the dump names it). */
  file: string;
  /** Its .gnu_debuglink name. */
  link: string;
  buildId: string;
  /** The debug file's bytes, kept aside. */
  keep: string;
}

let W = '';
let heaps: string[] = [];
let app: Walker;
let lib: Walker;
/** dwz's file of DWARF shared by both debug files, as Fedora lays it out (a relative alt link). */
let alt = '';
/** Where the alt file waits while it is away. */
let altAway = '';
/** Files and folders the walk may create outside W, removed at the end. */
const outside = new Set<string>();

const sh = (cmd: string, args: string[], cwd = W) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const buildIdOf = (f: string) => /Build ID: ([0-9a-f]+)/.exec(sh('readelf', ['-n', f]))![1];

/** Every place of the debug file of `w`, by name: BFD's build-id and debuglink searches, then jeprof's. */
function places(w: Walker): Record<string, string> {
  const id = `.build-id/${w.buildId.slice(0, 2)}/${w.buildId.slice(2)}.debug`;
  const dir = dirname(w.file);
  return {
    beside: join(dir, w.link),
    dotdebug: join(dir, '.debug', w.link),
    'link-root1': ROOT1 + dir + '/' + w.link,
    'link-root2': ROOT2 + dir + '/' + w.link,
    'link-debugdir': DEBUGDIR + dir + '/' + w.link,
    // build-id candidates 1 and 2 are relative to the tools' working folder, the run's: W.
    'id-cwd': join(W, id),
    'id-cwd-dotdebug': join(W, '.debug', id),
    'id-root1': join(ROOT1, id),
    'id-root2': join(ROOT2, id),
    'id-debugdir': join(DEBUGDIR, id),
    'jeprof-path': ROOT1 + w.file,
    'jeprof-path-debug': ROOT1 + w.file + '.debug',
  };
}

/** Makes each missing folder on the way to `file`, noting the ones outside W for removal. */
function makeFolders(file: string): void {
  const missing: string[] = [];
  for (let d = dirname(file); !existsSync(d); d = dirname(d)) missing.push(d);
  mkdirSync(dirname(file), { recursive: true });
  for (const d of missing) if (!d.startsWith(W)) outside.add(d);
}

/** Puts the debug file of `w` at `place` ('none': nowhere), removing it from every other place. */
function put(w: Walker, place: string): void {
  const all = places(w);
  for (const p of Object.values(all)) rmSync(p, { force: true });
  if (place === 'none') return;
  makeFolders(all[place]);
  if (!all[place].startsWith(W)) outside.add(all[place]);
  copyFileSync(w.keep, all[place]);
}

function setAlt(present: boolean): void {
  if (present && existsSync(altAway)) {
    makeFolders(alt);
    outside.add(alt);
    renameSync(altAway, alt);
  }
  if (!present && existsSync(alt)) renameSync(alt, altAway);
}

beforeAll(() => {
  for (const [t, p] of [['g++', 'g++'], ['objcopy', 'binutils'], ['strip', 'binutils'], ['readelf', 'binutils'], ['dwz', 'dwz'], ['jeprof', 'libjemalloc-dev']]) needTool(t, p);
  if (!existsSync(JEMALLOC)) throw new Error(`${JEMALLOC} is missing (apt-get install libjemalloc-dev)`);
  W = tempDir('jeprof-ts-walk-');
  for (const f of ['app.cpp', 'walklib.cpp']) copyFileSync(join(SRC, f), join(W, f));
  copyFileSync(JEDUMP, join(W, 'jedump.h'));
  sh('g++', ['-O2', '-g', '-fPIC', '-shared', '-Wl,--build-id=sha1', '-o', 'libwalk.so', 'walklib.cpp']);
  sh('g++', ['-O2', '-g', '-Wl,--build-id=sha1', '-o', 'app', 'app.cpp', '-L.', '-lwalk', `-Wl,-rpath,${W}`, '-ldl']);
  // Plain debug files for the walk; the stripped files' debuglinks carry their CRC.
  sh('objcopy', ['--only-keep-debug', 'app', 'app.dbg']);
  sh('objcopy', ['--only-keep-debug', 'libwalk.so', 'libwalk.so.dbg']);
  // Copies made smaller by dwz, sharing one alt file named relative to the build-id folder (the
  // only kind BFD finds from there: see debug-search.ts), for the alt file's own walk.
  mkdirSync(join(W, 'keep'));
  copyFileSync(join(W, 'app.dbg'), join(W, 'keep', 'app.dwz'));
  copyFileSync(join(W, 'libwalk.so.dbg'), join(W, 'keep', 'libwalk.so.dwz'));
  const altName = `jeprof-ts-walk-${process.pid}.debug`;
  alt = join(ROOT1, '.dwz', altName);
  altAway = join(W, 'keep', altName);
  sh('dwz', ['-m', altAway, '-M', `../../.dwz/${altName}`, 'keep/app.dwz', 'keep/libwalk.so.dwz']);
  for (const f of ['app', 'libwalk.so']) {
    sh('strip', ['--strip-all', f]);
    sh('objcopy', [`--add-gnu-debuglink=${f}.dbg`, f]);
  }
  app = { file: join(W, 'app'), link: 'app.dbg', buildId: buildIdOf(join(W, 'app')), keep: join(W, 'keep', 'app.dbg') };
  lib = { file: join(W, 'libwalk.so'), link: 'libwalk.so.dbg', buildId: buildIdOf(join(W, 'libwalk.so')), keep: join(W, 'keep', 'libwalk.so.dbg') };
  renameSync(join(W, 'app.dbg'), app.keep);
  renameSync(join(W, 'libwalk.so.dbg'), lib.keep);
  execFileSync('./app', [], { cwd: W, env: { ...process.env, LD_PRELOAD: JEMALLOC, MALLOC_CONF: `prof:true,lg_prof_sample:10,prof_prefix:${W}/jeprof` }, stdio: 'ignore' });
  heaps = readdirSync(W).filter((f) => /^jeprof\.\d+\.\d+\.m\d+\.heap$/.test(f)).sort();
  expect(heaps).toHaveLength(2);
}, 120_000);

afterAll(() => {
  // Longest first: files before the folders that hold them.
  for (const p of [...outside].sort((a, b) => b.length - a.length)) {
    try {
      if (statSync(p).isDirectory()) rmdirSync(p);
      else rmSync(p);
    } catch {
      // Gone already, or a folder that holds files of others: left alone.
    }
  }
});

const MODES: Record<string, string[]> = {
  text: ['--text'],
  lines: ['--text', '--lines'],
  base: ['--text', `--base=HEAP0`],
};

function argsOf(mode: string): string[] {
  return [...MODES[mode].map((a) => a.replace('HEAP0', heaps[0])), './app', heaps[1]];
}

/**
 * A walk through `places` in which every ordered pair of different places follows one another
 * exactly once: an Euler circuit of the complete directed graph on them (Hierholzer's), so n
 * places take n(n-1) moves and the walk ends where it began. Each move runs all three modes; the
 * jeprof and --no-cache runs are made once per place (they keep nothing between runs), so the
 * moves cost only the cached runs, mostly cache hits: measured on 2 loaded cores, the program's
 * 471 cached runs (156 moves) took 6 s in all, as its 186 of the old 61-move walk did, against
 * 34 to 75 s for jeprof's 39 runs. So every move runs every mode; no subset is needed.
 */
function walkOrder(places: string[]): string[] {
  const next = places.map(() => 0);
  const stack = [0];
  const circuit: number[] = [];
  while (stack.length > 0) {
    const u = stack[stack.length - 1];
    if (next[u] === u) next[u]++;
    if (next[u] < places.length) stack.push(next[u]++);
    else circuit.push(stack.pop()!);
  }
  return circuit.reverse().map((i) => places[i]);
}

/** Every place of places() and nowhere. */
const PLACES = ['none', 'beside', 'dotdebug', 'link-root1', 'link-root2', 'link-debugdir', 'id-cwd', 'id-cwd-dotdebug', 'id-root1', 'id-root2', 'id-debugdir', 'jeprof-path', 'jeprof-path-debug'];

interface State {
  /** Where each walker's debug file is (a place name, 'none', or a file to copy to its id-root1 place). */
  place: string;
  alt: boolean;
}

/** Walks `w`'s debug file through `states`; returns every step whose three reports were not one. */
async function walk(w: Walker, states: State[], keep = w.keep): Promise<string[]> {
  const cache = tempDir('jeprof-ts-walk-cache-');
  const fixed = new Map<string, string>();
  const memo = async (key: string, make: () => Promise<string> | string) => {
    if (!fixed.has(key)) fixed.set(key, await make());
    return fixed.get(key)!;
  };
  const failures: string[] = [];
  for (let n = 0; n < states.length; n++) {
    const { place, alt: altPresent } = states[n];
    put({ ...w, keep }, place);
    setAlt(altPresent);
    for (const mode of Object.keys(MODES)) {
      const args = argsOf(mode);
      const state = `${place}/${altPresent ? 'alt' : 'no-alt'}/${mode}`;
      const jeprof = await memo(`jeprof ${state}`, () => execFileSync('jeprof', args, { cwd: W, stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1'));
      const fresh = await memo(`fresh ${state}`, async () => (await runCli(['--no-cache', ...args], { cwd: W })).stdout);
      const cached = (await runCli(args, { cwd: W, env: { JEPROF_TS_CACHE: cache } })).stdout;
      const after = n > 0 ? `${states[n - 1].place}/${states[n - 1].alt ? 'alt' : 'no-alt'}` : 'start';
      if (fresh !== jeprof) failures.push(`step ${n} ${state}: --no-cache differs from jeprof\n--- jeprof\n${jeprof}\n--- jeprof-ts --no-cache\n${fresh}`);
      if (cached !== jeprof) failures.push(`step ${n} ${state} (after ${after}): the cached run differs from jeprof\n--- jeprof\n${jeprof}\n--- jeprof-ts\n${cached}`);
    }
  }
  // The walk must have seen the debug information come and go: the places' reports differ.
  const distinct = new Set([...fixed.entries()].filter(([k]) => k.startsWith('jeprof ') && k.endsWith('/lines')).map(([, v]) => v));
  expect(distinct.size, 'reports that differ between the states walked').toBeGreaterThanOrEqual(2);
  return failures;
}

const placesOf = (order: string[]): State[] => order.map((place) => ({ place, alt: false }));

describe('a debug file walked through every place binutils and jeprof look', () => {
  it('the walk moves from each place to each other place (nowhere too)', () => {
    expect(Object.keys(places(app)).sort()).toEqual(PLACES.filter((p) => p !== 'none').sort());
    const order = walkOrder(PLACES);
    const moves = order.slice(1).map((p, i) => `${order[i]} -> ${p}`);
    const all = PLACES.flatMap((a) => PLACES.filter((b) => b !== a).map((b) => `${a} -> ${b}`));
    expect(moves.sort()).toEqual(all.sort());
  });

  it("the program's: cached, --no-cache and jeprof print the same after every move", async () => {
    put(lib, 'beside');
    const failures = await walk(app, placesOf(walkOrder(PLACES)));
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
  }, 900_000);

  it("a library's: the same", async () => {
    put(app, 'beside');
    const failures = await walk(lib, placesOf(walkOrder(PLACES)));
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
  }, 900_000);

  it('a dwz alt file appearing and going, under debug files found by build id: the same', async () => {
    // Both debug files, made smaller by dwz, in the global build-id folder: their alt link
    // (../../.dwz/...) then names the alt file's place. The program's debug file walks the same
    // way meanwhile, so the library is not the only file whose answers change.
    put({ ...lib, keep: join(W, 'keep', 'libwalk.so.dwz') }, 'id-root1');
    const states: State[] = [true, false, true, false, false, true].map((a) => ({ place: 'id-root1', alt: a }));
    const failures = await walk(app, [{ place: 'none', alt: true }, ...states, { place: 'none', alt: false }, { place: 'id-root1', alt: true }], join(W, 'keep', 'app.dwz'));
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
  }, 900_000);
});
