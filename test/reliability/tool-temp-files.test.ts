// addr2line's answers go through a temp folder (src/symbolize/binutils-run.ts): it is gone after a
// run, and also after a run cut short by SIGINT while addr2line is still working.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './mutations.js';

const PROG = join(ROOT, 'fixtures', 'bin', 'tiny');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-tooltmp-'));
  writeFileSync(join(dir, 'x.heap'), ['heap_v2/1', '@ 0x40112d 0x401150', '  t*: 1: 64 [0: 0]', '', 'MAPPED_LIBRARIES:', '00400000-00402000 r-xp 00000000 fe:00 1 /build/tiny', ''].join('\n'));
  // An addr2line that answers like the real one after a pause, so a signal can land mid-run.
  writeFileSync(join(dir, 'slow-addr2line'), `#!/bin/sh\nsleep "$SLOW_SECONDS"\nexec addr2line "$@"\n`);
  chmodSync(join(dir, 'slow-addr2line'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs jeprof-ts --text with TMPDIR set to a fresh folder; `interrupt` sends SIGINT once that folder has an entry. */
function run(slowSeconds: number, interrupt: boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; tmp: string; stdout: string }> {
  const tmp = mkdtempSync(join(dir, 'tmp-'));
  const cache = mkdtempSync(join(dir, 'cache-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'jeprof-ts.js'), '--text', `--tools=nm:nm,objdump:objdump,c++filt:c++filt,addr2line:${join(dir, 'slow-addr2line')}`, PROG, 'x.heap'], {
      cwd: dir,
      env: { ...process.env, TMPDIR: tmp, JEPROF_TS_CACHE: cache, SLOW_SECONDS: String(slowSeconds) },
    });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const poll = setInterval(() => {
      if (interrupt && readdirSync(tmp).length > 0) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 10);
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, signal, tmp, stdout });
    });
  });
}

describe('addr2line temp folders', () => {
  it('are removed after a run', async () => {
    const r = await run(0, false);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('middle');
    expect(readdirSync(r.tmp)).toEqual([]);
  });

  it('are removed when SIGINT cuts the run short while addr2line works', async () => {
    const r = await run(3, true);
    expect(r.signal ?? r.code, 'the run ended by the signal').not.toBe(0);
    expect(readdirSync(r.tmp)).toEqual([]);
  });
});
