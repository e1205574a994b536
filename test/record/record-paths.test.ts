// record on the paths where no useful dump can come, with real programs and real files: a jemalloc
// built without profiling (linked, preloaded by the user, or linked in), a dump folder that cannot
// be written, a program with an allocator of its own; and the terminal passed through (stdin in,
// the program's stdout out unchanged). Each checks the one line record says and its exit status.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { needTool } from '../helpers/need.js';
import { buildProgram, LEAKY_C, NO_ALLOC_C } from '../helpers/programs.js';
import { tempDir } from '../helpers/temp-dir.js';
import { inspectJemalloc } from '../../src/record/jemalloc-file.js';
import { readElfLayout } from '../../src/symbolize/elf-layout.js';

const BIN = new URL('../../bin/jeprof-ts.js', import.meta.url).pathname;
const JEMALLOC_SO = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
let W = '';

beforeAll(() => {
  for (const [t, p] of [['gcc', 'gcc'], ['ar', 'binutils']]) needTool(t, p);
  if (!existsSync(JEMALLOC_SO)) throw new Error(`${JEMALLOC_SO} is missing (apt-get install libjemalloc-dev)`);
  W = tempDir('jeprof-ts-record-paths-');
});

const record = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['record', ...args], { cwd: W, env: { MALLOC_CONF: '', LD_PRELOAD: '', ...env } });
const dumpsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.heap'));

/**
 * A jemalloc built without --enable-prof, as far as record can tell one: jemalloc's API names
 * (malloc ... mallctl, mallctlnametomib, which no other allocator defines) and no `heap_v2/` dump
 * format in its data. Debian ships no such build, so this stand-in hands the calls to glibc.
 */
const NO_PROF_JEMALLOC_C = `
#include <errno.h>
#include <stddef.h>
void *__libc_malloc(size_t); void __libc_free(void *); void *__libc_calloc(size_t, size_t); void *__libc_realloc(void *, size_t);
void *malloc(size_t n) { return __libc_malloc(n); }
void free(void *p) { __libc_free(p); }
void *calloc(size_t n, size_t s) { return __libc_calloc(n, s); }
void *realloc(void *p, size_t n) { return __libc_realloc(p, n); }
int mallctl(const char *name, void *o, size_t *ol, void *n, size_t nl) { (void)name; (void)o; (void)ol; (void)n; (void)nl; return ENOENT; }
int mallctlnametomib(const char *name, size_t *mib, size_t *len) { (void)name; (void)mib; (void)len; return ENOENT; }
`;

