// The subcommand spelling of every mode prints what the jeprof flag prints, and the real binary
// behaves in a pipeline (a reader that stops early is not an error).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { installCase } from '../helpers/corpus.js';

const BIN = new URL('../../bin/jeprof-ts.js', import.meta.url).pathname;
let where = '';
beforeAll(() => {
  where = installCase('seed-leak');
});
const ref = (name: string) => readFileSync(join(where, 'refs', `${name}.stdout`), 'utf8');
const sorted = (t: string) => t.split('\n').sort();

describe('subcommands', () => {
  it('list <regexp> and disasm <regexp> match jeprof --list/--disasm', async () => {
    expect((await runCli(['list', 'leak_some', 'app', 'jeprof.7069.8.f.heap'], { cwd: where })).stdout).toBe(ref('list-leak_some'));
    expect((await runCli(['disasm', 'leak_some', 'app', 'jeprof.7069.8.f.heap'], { cwd: where })).stdout).toBe(ref('disasm-leak_some'));
  });

  it('collapsed, callgrind and dot print the lines jeprof printed (jeprof orders them at random)', async () => {
    for (const [sub, name] of [['collapsed', 'collapsed'], ['callgrind', 'callgrind'], ['dot', 'dot']]) {
      // The dot title names the program as typed; jeprof's reference typed the absolute path.
      const r = await runCli([sub, '/opt/jeprof-corpus/seed-leak/app', 'jeprof.7069.8.f.heap'], { cwd: where });
      expect(sorted(r.stdout), sub).toEqual(sorted(ref(name)));
    }
  });

  it('top takes jeprof\'s options after the subcommand', async () => {
    const r = await runCli(['top', '--show_bytes', 'app', 'jeprof.7069.8.f.heap'], { cwd: where });
    expect(r.stdout).toBe(ref('text-show_bytes'));
  });
});

describe('the binary in a pipeline', () => {
  it('exits 0 without a stack trace when the reader closes early (| head -1)', async () => {
    const child = spawn('node', [BIN, 'top', '/opt/jeprof-corpus/seed-leak/app', 'jeprof.7069.8.f.heap'], { cwd: where });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((ok) => child.on('close', ok));
    expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    expect(code).toBe(0);
  });
});
