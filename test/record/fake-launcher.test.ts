// record through its Launcher seam, with nothing run: what the program would be given (file,
// argv0, arguments, environment) and how record reads an ending it is told about.
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import type { LaunchRequest, LaunchResult } from '../../src/record/launcher.js';
import { runRecord } from '../../src/cli/record-run.js';
import { tempDir } from '../helpers/temp-dir.js';

const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

function io(cwd: string, env: NodeJS.ProcessEnv): CliIO & { err: () => string } {
  let err = '';
  return { stdout: () => {}, stderr: (t) => void (err += t), env, cwd, stdoutIsTTY: false, stdin: Readable.from(['']), stdinIsTTY: false, err: () => err };
}

describe('record with a fake launcher', () => {
  it('hands the program its own argv0 and arguments, the environment with jemalloc added, and reads a kill', async () => {
    if (!existsSync(JEMALLOC)) throw new Error(`${JEMALLOC} is missing (apt-get install libjemalloc-dev)`);
    const W = tempDir('jeprof-ts-fake-launcher-');
    const seen: LaunchRequest[] = [];
    const launcher = { run: async (req: LaunchRequest): Promise<LaunchResult> => (seen.push(req), { pid: 1, signal: 'SIGKILL' }) };
    const out = io(W, { PATH: '/usr/bin:/bin', LD_PRELOAD: '/usr/lib/libfoo.so', MALLOC_CONF: 'narenas:1', OTHER: 'x' });
    const code = await runRecord({ command: ['true', '--version'], out: 'dumps', interval: '100M' }, out, { launcher });
    expect(code).toBe(137);
    expect(seen).toHaveLength(1);
    expect(seen[0].file).toMatch(/^\/(usr\/)?bin\/true$/);
    expect(seen[0].argv0).toBe('true');
    expect(seen[0].args).toEqual(['--version']);
    expect(seen[0].cwd).toBe(W);
    expect(seen[0].env).toEqual({
      PATH: '/usr/bin:/bin',
      OTHER: 'x',
      LD_PRELOAD: `${JEMALLOC}:/usr/lib/libfoo.so`,
      // 100M is rounded to 128 MiB: log2(100 MiB) = 26.64.
      MALLOC_CONF: `narenas:1,prof:true,prof_prefix:${W}/dumps/jeprof,prof_final:true,lg_prof_interval:27`,
    });
    expect(out.err()).toContain('record: --interval=100M is rounded to 128 MiB (lg_prof_interval:27)');
    expect(out.err()).toContain('record: LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2:/usr/lib/libfoo.so (yours kept, after jemalloc)');
    expect(out.err()).toContain('record: true was killed by SIGKILL (signal 9); its dumps are kept');
    expect(out.err()).toContain(
      'record: no dump was written to ./dumps/. Why:\n  - it was killed by SIGKILL: jemalloc writes the final dump only on a normal exit (prof_final runs from atexit), and it allocated less than the 128 MiB that triggers an interval dump; try a smaller --interval\n',
    );
  });

  it('refuses --leak with --sample, and a size it cannot read, before anything runs', async () => {
    const launcher = { run: async (): Promise<LaunchResult> => { throw new Error('must not run'); } };
    const out = io('/', { PATH: '/usr/bin:/bin' });
    await expect(runRecord({ command: ['true'], leak: true, sample: '3' }, out, { launcher })).rejects.toThrow('--leak already samples every allocation');
    await expect(runRecord({ command: ['true'], interval: 'big' }, out, { launcher })).rejects.toThrow('--interval=big is not a size');
  });
});