describe('a jemalloc built without profiling', () => {
  let lib = '';
  beforeAll(() => {
    const dir = join(W, 'noprof');
    mkdirSync(dir);
    writeFileSync(join(dir, 'jem.c'), NO_PROF_JEMALLOC_C);
    lib = join(dir, 'libjemalloc.so.2');
    execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-Wl,-soname,libjemalloc.so.2', '-o', lib, join(dir, 'jem.c')]);
    execFileSync('ln', ['-s', 'libjemalloc.so.2', join(dir, 'libjemalloc.so')]);
    execFileSync('gcc', ['-c', '-fPIC', '-O2', '-o', join(dir, 'jem.o'), join(dir, 'jem.c')]);
    execFileSync('ar', ['rcs', join(dir, 'libjemalloc.a'), join(dir, 'jem.o')]);
  });

  it('the stand-in is what record takes for a jemalloc without profiling', () => {
    expect(inspectJemalloc(lib, readElfLayout(lib)!, true)).toEqual({ prefix: '', confVar: 'MALLOC_CONF', profiling: false, evidence: 'defines mallctl' });
  });

  it('linked (DT_NEEDED through -rpath): Debian\'s is preloaded in front of it, says so, and the dumps come', async () => {
    const dir = join(W, 'noprof');
    buildProgram(W, 'leak-noprof', LEAKY_C, [`-L${dir}`, '-ljemalloc', `-Wl,-rpath,${dir}`]);
    const r = await record(['--leak', '--out=o-linked', '--', './leak-noprof', '200', '0', join(W, 'env-linked')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`record: jemalloc: ${JEMALLOC_SO}, through LD_PRELOAD (defines mallctl; options from MALLOC_CONF; profiling built in)\n`);
    expect(r.stderr).toContain(`record: ${lib}, which leak-noprof links, was built without profiling; ${JEMALLOC_SO} is put in front of it with LD_PRELOAD\n`);
    expect(readFileSync(join(W, 'env-linked'), 'utf8')).toContain(`LD_PRELOAD=${JEMALLOC_SO}\n`);
    // Debian's took every malloc: leak_some's 200 blocks of 64 KiB, counted exactly (--leak).
    const dumps = dumpsIn(join(W, 'o-linked'));
    expect(dumps).toHaveLength(1);
    expect(readFileSync(join(W, 'o-linked', dumps[0]), 'utf8')).toMatch(/^ {2}t\*: 200: 13107200 \[/m);
  });

  it('named in the user\'s LD_PRELOAD: refused before the run, saying where it came from', async () => {
    buildProgram(W, 'leak', LEAKY_C);
    const r = await record(['--out=o-preloaded', '--', './leak', '5', '0', join(W, 'env-preloaded')], { LD_PRELOAD: lib });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`jeprof-ts: ${lib}, named in your LD_PRELOAD, was built without profiling (no heap_v2 dump code in it): take it out of LD_PRELOAD and record preloads ${JEMALLOC_SO}, or name one built with --enable-prof there\n`);
    expect(existsSync(join(W, 'env-preloaded'))).toBe(false);
  });

  it('named in the user\'s LD_PRELOAD while the program links Debian\'s (which profiles): the preloaded one gets the allocations, so it is the one refused', async () => {
    buildProgram(W, 'leak-linked', LEAKY_C, ['-ljemalloc']);
    const r = await record(['--out=o-over', '--', './leak-linked', '5', '0', join(W, 'env-over')], { LD_PRELOAD: lib });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`jeprof-ts: ${lib}, named in your LD_PRELOAD, was built without profiling`);
    expect(existsSync(join(W, 'env-over'))).toBe(false);
  });

  it('the program links Debian\'s and the user preloads Debian\'s too: one library, used as linked', async () => {
    const r = await record(['--leak', '--out=o-same', '--', './leak-linked', '20', '0', join(W, 'env-same')], { LD_PRELOAD: JEMALLOC_SO });
    expect(r.code, r.stderr).toBe(0);
    // The loader finds it through /lib (usrmerge: the same file as /usr/lib's).
    expect(r.stderr).toMatch(/^record: jemalloc: \S*\/libjemalloc\.so\.2, which it links /m);
    expect(r.stderr).not.toContain('gets the allocations');
  });

  it('linked into the program (its libjemalloc.a): refused before the run, LD_PRELOAD could not replace it', async () => {
    buildProgram(W, 'leak-noprof-static', LEAKY_C, [join(W, 'noprof', 'libjemalloc.a')]);
    const r = await record(['--out=o-static', '--', './leak-noprof-static', '5', '0', join(W, 'env-static')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'jeprof-ts: leak-noprof-static has its own jemalloc (defines mallctl), built without profiling (no heap_v2 dump code in it): rebuild it with a jemalloc configured with --enable-prof (Debian: link /usr/lib/x86_64-linux-gnu/libjemalloc.a from libjemalloc-dev)\n',
    );
    expect(existsSync(join(W, 'env-static'))).toBe(false);
  });
});

describe('a dump folder that cannot be written', () => {
  // Tests may run as root, for whom mode bits stop no write: each folder here fails for root too.
  beforeAll(() => {
    buildProgram(W, 'leak', LEAKY_C);
    writeFileSync(join(W, 'a-file'), 'not a folder\n');
  });

  it('--out under a regular file: cannot be made (ENOTDIR), the program is not run', async () => {
    const r = await record(['--out=a-file/sub', '--', './leak', '5', '0', join(W, 'env-notdir')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`jeprof-ts: cannot make the dump folder ${W}/a-file/sub: ENOTDIR: not a directory, mkdir '${W}/a-file/sub'\n`);
    expect(existsSync(join(W, 'env-notdir'))).toBe(false);
  });

  it('--out naming a regular file: said to be a file', async () => {
    const r = await record(['--out=a-file', '--', './leak', '5', '0', join(W, 'env-file')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('jeprof-ts: --out=a-file is a file, not a folder: give --out a folder (it is made when missing)\n');
    expect(existsSync(join(W, 'env-file'))).toBe(false);
  });

  it('an existing folder where no file can be made (/proc, even for root): refused before the run', async () => {
    // jemalloc would only print `failed to open` on the program's stderr and go on without dumps;
    // access(2) says yes to root here, so record tries to make a file, as jemalloc does.
    const r = await record(['--out=/proc', '--', './leak', '5', '0', join(W, 'env-proc')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/jeprof-ts: the dump folder \/proc cannot be written \((ENOENT|EACCES)\): jemalloc could not write its dumps there; give --out a folder you can write\n$/);
    expect(existsSync(join(W, 'env-proc'))).toBe(false);
  });

  it('a folder removed during the run: no dump, and the reason is the folder', async () => {
    buildProgram(W, 'rmdir-out', '#include <unistd.h>\nint main(int argc, char **argv) { (void)argc; return rmdir(argv[1]) == 0 ? 0 : 9; }\n');
    const r = await record(['--out=o-gone', '--', './rmdir-out', join(W, 'o-gone')]);
    expect(r.code).toBe(0);
    // (jemalloc's own `failed to open` goes to the program's stderr, this process's, not captured here.)
    expect(r.stderr).toContain(`record: no dump was written to ./o-gone/. Why:\n  - the dump folder ${W}/o-gone cannot be written now (ENOENT): it was removed or changed during the run\n`);
  });
});

/** Its own allocator, linked in: a bump allocator over a static arena (free keeps everything). */
const OWN_MALLOC_C = `
#include <stddef.h>
#include <string.h>
static char arena[64 << 20]; static size_t used;
void *malloc(size_t n) { n = (n + 15) & ~(size_t)15; if (used + n > sizeof arena) return NULL; void *p = arena + used; used += n; return p; }
void free(void *p) { (void)p; }
void *calloc(size_t n, size_t s) { void *p = malloc(n * s); if (p) memset(p, 0, n * s); return p; }
void *realloc(void *old, size_t n) { void *p = malloc(n); if (p && old) memcpy(p, old, n); return p; }
void *kept[200];
__attribute__((noinline)) void leak_some(int i) { kept[i] = memset(malloc(65536), 1, 65536); }
int main(void) { for (int i = 0; i < 200; i++) leak_some(i); return 0; }
`;

describe('a program with its own allocator', () => {
  it('is told before the run that preloading jemalloc does not reach it, and why the dump is empty after', async () => {
    buildProgram(W, 'own-malloc', OWN_MALLOC_C);
    const r = await record(['--leak', '--out=o-own', '--', './own-malloc']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `record: own-malloc defines malloc itself (an allocator linked into it): the loader binds its malloc calls to that one before the preloaded jemalloc, which sees none of them unless it hands them on; to profile them, link it with jemalloc (-ljemalloc, or /usr/lib/x86_64-linux-gnu/libjemalloc.a) in place of that allocator\nrecord: LD_PRELOAD=${JEMALLOC_SO}\n`,
    );
    // jemalloc starts (its constructor) and writes its final dump, with nothing in it: even the
    // C library's and libstdc++'s start-up allocations went to the program's malloc.
    expect(dumpsIn(join(W, 'o-own'))).toHaveLength(1);
    expect(r.stderr).toContain(
      `record: the dumps hold no allocation at all: ./own-malloc defines malloc itself (an allocator linked into it), and its calls went to that one, not to the preloaded ${JEMALLOC_SO}; link it with jemalloc in place of that allocator to profile it\n`,
    );
    expect(r.stderr).not.toContain('leak hunt:');
  });

  it('a program without one, sampled in full (--leak), is not told to try --leak', async () => {
    buildProgram(W, 'noalloc', NO_ALLOC_C);
    const r = await record(['--leak', '--out=o-noalloc', '--', './noalloc']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`record: the dumps hold only \\d+ stacks? \\([^)]*\\) allocated by libraries, none by \\./noalloc itself: \\./noalloc allocated nothing through jemalloc \\(or its allocations bypass the preloaded ${JEMALLOC_SO}\\)\\n`));
    expect(r.stderr).not.toContain('defines malloc itself');
  });
});

/** Keeps a 4 KiB block per byte read and writes the byte back; says the count on stderr. */
const ECHO_C = `
#include <stdio.h>
#include <stdlib.h>
void *kept[4096]; size_t nkept;
__attribute__((noinline)) void keep_byte(int c) { char *p = malloc(4096); p[0] = (char)c; kept[nkept++] = p; }
int main(void) { int c; while ((c = getchar()) != EOF) { keep_byte(c); putchar(c); } fprintf(stderr, "echo: %zu bytes\\n", nkept); return nkept == 5 ? 0 : 7; }
`;

describe('the terminal passed through', () => {
  it("stdin reaches the program through a shell pipe, and its stdout comes out byte for byte, nothing of record's in it", () => {
    buildProgram(W, 'echo', ECHO_C);
    // Five bytes, a NUL and a byte that is not UTF-8 among them.
    const r = spawnSync('sh', ['-c', `printf 'ab\\000c\\377' | "$0" "$1" record --leak --out=o-stdin -- ./echo`, process.execPath, BIN], {
      cwd: W,
      env: { ...process.env, MALLOC_CONF: '', LD_PRELOAD: '', NO_COLOR: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toEqual(Buffer.from([0x61, 0x62, 0x00, 0x63, 0xff]));
    const stderr = r.stderr.toString();
    expect(stderr).toContain('\necho: 5 bytes\n');
    expect(stderr).toContain('record: ./echo exited with status 0\n');
    // keep_byte kept one 4 KiB block per byte read: 5, counted exactly (--leak).
    const dumps = dumpsIn(join(W, 'o-stdin'));
    expect(dumps).toHaveLength(1);
    expect(readFileSync(join(W, 'o-stdin', dumps[0]), 'utf8')).toMatch(/^ {2}t\*: 5: 20480 \[/m);
  });
});
