// The process edges the pipeline may touch, passed in so tests run main() in-process.

export interface CliIO {
  stdout: (data: string | Uint8Array) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdoutIsTTY: boolean;
  /** Progress lines are drawn only on a terminal. */
  stderrIsTTY?: boolean;
  /** Commands for the interactive shell, addresses for --symbols. */
  stdin: NodeJS.ReadableStream;
  stdinIsTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    stdin: process.stdin,
    stdinIsTTY: !!process.stdin.isTTY,
  };
}
