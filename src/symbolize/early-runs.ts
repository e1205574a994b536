// Tool runs started before their input is known. A fork write-protects all of the forking
// process's memory, and each page it writes afterwards costs a fault (about 13 µs on a VM): one
// addr2line started from a process holding 100 MB made rewriting that memory take 390 ms instead
// of 4, and starting it took 15 to 25 ms. Started before the dump is read, while this process is
// small, and asked its first address at once, the tool reads its debug information while the dump
// is parsed, then waits on its standard input until the other addresses are known.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropTempDir, makeTempDir } from '../system/temp-files.js';

type Execa = typeof import('execa').execa;

type Subprocess = ReturnType<Execa>;

/** How an early run ended, as execa reports it (timedOut by our own clock, see give). */
export interface EarlyOutcome {
  exitCode?: number;
  failed: boolean;
  timedOut: boolean;
  code?: string;
  shortMessage?: string;
  stderr: string;
  stdout: string;
}

interface Started {
  sub: Subprocess;
  dir: string;
  /** Input given so far, in order; a run's whole input must begin with it. */
  head: Uint8Array[];
}

export class EarlyRuns {
  /** Runs waiting for their input, by command. */
  private readonly runs = new Map<string, Started>();

  constructor(
    private readonly timeoutMs: number,
    /** The tools' working folder: addr2line looks for `.build-id/` debug files there. */
    private readonly cwd: string = process.cwd(),
    /** The tools' whole environment (PATH finds them). */
    private readonly env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' },
  ) {}

  private static key(file: string, args: readonly string[]): string {
    return [file, ...args].join('\0');
  }

  /**
   * Starts `file args`, its output going to a temp file, and gives it `head` at once (addr2line
   * looking up its first address reads the debug information meanwhile); a failure to start is
   * left to the normal run. A command already waiting is not started again.
   */
  start(execa: Execa, file: string, args: string[], head: Uint8Array = new Uint8Array(0)): void {
    const key = EarlyRuns.key(file, args);
    if (this.runs.has(key)) return;
    const dir = makeTempDir();
    const out = openSync(join(dir, 'stdout'), 'w');
    const err = openSync(join(dir, 'stderr'), 'w');
    try {
      const sub = execa(file, args, {
        ...toolRunOptions(this.cwd, this.env),
        stdin: 'pipe',
        // Numeric descriptors go to the child as they are (see Binutils.run): no pipe a child of
        // the tool could hold open.
        stdout: out as 1,
        stderr: err as 2,
      });
      // A tool that exits before reading (missing file, bad option) makes writing fail: that
      // shows in its result, not as an unhandled stream error.
      sub.stdin?.on('error', () => {});
      // A small write goes out at once (libuv writes before queueing), though this thread then
      // reads the dump without a turn of the event loop.
      if (head.length > 0) sub.stdin?.write(head);
      this.runs.set(key, { sub, dir, head: head.length > 0 ? [head] : [] });
    } catch {
      dropTempDir(dir);
    } finally {
      closeSync(out);
      closeSync(err);
    }
  }

  /**
   * Gives a waiting run more of its input now (the `_fini` address once its symbol table is read,
   * addresses as the dump's parser finds them: see Binutils.prepare and stream): the input given
   * at the end must begin with everything written so far. False when no run of `file args` waits.
   */
  write(file: string, args: readonly string[], bytes: Uint8Array): boolean {
    const run = this.runs.get(EarlyRuns.key(file, args));
    if (!run) return false;
    if (bytes.length === 0) return true;
    run.head.push(bytes);
    run.sub.stdin?.write(bytes);
    return true;
  }

  /** Ends the run of `file args` if it waits for input: it was started on a wrong guess. */
  drop(file: string, args: readonly string[]): void {
    const key = EarlyRuns.key(file, args);
    const run = this.runs.get(key);
    if (!run) return;
    this.end(run);
    this.runs.delete(key);
  }

  has(file: string, args: readonly string[]): boolean {
    return this.runs.has(EarlyRuns.key(file, args));
  }

  /**
   * Gives the run started for `file args` its input and waits for its end; undefined when none
   * was started. The time limit counts from now: the dump may take long to read.
   */
  async give(file: string, args: readonly string[], input: string | Uint8Array): Promise<EarlyOutcome | undefined> {
    const key = EarlyRuns.key(file, args);
    const run = this.runs.get(key);
    if (!run) return undefined;
    this.runs.delete(key);
    const bytes = typeof input === 'string' ? Buffer.from(input) : input;
    const given = startsWith(bytes, run.head);
    if (given < 0) {
      // Not the run it was started for after all: it ends, and the tool runs afresh.
      this.end(run);
      return undefined;
    }
    run.sub.stdin?.end(bytes.subarray(given));
    try {
      const r = await killedAfter(run.sub, this.timeoutMs);
      const read = (f: string) => (r.exitCode === undefined ? '' : readFileSync(join(run.dir, f), 'utf8'));
      return { ...r, stderr: read('stderr'), stdout: read('stdout') };
    } finally {
      dropTempDir(run.dir);
    }
  }

  /** Runs never given input end now: with no input, they exit at once. */
  endAll(): void {
    for (const run of this.runs.values()) this.end(run);
    this.runs.clear();
  }

  private end(run: Started): void {
    run.sub.stdin?.end();
    // Its answers are not wanted: killed with its group, so no run (a hung wrapper's either) outlives this process.
    try {
      if (run.sub.pid !== undefined) process.kill(-run.sub.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
    void run.sub.then(
      () => dropTempDir(run.dir),
      () => dropTempDir(run.dir),
    );
  }
}

/**
 * What every tool run is started with (Binutils's and the early ones): the tools' folder and
 * environment only, output kept as the tool wrote it, a failure as a result rather than an
 * exception, and its own process group, so a run that hangs is killed with whatever it started
 * (see killedAfter).
 */
export function toolRunOptions(cwd: string, env: NodeJS.ProcessEnv) {
  return { cwd, reject: false, stripFinalNewline: false, env, extendEnv: false, detached: true } as const;
}

/**
 * How a tool run ended, killed with its whole process group (started detached) after `timeoutMs`:
 * a hung wrapper's children go too. The time counts from the call.
 */
export async function killedAfter(sub: Subprocess, timeoutMs: number): Promise<Omit<EarlyOutcome, 'stdout' | 'stderr'>> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (sub.pid !== undefined) process.kill(-sub.pid, 'SIGKILL');
    } catch {
      sub.kill('SIGKILL');
    }
  }, timeoutMs);
  try {
    const r = await sub;
    return { exitCode: timedOut ? undefined : r.exitCode, failed: r.failed || timedOut, timedOut, code: r.code, shortMessage: r.shortMessage };
  } finally {
    clearTimeout(timer);
  }
}

/** The length of `head` (chunks laid end to end) when `bytes` begins with it, else -1. */
function startsWith(bytes: Uint8Array, head: readonly Uint8Array[]): number {
  let at = 0;
  for (const chunk of head) {
    if (at + chunk.length > bytes.length || Buffer.compare(bytes.subarray(at, at + chunk.length), chunk) !== 0) return -1;
    at += chunk.length;
  }
  return at;
}
