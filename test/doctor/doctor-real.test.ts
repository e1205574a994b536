// doctor on real programs and real dumps: a plain build, a stripped one, separate debug files found
// by .gnu_debuglink and by build id, a moved binary (with and without --map-path, and found through
// --lib_prefix), a dump of another build, and Debian's libraries with and without debug packages.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/capture.js';
import { needTool } from '../helpers/need.js';
import { buildProgram, LEAKY_C } from '../helpers/programs.js';
import { assertSchema } from '../helpers/schemas.js';
import { tempDir } from '../helpers/temp-dir.js';

const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
let W = '';

interface Row {
  dumpPath: string;
  found: string | null;
  how: string;
  build: { verdict: string; returns: { checked: number; afterCall: number } | null; sameInode: boolean | null } | null;
  symbols: string | null;
  debug: { place: string; file: string | null } | null;
  unnamedShare: number;
  unnamedPcs: number;
  advice: string[];
}

/** Builds dir/name from LEAKY_C, runs it under jemalloc (every 1 KiB sampled, prof_accum on), returns its final dump. */
function builtAndRun(name: string, extraSource = ''): string {
  const prog = buildProgram(W, name, extraSource + LEAKY_C);
  const out = join(W, `dumps-${name}`);
  mkdirSync(out);
  execFileSync(prog, ['50'], { cwd: W, env: { ...process.env, LD_PRELOAD: JEMALLOC, MALLOC_CONF: `prof:true,prof_final:true,prof_accum:true,lg_prof_sample:10,prof_prefix:${out}/jeprof` } });
  const f = readdirSync(out).find((x) => x.endsWith('.f.heap'));
  if (!f) throw new Error(`${name} wrote no final dump`);
  return join(out, f);
}

async function doctor(args: string[]): Promise<{ doc: { schema: string; mappings: Row[]; dumps: Record<string, unknown>[] }; code: number }> {
  const r = await runCli(['doctor', '--json', ...args], { cwd: W });
  if (r.code !== 0) throw new Error(`doctor exited ${r.code}: ${r.stderr}`);
  return { doc: JSON.parse(r.stdout), code: r.code };
}
const rowOf = (rows: Row[], path: string) => {
  const r = rows.find((x) => x.dumpPath === path);
  if (!r) throw new Error(`no row for ${path} in ${rows.map((x) => x.dumpPath).join(', ')}`);
  return r;
};

beforeAll(() => {
  for (const [t, p] of [['gcc', 'gcc'], ['strip', 'binutils'], ['objcopy', 'binutils'], ['readelf', 'binutils'], ['addr2line', 'binutils']]) needTool(t, p);
  W = tempDir('jeprof-ts-doctor-');
});

