// The README's exit-code and stderr contract as reusable checks: each returns the ways a run broke it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './mutations.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** C0 controls but \t and \n, DEL, and C1 controls (U+009B is a CSI on some terminals). */
export const CONTROL_CHARS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const USING = /^Using local file .*\.$/;

/** stderr lines without the `Using local file X.` lines jeprof prints before reading anything. */
export function stderrAfterUsing(stderr: string): string[] {
  const lines = stderr.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  while (i < lines.length && USING.test(lines[i])) i++;
  return lines.slice(i);
}

/**
 * Violations of "a report (exit 0) or ONE error line naming the file (exit 1 or 2)": never exit 3,
 * never a stack trace, never stdout output next to an error. `names` are strings the error line
 * must contain (the file it is about).
 */
export function contractViolations(r: RunResult, names: string[] = []): string[] {
  const out: string[] = [];
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) out.push(`exit code ${r.code}`);
  if (/^\s+at\s/m.test(r.stderr) || /internal error/.test(r.stderr)) out.push('stack trace / internal error on stderr');
  if (r.code !== 0) {
    const rest = stderrAfterUsing(r.stderr);
    if (rest.length !== 1) out.push(`${rest.length} stderr lines after 'Using local file' (want exactly one error line)`);
    const line = rest[rest.length - 1] ?? '';
    if (!line.startsWith('jeprof-ts: ')) out.push(`error line does not start with 'jeprof-ts: ': ${JSON.stringify(line.slice(0, 160))}`);
    for (const n of names) if (!line.includes(n)) out.push(`error line does not name ${n}: ${JSON.stringify(line.slice(0, 160))}`);
    if (r.stdout !== '') out.push(`stdout is not empty on an error (${r.stdout.length} chars)`);
  }
  return out;
}

/** The first raw control character in a text, shown with its context, or undefined. */
export function rawControl(text: string): string | undefined {
  const m = CONTROL_CHARS.exec(text);
  if (!m) return undefined;
  const i = m.index;
  return `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 40), i + 40))}`;
}

/** Runs the real executable (bin/jeprof-ts.js over dist/), killed after `timeoutMs`. */
export function spawnCli(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): RunResult & { signal: NodeJS.Signals | null; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'jeprof-ts.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    timeout: opts.timeoutMs ?? 15_000,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0 };
}
