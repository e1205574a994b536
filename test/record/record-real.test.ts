// record with real programs and the real jemalloc: Debian's through LD_PRELOAD, a libjemalloc the
// program links, Debian's libjemalloc.a linked in, and that archive renamed to Rust's `_rjem_`
// names. Each run's dumps, report, exit status and the environment the program got are checked.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { needTool } from '../helpers/need.js';
import { buildProgram, LEAKY_C, LEAKY_CXX, NO_ALLOC_C, STEADY_CXX } from '../helpers/programs.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runRecord } from '../../src/cli/record-run.js';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { shellWord } from '../../src/record/follow-up.js';
import { inspectJemalloc } from '../../src/record/jemalloc-file.js';
import { readElfLayout } from '../../src/symbolize/elf-layout.js';

const BIN = new URL('../../bin/jeprof-ts.js', import.meta.url).pathname;
const JEMALLOC_SO = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
const JEMALLOC_A = '/usr/lib/x86_64-linux-gnu/libjemalloc.a';
let W = '';

beforeAll(() => {
  for (const [t, p] of [['gcc', 'gcc'], ['g++', 'g++'], ['objcopy', 'binutils'], ['ar', 'binutils'], ['strip', 'binutils']]) needTool(t, p);
  for (const f of [JEMALLOC_SO, JEMALLOC_A]) if (!existsSync(f)) throw new Error(`${f} is missing (apt-get install libjemalloc-dev)`);
  W = tempDir('jeprof-ts-record-');
});

const record = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['record', ...args], { cwd: W, env: { MALLOC_CONF: '', LD_PRELOAD: '', _RJEM_MALLOC_CONF: '', ...env } });
const dumpsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.heap')).sort();
/** The leak hunt's `top` rows (after `leak hunt:`), function names only, in order. */
const huntRows = (stderr: string) => {
  const lines = stderr.split('\n');
  const from = lines.findIndex((l) => l.includes('leak hunt:'));
  const rows: string[] = [];
  for (const l of lines.slice(from + 1)) {
    if (!l.startsWith('  ')) break;
    const m = /%\s+\S+\s+\S+%\s+(.*)$/.exec(l);
    if (m) rows.push(m[1]);
  }
  return rows;
};
interface TrendRow {
  name: string;
  first: number;
  last: number;
  growth: number;
  steady: number;
  values: number[];
}
/** The leak hunt's trend, piped: its `# name` header line, then Total and the rows (tab-separated, indented). */
const huntTrend = (stderr: string) => {
  const lines = stderr.split('\n');
  const from = lines.findIndex((l) => /^record: leak hunt: the trend of the \d+ interval dumps/.test(l));
  if (from < 0) throw new Error(`no trend in:\n${stderr}`);
  const header = lines[from + 1];
  const rows: TrendRow[] = [];
  for (const l of lines.slice(from + 2)) {
    if (!l.startsWith('  ') || !l.includes('\t')) break;
    const [name, first, last, growth, , steady, ...values] = l.slice(2).split('\t');
    rows.push({ name, first: Number(first), last: Number(last), growth: Number(growth), steady: Number(steady), values: values.map(Number) });
  }
  return { header, rows };
};
const intervalDumps = (dir: string) =>
  dumpsIn(dir)
    .filter((d) => /\.i\d+\.heap$/.test(d))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
