// record on the paths where no useful dump can come, with real programs and real files: a dump
// folder that cannot be written. Each checks the one line record says and its exit status.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { needTool } from '../helpers/need.js';
import { buildProgram, LEAKY_C } from '../helpers/programs.js';
import { tempDir } from '../helpers/temp-dir.js';

const JEMALLOC_SO = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
let W = '';

beforeAll(() => {
  needTool('gcc', 'gcc');
  if (!existsSync(JEMALLOC_SO)) throw new Error(`${JEMALLOC_SO} is missing (apt-get install libjemalloc-dev)`);
  W = tempDir('jeprof-ts-record-paths-');
});

const record = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['record', ...args], { cwd: W, env: { MALLOC_CONF: '', LD_PRELOAD: '', ...env } });

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
