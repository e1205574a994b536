// Signals sent to record reach the recorded program, through the real CLI in a process of its own:
// SIGTERM kills it (record exits 143 and keeps the interval dumps), SIGINT lets it exit cleanly
// (its final dump is written). The program is not in a terminal's foreground here, so record
// sends each signal on, once.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/temp-dir.js';

const BIN = new URL('../../bin/jeprof-ts.js', import.meta.url).pathname;

/** Keeps 8 MiB, says `ready`, then waits; SIGINT makes it write how many it got and exit 0. */
const SLEEPER_C = `
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static volatile sig_atomic_t ints;
static void on_int(int s) { (void)s; ints++; }
/* Not static: GCC drops stores to a static array that nothing reads, and the mallocs with them. */
void *kept[128];
__attribute__((noinline)) void hold(int i) { kept[i] = memset(malloc(64 * 1024), 1, 64 * 1024); }
int main(int argc, char **argv) {
  signal(SIGINT, on_int);
  /* SIGINT is blocked until sigsuspend waits for it: one arriving between a test of ints and
     pause() would be lost, and the program would wait for ever. */
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &old);
  for (int i = 0; i < 128; i++) hold(i);
  printf("ready\\n");
  fflush(stdout);
  while (!ints) sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, NULL);
  usleep(200 * 1000); /* a second copy of the signal, pending or on its way, would be counted meanwhile */
  FILE *f = fopen(argv[1], "w");
  fprintf(f, "%d\\n", (int)ints);
  fclose(f);
  return 0;
}
`;

let W = '';
beforeAll(() => {
  if (!existsSync('/usr/lib/x86_64-linux-gnu/libjemalloc.so.2')) throw new Error('libjemalloc.so.2 is missing (apt-get install libjemalloc-dev)');
  W = tempDir('jeprof-ts-signals-');
  buildProgram(W, 'sleeper', SLEEPER_C);
});

/** Runs `jeprof-ts record` on the sleeper, sends `signal` to record once the program is ready. */
function recordAndSignal(out: string, signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'record', '--interval=1M', `--out=${out}`, '--', './sleeper', join(W, `${out}.ints`)], {
      cwd: W,
      env: { ...process.env, MALLOC_CONF: '', LD_PRELOAD: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('ready\n')) child.kill(signal);
    });
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('signals sent to record', () => {
  it('SIGTERM reaches the program: record says it was killed, exits 143 and keeps the dumps', async () => {
    const r = await recordAndSignal('o-term', 'SIGTERM');
    expect(r.stdout).toBe('ready\n');
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('record: ./sleeper was killed by SIGTERM (signal 15); its dumps are kept');
    const dumps = readdirSync(join(W, 'o-term'));
    expect(dumps.filter((d) => /\.i\d+\.heap$/.test(d)).length).toBeGreaterThanOrEqual(1);
    expect(dumps.some((d) => d.endsWith('.f.heap'))).toBe(false);
    expect(r.stderr).toMatch(/leak hunt: .*\n(.*\n)*.*hold/);
  });

  it('SIGINT reaches the program once: it exits cleanly, so jemalloc writes the final dump', async () => {
    const r = await recordAndSignal('o-int', 'SIGINT');
    expect(r.code).toBe(0);
    expect(readFileSync(join(W, 'o-int.ints'), 'utf8')).toBe('1\n');
    expect(r.stderr).toContain('record: ./sleeper exited with status 0');
    expect(readdirSync(join(W, 'o-int')).filter((d) => d.endsWith('.f.heap'))).toHaveLength(1);
  });
});
