// A stdout that cannot take the report (a full device, a descriptor opened for reading) ends the
// run with one line on stderr and exit code 2, as -o's file does, not a stack trace; a reader
// that leaves a pipe still ends it quietly with 0.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeError } from '../../src/system/write-errors.js';
import { JeprofError } from '../../src/model/errors.js';
import { ROOT } from './mutations.js';

const CASE = join(ROOT, 'fixtures', 'corpus', 'seed-leak');
const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-stdout-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI with stdout on descriptor `fd`: its exit code and stderr. */
function runTo(fd: number, mode: string[]): { status: number | null; stderr: string } {
  const args = [join(ROOT, 'bin', 'jeprof-ts.js'), ...mode, `--map-path=/opt/jeprof-corpus/seed-leak=${CASE}`, join(CASE, 'app'), join(CASE, 'jeprof.7069.8.f.heap')];
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, JEPROF_TS_CACHE: join(dir, 'symbols') }, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('a stdout that cannot be written', () => {
  // --text writes one string; collapsed and proto write pieces (off this thread to a file).
  const modes = [['--text'], ['collapsed'], ['proto']];

  const cases: { what: string; open: () => number; says: string }[] = [
    {
      what: '/dev/full',
      open: () => {
        if (!existsSync('/dev/full')) throw new Error('this test needs /dev/full (Linux)');
        return openSync('/dev/full', 'w');
      },
      says: 'no space left on the device',
    },
    {
      what: 'a regular file opened for reading',
      open: () => {
        const file = join(dir, 'read-only.txt');
        writeFileSync(file, 'x\n');
        return openSync(file, 'r');
      },
      says: 'it is not open for writing',
    },
  ];
  for (const c of cases) {
    it(`${c.what}: exit 2, one line saying so`, () => {
      for (const mode of modes) {
        const fd = c.open();
        const r = runTo(fd, mode);
        closeSync(fd);
        expect(r.status, `${mode}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`jeprof-ts: cannot write to stdout: ${c.says}`);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    });
  }

  it('names a system error in words, and leaves any other error as it is', () => {
    const full = writeError('to stdout', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    expect(full).toBeInstanceOf(JeprofError);
    expect((full as Error).message).toBe('cannot write to stdout: no space left on the device');
    const odd = writeError('out.txt', Object.assign(new Error('EWHAT: something'), { code: 'EWHAT' }));
    expect((odd as Error).message).toBe('cannot write out.txt: EWHAT: something');
    const bug = new TypeError('a report failed');
    expect(writeError('out.txt', bug)).toBe(bug);
  });
});
