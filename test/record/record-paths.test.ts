// record on the paths where no useful dump can come, with real programs and real files: a dump
// folder that cannot be written, a program with an allocator of its own. Each checks the one line
// record says and its exit status.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { needTool } from '../helpers/need.js';
import { buildProgram, LEAKY_C, NO_ALLOC_C } from '../helpers/programs.js';
import { tempDir } from '../helpers/temp-dir.js';

const JEMALLOC_SO = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
let W = '';

beforeAll(() => {
  needTool('gcc', 'gcc');
  if (!existsSync(JEMALLOC_SO)) throw new Error(`${JEMALLOC_SO} is missing (apt-get install libjemalloc-dev)`);
  W = tempDir('jeprof-ts-record-paths-');
});

const record = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['record', ...args], { cwd: W, env: { MALLOC_CONF: '', LD_PRELOAD: '', ...env } });
const dumpsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.heap'));

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