describe('doctor on real files', () => {
  it('a program built with -g: the same build, full symbols, debug information in the file, nothing unnamed', async () => {
    const dump = builtAndRun('plain');
    const { doc } = await doctor(['./plain', dump]);
    expect(doc.schema).toBe('jeprof-ts/doctor/1');
    assertSchema('doctor-1', doc);
    // The document has the fields its JSON Schema requires, and no others.
    const schema = JSON.parse(readFileSync(new URL('../../docs/schemas/doctor-1.schema.json', import.meta.url), 'utf8'));
    expect(Object.keys(doc).sort()).toEqual([...schema.required].sort());
    for (const m of doc.mappings) expect(Object.keys(m).sort()).toEqual([...schema.properties.mappings.items.required].sort());
    expect(Object.keys(doc.dumps[0]).filter((k) => k !== 'lgSample').sort()).toEqual([...schema.properties.dumps.items.required].sort());
    const row = rowOf(doc.mappings, join(W, 'plain'));
    expect(row).toMatchObject({ found: join(W, 'plain'), how: 'as named', symbols: 'full', debug: { place: 'in the file', file: null }, unnamedShare: 0, advice: [] });
    expect(row.build?.verdict).toBe('same');
    expect(row.build?.sameInode).toBe(true);
    expect(row.build?.returns?.afterCall).toBe(row.build?.returns?.checked);
    // lg_prof_sample:10 was set: one sample per 1024 bytes; prof_accum filled the alloc columns.
    expect(doc.dumps[0]).toMatchObject({ sampleBytes: 1024, lgSample: 10, accum: true, threads: 1 });
    expect(doc.dumps[0].threadRows).toBe(doc.dumps[0].stacks);
    expect(doc.dumps[0].deepest as number).toBeGreaterThanOrEqual(5);
  });

  it("Debian's jemalloc, stripped to its exports and without its -dbgsym: the package to install; glibc's debug file found by build id", async () => {
    const { doc } = await doctor(['./plain', readdirSync(join(W, 'dumps-plain')).map((f) => join(W, 'dumps-plain', f))[0]]);
    const jem = doc.mappings.find((r) => r.dumpPath.endsWith('/libjemalloc.so.2'))!;
    expect(jem).toMatchObject({ symbols: 'dynamic', debug: { place: 'none' } });
    expect(jem.advice[0]).toMatch(/^optional: apt-get install libjemalloc2-dbgsym \(debian-debug archive, [a-z]+-debug\) for inner functions, which take the name of the export before them now$/);
    // Every stack starts in __libc_start_call_main; libc6-dbg (a test dependency) has its DWARF.
    const libc = doc.mappings.find((r) => r.dumpPath.endsWith('/libc.so.6'));
    expect(libc?.debug?.place).toBe('build id');
    expect(libc?.debug?.file).toMatch(/^\/usr\/lib\/debug\/\.build-id\/[0-9a-f]{2}\/[0-9a-f]+\.debug$/);
    expect(libc?.advice).toEqual([]);
  });

  it('a stripped program: no symbols, no debug information, its bytes unnamed, rebuild with -g', async () => {
    const dump = builtAndRun('stripped');
    execFileSync('strip', ['--strip-all', join(W, 'stripped')]);
    const { doc } = await doctor(['./stripped', dump]);
    const row = rowOf(doc.mappings, join(W, 'stripped'));
    expect(row.symbols).toBe('dynamic');
    expect(row.debug?.place).toBe('none');
    // leak_some's stacks hold nearly everything, and every one has an unnamed frame in the program.
    expect(row.unnamedShare).toBeGreaterThan(0.9);
    expect(row.advice).toEqual(['rebuild stripped with -g and without stripping (or keep a debug file: objcopy --only-keep-debug, then --add-gnu-debuglink)']);
    // strip leaves the code as it was: the sampled return addresses still follow calls.
    expect(row.build?.verdict).toBe('same');
  });

  it('a separate debug file named by .gnu_debuglink beside the program: found, and every frame named', async () => {
    const dump = builtAndRun('linked');
    const p = join(W, 'linked');
    execFileSync('objcopy', ['--only-keep-debug', p, `${p}.debug`]);
    execFileSync('strip', ['--strip-all', p]);
    execFileSync('objcopy', [`--add-gnu-debuglink=${p}.debug`, p], { cwd: W });
    const { doc } = await doctor(['./linked', dump]);
    const row = rowOf(doc.mappings, p);
    expect(row.debug).toMatchObject({ place: 'debuglink', file: `${p}.debug` });
    expect(row.unnamedShare).toBe(0);
    expect(row.advice).toEqual([]);
  });

  it('a separate debug file found by build id (BFD looks in .build-id/ under the working folder first)', async () => {
    const dump = builtAndRun('byid');
    const p = join(W, 'byid');
    const id = /Build ID: ([0-9a-f]+)/.exec(execFileSync('readelf', ['-n', p], { encoding: 'utf8' }))![1];
    const debug = join(W, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`);
    mkdirSync(dirname(debug), { recursive: true });
    execFileSync('objcopy', ['--only-keep-debug', p, debug]);
    execFileSync('strip', ['--strip-all', p]);
    const { doc } = await doctor(['./byid', dump]);
    const row = rowOf(doc.mappings, p);
    expect(row.debug).toMatchObject({ place: 'build id', file: debug });
    expect(row.unnamedShare).toBe(0);
  });

  it('a moved binary: read at the wrong addresses without --map-path, which the row proposes; right with it', async () => {
    const dump = builtAndRun('moving');
    mkdirSync(join(W, 'moved'));
    renameSync(join(W, 'moving'), join(W, 'moved', 'moving'));
    const before = rowOf((await doctor(['./moved/moving', dump])).doc.mappings, join(W, 'moving'));
    expect(before.how).toBe('the program given');
    expect(before.found).toBe(join(W, 'moved', 'moving'));
    // Checked through the dump's mapping: the very file (a rename keeps the inode), the same code.
    expect(before.build?.verdict).toBe('same');
    expect(before.build?.sameInode).toBe(true);
    expect(before.unnamedPcs).toBeGreaterThan(0);
    expect(before.advice[0]).toBe(`the dump's program is ${join(W, 'moving')}: give it by that path, or --map-path=${W}=${join(W, 'moved')}`);
    const after = rowOf((await doctor([`--map-path=${W}=${join(W, 'moved')}`, './moved/moving', dump])).doc.mappings, join(W, 'moving'));
    expect(after).toMatchObject({ how: '--map-path', found: join(W, 'moved', 'moving'), unnamedShare: 0, unnamedPcs: 0, advice: [] });
  });

  it('--lib_prefix: a library found under a copy of the machine that ran it, and checked there', async () => {
    const dump = builtAndRun('prefixed');
    const root = join(W, 'root');
    mkdirSync(join(root, dirname(JEMALLOC)), { recursive: true });
    execFileSync('cp', [JEMALLOC, join(root, JEMALLOC)]);
    const { doc } = await doctor([`--lib_prefix=${root}`, './prefixed', dump]);
    const jem = doc.mappings.find((r) => r.dumpPath.endsWith('/libjemalloc.so.2'))!;
    expect(jem).toMatchObject({ how: '--lib_prefix', found: join(root, JEMALLOC), unnamedShare: 0 });
    // The copy has the same code: every sampled return address in it follows a call.
    expect(jem.build?.verdict).toBe('same');
    expect(jem.build?.sameInode).toBe(false);
  });

  it('a dump of another build: the sampled return addresses do not follow calls in this file', async () => {
    const dump = builtAndRun('rebuilt');
    // 20,000 more bytes of code before everything else: every function moves.
    buildProgram(W, 'rebuilt', '__attribute__((used)) void filler(void) { __asm__ volatile(".fill 20000, 1, 0x90"); }\n' + LEAKY_C);
    const row = rowOf((await doctor(['./rebuilt', dump])).doc.mappings, join(W, 'rebuilt'));
    expect(row.build?.verdict).toBe('other');
    expect(row.build!.returns!.afterCall).toBeLessThan(row.build!.returns!.checked / 2);
    expect(row.advice).toEqual(['use the binary that wrote the dump: this one is another build (rebuilt since?)']);
  });
});

describe('doctor output and exit codes', () => {
  it('piped: one tab-separated record per mapping and per dump', async () => {
    const dump = readdirSync(join(W, 'dumps-plain')).map((f) => join(W, 'dumps-plain', f))[0];
    const r = await runCli(['doctor', './plain', dump], { cwd: W });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const mine = lines.find((l) => l.startsWith(`mapping\t${join(W, 'plain')}\t`))!;
    expect(mine.split('\t').slice(2)).toEqual([`file=${join(W, 'plain')}`, 'how=as named', 'build=same', 'symbols=full', 'debug=in the file', expect.stringMatching(/^bytes=\d+\.\d%$/), 'unnamed=0.0%', expect.stringMatching(/^unnamed_pcs=0\/\d+$/), 'todo=-']);
    expect(lines.filter((l) => l.startsWith('dump\t'))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('dump\t'))).toContain('\tlg_prof_sample=10\taccum=yes\t');
  });

  it('at a terminal: a table, coloured unless NO_COLOR', async () => {
    const dump = readdirSync(join(W, 'dumps-plain')).map((f) => join(W, 'dumps-plain', f))[0];
    const run = async (env: NodeJS.ProcessEnv) => {
      let out = '';
      const code = await main(['doctor', './plain', dump], { stdout: (t) => void (out += String(t)), stderr: () => {}, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env }, cwd: W, stdoutIsTTY: true, stdin: Readable.from(['']), stdinIsTTY: false });
      return { code, out };
    };
    const coloured = await run({ FORCE_COLOR: '1' });
    expect(coloured.code).toBe(0);
    expect(coloured.out).toContain('┌');
    expect(coloured.out).toContain('\x1b[32msame\x1b[39m');
    const plain = await run({ NO_COLOR: '1' });
    expect(plain.out).toMatch(/│ same +│/);
    expect(plain.out).not.toContain('\x1b[');
    expect(plain.out).toMatch(/sampling {7}lg_prof_sample:10, one sample per 1\.0 KiB allocated/);
  });

  it('bad input exits 2 with one line; a usage mistake exits 1', async () => {
    writeFileSync(join(W, 'not-a-dump'), 'hello\n');
    const bad = await runCli(['doctor', './plain', './not-a-dump'], { cwd: W });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("jeprof-ts: ./not-a-dump:1: not a heap profile: expected 'heap_v2/<rate>' or 'heap profile:', found 'hello'\n");
    const missing = await runCli(['doctor', './plain', './nowhere.heap'], { cwd: W });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("jeprof-ts: doctor: profile './nowhere.heap' not found\n");
    expect((await runCli(['doctor', './plain'], { cwd: W })).code).toBe(1);
  });
});
