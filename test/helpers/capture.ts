// Runs the CLI in-process with captured stdout/stderr (knip's test/helpers/exec.ts, without a child).
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { RunDeps } from '../../src/cli/load.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; deps?: RunDeps; stdin?: string; tty?: boolean; stderrTty?: boolean; columns?: number } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    {
      stdout: (t) => void (stdout += typeof t === 'string' ? t : Buffer.from(t).toString('latin1')),
      stderr: (t) => void (stderr += t),
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      cwd: opts.cwd ?? process.cwd(),
      stdoutIsTTY: opts.tty ?? false,
      stderrIsTTY: opts.stderrTty ?? false,
      columns: opts.columns,
      stdin: Readable.from([opts.stdin ?? '']),
      stdinIsTTY: false,
    },
    opts.deps,
  );
  return { code, stdout, stderr };
}
