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
import { runRecord } from '../../src/record/record.js';
import { inspectJemalloc } from '../../src/record/jemalloc-file.js';
import { readElfLayout } from '../../src/symbolize/elf-layout.js';

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
/** The leak hunt's table rows (after `leak hunt:`), function names only, in order. */
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
const envFile = (path: string) => Object.fromEntries(readFileSync(path, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('record through LD_PRELOAD (a program without jemalloc)', () => {
  it('writes interval and final dumps to --out, and the leak hunt names the leaking function first', async () => {
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
    expect(r.stderr).toContain('leak hunt: what grew between the first and the last interval dump');
    expect(huntRows(r.stderr)[0]).toBe('leak_some');
    expect(r.stderr).toMatch(/jeprof-ts top \.\/leak --base=\.\/o-preload\/jeprof\.\d+\.0\.i0\.heap \.\/o-preload\/jeprof\.\d+\.\d+\.i\d+\.heap/);
    expect(r.stderr).toMatch(/jeprof --text \.\/leak --base=/);
    const env = envFile(join(W, 'env-preload'));
    expect(env.LD_PRELOAD).toBe(JEMALLOC_SO);
    expect(env.MALLOC_CONF).toBe(`prof:true,prof_prefix:${W}/o-preload/jeprof,prof_final:true,lg_prof_interval:20`);
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
    expect(huntRows(r.stderr)[0]).toBe('leak_some');
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
    expect(r.stderr).toContain('leak hunt: what grew between the first and the last interval dump');
    expect(r.stderr).toContain('  nothing grew: every stack holds as much in the last interval dump as in the first (no sign of a leak in this run)');
    expect(huntRows(r.stderr)).toEqual([]);
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
    // jemalloc's own frames come first (Debian's library has only exported names), then the leak.
    expect(huntRows(r.stderr).slice(0, 8)).toContain('grow_cache');
  });

  it("uses the copy of Debian's libjemalloc.a linked into a C program, with no LD_PRELOAD", async () => {
    buildProgram(W, 'static-jem', LEAKY_C, [JEMALLOC_A, '-lpthread', '-ldl', '-lm']);
    const r = await record(['--interval=1M', '--out=o-static-jem', '--', './static-jem', '200', '0', join(W, 'env-static-jem')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('jemalloc: its own copy, linked in (defines mallctl; options from MALLOC_CONF; profiling built in)');
    const env = envFile(join(W, 'env-static-jem'));
    expect(env.LD_PRELOAD).toBe('');
    expect(env.MALLOC_CONF).toBe(`prof:true,prof_prefix:${W}/o-static-jem/jeprof,prof_final:true,lg_prof_interval:20`);
    // With the copy's full symbol table its inner frames have names, which jeprof keeps as rows.
    expect(huntRows(r.stderr).slice(0, 10)).toContain('leak_some');
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