const envFile = (path: string) => Object.fromEntries(readFileSync(path, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('record through LD_PRELOAD (a program without jemalloc)', () => {
  it('writes interval and final dumps to --out, and the leak hunt, their trend, ranks the leaking function first', async () => {
    buildProgram(W, 'leak', LEAKY_C);
    const r = await record(['--interval=1M', '--out=o-preload', '--', './leak', '200', '0', join(W, 'env-preload')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`jemalloc: ${JEMALLOC_SO}, through LD_PRELOAD`);
    expect(r.stderr).toContain('--interval=1M is 1.0 MiB (lg_prof_interval:20)');
    const dumps = dumpsIn(join(W, 'o-preload'));
    // 200 rounds allocate 200 * 320 KiB = 62.5 MiB. jemalloc counts the interval per arena, in
    // batches, so the dumps are fewer than 62, but several.
    expect(dumps.filter((d) => /\.i\d+\.heap$/.test(d)).length).toBeGreaterThanOrEqual(3);
    expect(dumps.filter((d) => d.endsWith('.f.heap'))).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`record: ${dumps.length} dumps in \\./o-preload/ \\(\\d+ interval, 1 final\\)`));
    // Piped, the trend is trend's tab-separated lines: every interval dump, in the order written.
    const intervals = intervalDumps(join(W, 'o-preload'));
    expect(r.stderr).toContain(`record: leak hunt: the trend of the ${intervals.length} interval dumps, the steadiest growth first\n`);
    const { header, rows } = huntTrend(r.stderr);
    expect(header).toBe(`  # name\tfirst\tlast\tgrowth\tper_dump\tsteady\t${intervals.map((d) => `./o-preload/${d}`).join('\t')}`);
    const [total, first] = rows;
    expect(total.name).toBe('Total');
    expect(first.name).toBe('leak_some');
    // leak_some keeps every block: it never shrinks, and it holds more at each dump than at the first.
    expect(first.values).toHaveLength(intervals.length);
    expect(first.steady).toBe(1);
    expect(first.growth).toBeGreaterThan(0);
    expect(Math.abs(first.growth - (first.last - first.first))).toBeLessThanOrEqual(1);
    // Each dump's values are those `top` of that dump alone gives (it cuts the fraction, trend rounds it).
    const last = intervals[intervals.length - 1];
    const top = (await runCli(['top', '--show_bytes', './leak', `o-preload/${last}`], { cwd: W })).stdout;
    expect(Math.abs(Number(/^Total: (\d+) B$/m.exec(top)![1]) - total.last)).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(/^ *(\d+) .* leak_some$/m.exec(top)![1]) - first.last)).toBeLessThanOrEqual(1);
    const pid = intervals[0].split('.')[1];
    const base = `--base=./o-preload/${intervals[0]} ./o-preload/${last}`;
    expect(r.stderr).toContain(`  # which call sites grew across the whole run\n  jeprof-ts trend ./leak ./o-preload/jeprof.${pid}.*.i*.heap\n`);
    expect(r.stderr).toContain(`  jeprof-ts top ./leak ${base}\n`);
    expect(r.stderr).toContain(`  # a flame graph, diff and trend in one HTML file\n  jeprof-ts html ./leak ${base} -o heap.html\n`);
    expect(r.stderr).toContain(`  # the same with jemalloc's jeprof\n  jeprof --text ./leak ${base}\n`);
    const env = envFile(join(W, 'env-preload'));
    expect(env.LD_PRELOAD).toBe(JEMALLOC_SO);
    expect(env.MALLOC_CONF).toBe(`prof:true,prof_prefix:${W}/o-preload/jeprof,prof_final:true,lg_prof_interval:20`);
  });

  it('at a terminal the trend is a table as wide as it: Total, then the leak ranked 1', () => {
    needTool('script', 'util-linux');
    // The real binary with stderr on a pseudo-terminal 100 columns wide and stdout piped (the
    // program's): the report is on stderr, so stderr decides.
    const cmd = `stty cols 100; ${shellWord(process.execPath)} ${shellWord(BIN)} record --interval=1M --out=o-tty -- ./leak 200 | cat`;
    const env = { ...process.env, NO_COLOR: '1', MALLOC_CONF: '', LD_PRELOAD: '', COLUMNS: '' };
    const out = execFileSync('script', ['-qec', cmd, '/dev/null'], { cwd: W, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\r/g, '');
    const lines = out.split('\n');
    const from = lines.findIndex((l) => /^record: leak hunt: the trend of the \d+ interval dumps, the steadiest growth first$/.test(l));
    const table = lines.slice(from + 1, lines.indexOf('record: dig further:'));
    expect(from).toBeGreaterThan(0);
    expect(table[0]).toMatch(/^ {2}┌─/);
    expect(table[1]).toMatch(/^ {2}│ +│ flat \(name\) +│ .*│ +growth │ .*│ trend +│$/);
    expect(table[3]).toMatch(/^ {2}│ +│ Total +│ .* │ +\+[\d.]+ MiB │(.*│)? +100% │ [▁-█]+ +│$/);
    expect(table[4]).toMatch(/^ {2}│ 1 │ leak_some +│ .* │ +\+[\d.]+ MiB │(.*│)? +100% │ [▁-█]+ +│$/);
    expect(table[table.length - 1]).toMatch(/^ {2}└─/);
    expect(Math.max(...table.map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('shows the first 15 rows of the trend and says how many more there are, piped and at a terminal', async () => {
    // leak_1 ... leak_19 keep n KiB per round, leak_20 64 KiB: 20 call sites that grow, leak_20 far the most.
    const fns = Array.from({ length: 20 }, (_, i) => `__attribute__((noinline)) void leak_${i + 1}(void) { keep(malloc(${i === 19 ? 64 : i + 1} * 1024)); }`);
    const calls = Array.from({ length: 20 }, (_, i) => `leak_${i + 1}();`).join(' ');
    buildProgram(W, 'many', `#include <stdlib.h>\nstatic void *kept[4096]; static int n;\nstatic void keep(void *p) { kept[n++] = p; }\n${fns.join('\n')}\nint main(void) { for (int r = 0; r < 100; r++) { ${calls} } return 0; }\n`);
    const args = ['--interval=2M', '--sample=12', '--', './many'];
    const piped = await record(['--out=o-many', ...args]);
    expect(piped.code).toBe(0);
    const { rows } = huntTrend(piped.stderr);
    expect(rows.map((x) => x.name).slice(0, 2)).toEqual(['Total', 'leak_20']);
    expect(rows).toHaveLength(16);
    // What trend gives piped, the lines record left out counted.
    const all = (await runCli(['trend', './many', ...intervalDumps(join(W, 'o-many')).map((d) => `o-many/${d}`)], { cwd: W })).stdout.trim().split('\n');
    expect(all.length - 2).toBeGreaterThanOrEqual(20);
    expect(piped.stderr).toContain(`\n  ... ${all.length - 2 - 15} more rows\nrecord: dig further:\n`);
    // At a terminal trend's table keeps 15 rows itself.
    let err = '';
    const tty = { stdout: () => {}, stderr: (t: string) => void (err += t), env: { ...process.env, NO_COLOR: '1', MALLOC_CONF: '', LD_PRELOAD: '' }, cwd: W, stdoutIsTTY: false, stderrIsTTY: true, stderrColumns: 90, stdin: Readable.from(['']), stdinIsTTY: false };
    expect(await runRecord({ command: ['./many'], out: 'o-many-tty', interval: '2M', sample: '12' }, tty)).toBe(0);
    const ranks = err.split('\n').map((l) => /^ {2}│ +(\d+) │/.exec(l)?.[1]).filter((x) => x !== undefined);
    expect(ranks).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
    expect(err).toMatch(/\n {2}│ +1 │ leak_20 /);
    expect(err).toMatch(/┘\n {2}\.\.\. \d+ more rows: the trend command below shows them all\nrecord: dig further:\n/);
  });

  it("draws the report's progress lines as they come, and shows its notes indented under it", async () => {
    let err = '';
    const io = { stdout: () => {}, stderr: (t: string) => void (err += t), env: { ...process.env, NO_COLOR: '1', MALLOC_CONF: '', LD_PRELOAD: '' }, cwd: W, stdoutIsTTY: false, stderrIsTTY: true, stdin: Readable.from(['']), stdinIsTTY: false };
    const report = async (argv: string[], rio: CliIO) => {
      // What the symbolizer writes at a terminal for a big job, then a note.
      rio.stderr('\rSymbolizing 1/2 object files (2500 addresses)');
      rio.stderr('\r\x1b[K');
      rio.stderr('jeprof-ts: note: a note\n');
      return main(argv, rio);
    };
    // 100 rounds leak some 3 MiB: two interval dumps or more at 1 MiB, so the hunt is a trend (50 made one or two, by timing).
    expect(await runRecord({ command: ['./leak', '100'], out: 'o-progress', interval: '1M' }, io, { report })).toBe(0);
    expect(err).toContain('the steadiest growth first\n\rSymbolizing 1/2 object files (2500 addresses)\r\x1b[K  ┌');
    expect(err).toMatch(/┘\n {2}jeprof-ts: note: a note\nrecord: dig further:/);
  });

  it('keeps and extends a MALLOC_CONF the user set, and says what it combined', async () => {
    const r = await record(['--out=o-user', '--', './leak', '20', '0', join(W, 'env-user')], { MALLOC_CONF: 'narenas:2,prof_prefix:/tmp/elsewhere' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`combined with your MALLOC_CONF: kept narenas:2; changed prof_prefix:/tmp/elsewhere to ${W}/o-user/jeprof (record reads the dumps from its --out folder); added prof:true,prof_final:true,lg_prof_interval:30`);
    expect(envFile(join(W, 'env-user')).MALLOC_CONF).toBe(`narenas:2,prof_prefix:${W}/o-user/jeprof,prof:true,prof_final:true,lg_prof_interval:30`);
  });

  it('passes the exit status through', async () => {
    const r = await record(['--out=o-exit', '--', './leak', '5', '3']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('record: ./leak exited with status 3');
  });

  it('exits 128+n for a program killed by signal n, says so, and keeps the dumps', async () => {
    const r = await record(['--interval=1M', '--out=o-killed', '--', './leak', '100', '0', '/dev/null', 'kill']);
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('record: ./leak was killed by SIGTERM (signal 15); its dumps are kept');
    // No final dump (prof_final runs at exit, which a killed program never reaches); the interval ones stay.
    const dumps = dumpsIn(join(W, 'o-killed'));
    expect(dumps.some((d) => d.endsWith('.f.heap'))).toBe(false);
    expect(dumps.length).toBeGreaterThanOrEqual(2);
    expect(huntTrend(r.stderr).rows.map((x) => x.name).slice(0, 2)).toEqual(['Total', 'leak_some']);
  });

  it('--leak samples every allocation: the final dump counts each leaked block exactly', async () => {
    const r = await record(['--leak', '--out=o-leak', '--', './leak', '200']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`MALLOC_CONF=prof:true,prof_prefix:${W}/o-leak/jeprof,prof_final:true,prof_leak:true,lg_prof_sample:0`);
    const dumps = dumpsIn(join(W, 'o-leak'));
    expect(dumps).toHaveLength(1);
    const text = readFileSync(join(W, 'o-leak', dumps[0]), 'utf8');
    expect(text.startsWith('heap_v2/1\n')).toBe(true);
    // leak_some kept 200 blocks of 64 KiB: 200 objects, 200 * 65536 bytes, not an estimate.
    expect(text).toMatch(/^ {2}t\*: 200: 13107200 \[/m);
    expect(r.stderr).toContain('leak hunt: what the final dump (at exit) holds');
    expect(huntRows(r.stderr)[0]).toBe('leak_some');
  });

  it('a steady C++ program shows nothing grown', async () => {
    buildProgram(W, 'steady', STEADY_CXX, [], true);
    const r = await record(['--interval=1M', '--out=o-steady', '--', './steady', '200']);
    expect(r.code).toBe(0);
    const { rows } = huntTrend(r.stderr);
    expect(rows[0]).toMatchObject({ name: 'Total', growth: 0 });
    expect(rows.filter((x) => x.growth !== 0)).toEqual([]);
    expect(r.stderr).toContain('  nothing grew: no stack holds more in the last interval dump than in the first (no sign of a leak in this run)\nrecord: dig further:');
  });

  it('a program that never allocates gets a message, not an empty report', async () => {
    buildProgram(W, 'noalloc', NO_ALLOC_C);
    const r = await record(['--out=o-none', '--', './noalloc']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/record: the dumps hold only \d+ stacks? \([^)]*\) allocated by libraries, none by \.\/noalloc itself: \.\/noalloc allocated nothing through jemalloc/);
    expect(r.stderr).not.toContain('leak hunt:');
  });

  it('a program that writes no dump gets the reasons, in a fresh jeprof-ts-<pid>/ folder by default', async () => {
    // _exit skips atexit, where jemalloc writes the final dump; nothing else triggers one.
    buildProgram(W, 'quick-exit', '#include <unistd.h>\nint main(void) { _exit(4); }\n');
    const r = await record(['--', './quick-exit']);
    expect(r.code).toBe(4);
    const folder = `jeprof-ts-${process.pid}`;
    expect(readdirSync(join(W, folder))).toEqual([]);
    expect(r.stderr).toContain(`record: MALLOC_CONF=prof:true,prof_prefix:${W}/${folder}/jeprof,prof_final:true,lg_prof_interval:30`);
    expect(r.stderr).toContain(`record: no dump was written to ./${folder}/. Why:\n  - the program did not start jemalloc: it left before allocating (exec, _exit)`);
    expect(r.stderr).not.toContain('leak hunt');
  });

  it('refuses a set-user-ID program of another user: the loader would ignore LD_PRELOAD and jemalloc MALLOC_CONF', async () => {
    // As root, a copy given to another user; otherwise su, set-user-ID root on every Debian.
    let p = '/usr/bin/su';
    if (process.getuid?.() === 0) {
      p = buildProgram(W, 'setuid', NO_ALLOC_C);
      execFileSync('chown', ['nobody', p]);
      execFileSync('chmod', ['u+s', p]);
    }
    const r = await record(['--out=o-setuid', '--', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`jeprof-ts: ${p} is set-user-ID or set-group-ID: the loader ignores LD_PRELOAD and jemalloc ignores MALLOC_CONF for it`);
  });

  it("passes the command's arguments untouched, options of record's and jeprof's spelling included", async () => {
    buildProgram(W, 'args', '#include <stdio.h>\nint main(int c, char **v) { FILE *f = fopen("args.txt", "w"); for (int i = 0; i < c; i++) fprintf(f, "[%s]", v[i]); fclose(f); return 0; }\n');
    expect((await record(['--out=o-args', '--', './args', '--help', '--out=x', '--demo', '--text'])).code).toBe(0);
    expect(readFileSync(join(W, 'args.txt'), 'utf8')).toBe('[./args][--help][--out=x][--demo][--text]');
    // Without `--`, everything after the command is the command's too.
    expect((await record(['--out=o-args2', './args', '-v', '--leak'])).code).toBe(0);
    expect(readFileSync(join(W, 'args.txt'), 'utf8')).toBe('[./args][-v][--leak]');
  });

  it('says what to install when there is no jemalloc to preload', async () => {
    let err = '';
    const io = { stdout: () => {}, stderr: (t: string) => void (err += t), env: { ...process.env, MALLOC_CONF: '' }, cwd: W, stdoutIsTTY: false, stdin: Readable.from(['']), stdinIsTTY: false };
    await expect(runRecord({ command: ['./leak'], out: 'o-missing' }, io, { preloadLibrary: '/nonexistent/libjemalloc.so.2' })).rejects.toThrow(
      'no jemalloc found: leak neither holds nor links one, and /nonexistent/libjemalloc.so.2 is missing: apt-get install libjemalloc2 (the library, with profiling) or libjemalloc-dev',
    );
  });

  it('refuses a statically linked program without jemalloc, before running it', async () => {
    if (!existsSync('/usr/lib/x86_64-linux-gnu/libc.a')) throw new Error('libc.a is missing (apt-get install libc6-dev)');
    buildProgram(W, 'static-plain', LEAKY_C, ['-static']);
    const r = await record(['--out=o-static-plain', '--', './static-plain', '5', '0', join(W, 'env-static-plain')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('static-plain is statically linked and holds no jemalloc: LD_PRELOAD cannot reach a program without a dynamic loader');
    expect(existsSync(join(W, 'env-static-plain'))).toBe(false);
  });

  it('says a command was not found with status 127', async () => {
    const r = await record(['--out=o-nf', '--', 'no-such-command-here']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('record: no-such-command-here: command not found');
  });
});

describe('record of a program that links jemalloc', () => {
  it('uses the libjemalloc.so the C++ program links (DT_NEEDED), with no LD_PRELOAD', async () => {
    buildProgram(W, 'leakxx', LEAKY_CXX, ['-ljemalloc'], true);
    const r = await record(['--interval=1M', '--out=o-linked', '--', './leakxx', '200']);
    expect(r.code).toBe(0);
    // Found as ld.so finds it: through /etc/ld.so.cache, which names the /lib spelling on Debian 12.
    expect(r.stderr).toMatch(/jemalloc: (\/usr)?\/lib\/x86_64-linux-gnu\/libjemalloc\.so\.2, which it links \(defines mallctl; options from MALLOC_CONF; profiling built in\)/);
    expect(r.stderr).not.toContain('LD_PRELOAD=');
    // The trend's rows are flat, the allocator's frames trimmed: grow_cache's std::string is built
    // in libstdc++, whose _M_construct calls operator new; it holds all that grew.
    const [total, first] = huntTrend(r.stderr).rows;
    expect(first.name).toBe('std::__cxx11::basic_string::_M_construct');
    expect(first.growth).toBeGreaterThan(total.growth * 0.95);
  });

  it("uses the copy of Debian's libjemalloc.a linked into a C program, with no LD_PRELOAD", async () => {
    buildProgram(W, 'static-jem', LEAKY_C, [JEMALLOC_A, '-lpthread', '-ldl', '-lm']);
    const r = await record(['--interval=1M', '--out=o-static-jem', '--', './static-jem', '200', '0', join(W, 'env-static-jem')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('jemalloc: its own copy, linked in (defines mallctl; options from MALLOC_CONF; profiling built in)');
    const env = envFile(join(W, 'env-static-jem'));
    expect(env.LD_PRELOAD).toBe('');
    expect(env.MALLOC_CONF).toBe(`prof:true,prof_prefix:${W}/o-static-jem/jeprof,prof_final:true,lg_prof_interval:20`);
    // The copy's inner frames have names; trend trims them as the allocator's, so the leak comes first.
    expect(huntTrend(r.stderr).rows.map((x) => x.name).slice(0, 2)).toEqual(['Total', 'leak_some']);
  });
});

/**
 * Rust's tikv-jemallocator builds jemalloc with the prefix `_rjem_`: its API is _rjem_malloc,
 * _rjem_mallctl..., and it reads _RJEM_MALLOC_CONF. No crate can be fetched here, so Debian's
 * libjemalloc.a is renamed the same way with objcopy, and its getenv of MALLOC_CONF is pointed at
 * _RJEM_MALLOC_CONF by a three-line shim: a real jemalloc with the real prefix and variable.
 */
const RJEM_C = `
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
void *_rjem_malloc(size_t);
char *rjem_secure_getenv(const char *name) { return secure_getenv(strcmp(name, "MALLOC_CONF") == 0 ? "_RJEM_MALLOC_CONF" : name); }
static void **kept; static size_t nkept;
__attribute__((noinline)) void rust_leak(size_t n) { kept = realloc(kept, (nkept + 1) * sizeof *kept); kept[nkept++] = memset(_rjem_malloc(n), 1, n); }
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "w");
  const char *names[] = {"LD_PRELOAD", "MALLOC_CONF", "_RJEM_MALLOC_CONF"};
  for (int i = 0; i < 3; i++) fprintf(f, "%s=%s\\n", names[i], getenv(names[i]) ? getenv(names[i]) : "(unset)");
  fclose(f);
  for (int i = 0; i < 200; i++) rust_leak(64 * 1024);
  return 0;
}
`;

describe("record of a program with Rust's _rjem_ jemalloc", () => {
  let rj = '';
  beforeAll(() => {
    const api = execFileSync('nm', ['-g', '--defined-only', JEMALLOC_A], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((l) => l.split(' ')[2])
      .filter((s): s is string => !!s && !s.startsWith('je_') && !s.startsWith('_Z') && !s.startsWith('DW.'));
    writeFileSync(join(W, 'rjem.map'), [...new Set(api)].map((s) => `${s} _rjem_${s}`).join('\n') + '\nsecure_getenv rjem_secure_getenv\n');
    execFileSync('cp', [JEMALLOC_A, join(W, 'librjem.a')]);
    // jemalloc_cpp.o holds operator new/delete, which tikv-jemallocator does not provide.
    execFileSync('ar', ['d', join(W, 'librjem.a'), 'jemalloc_cpp.o']);
    execFileSync('objcopy', [`--redefine-syms=${join(W, 'rjem.map')}`, join(W, 'librjem.a')]);
    rj = buildProgram(W, 'rjem', RJEM_C, [join(W, 'librjem.a'), '-lpthread', '-ldl', '-lm']);
  });

  it('recognises the prefix from the symbol table and sets _RJEM_MALLOC_CONF, not MALLOC_CONF', async () => {
    const r = await record(['--out=o-rjem', '--', './rjem', join(W, 'env-rjem')], { MALLOC_CONF: 'narenas:2' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('jemalloc: its own copy, linked in (defines _rjem_mallctl; options from _RJEM_MALLOC_CONF; profiling built in)');
    expect(r.stderr).toContain('MALLOC_CONF is set, but this jemalloc reads _RJEM_MALLOC_CONF: MALLOC_CONF is left as it was and ignored by it');
    const env = envFile(join(W, 'env-rjem'));
    expect(env).toEqual({ LD_PRELOAD: '', MALLOC_CONF: 'narenas:2', _RJEM_MALLOC_CONF: `prof:true,prof_prefix:${W}/o-rjem/jeprof,prof_final:true,lg_prof_interval:30` });
    expect(dumpsIn(join(W, 'o-rjem')).filter((d) => d.endsWith('.f.heap'))).toHaveLength(1);
    expect(huntRows(r.stderr).slice(0, 10)).toContain('rust_leak');
  });

  it('recognises a stripped copy by its data: the variable it reads and its dump format', () => {
    execFileSync('strip', ['-o', join(W, 'rjem-stripped'), rj]);
    const path = join(W, 'rjem-stripped');
    expect(inspectJemalloc(path, readElfLayout(path)!, false)).toEqual({
      prefix: '_rjem_',
      confVar: '_RJEM_MALLOC_CONF',
      profiling: true,
      evidence: "jemalloc's messages in its data (no symbol table), reads _RJEM_MALLOC_CONF",
    });
  });
});
