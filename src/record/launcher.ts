// Runs the recorded command with the terminal passed through, forwards the signals that would
// stop record to it, and reports how it ended. Behind an interface so tests can fake a run.
import { readFileSync } from 'node:fs';

export interface LaunchRequest {
  /** Absolute path of the executable. */
  file: string;
  args: readonly string[];
  /** argv[0] as the user typed it. */
  argv0: string;
  /** The whole environment of the child (nothing is added to it). */
  env: Record<string, string>;
  cwd: string;
}

export interface LaunchResult {
  pid?: number;
  /** Set when the command exited. */
  exitCode?: number;
  /** Set when a signal killed it. */
  signal?: NodeJS.Signals;
  /** Set when it could not be started at all (the operating system's message). */
  failed?: string;
}

export interface Launcher {
  run(req: LaunchRequest): Promise<LaunchResult>;
}

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * True when this process is in its terminal's foreground process group (/proc/self/stat: pgrp,
 * field 5, equals tpgid, field 8). The command runs in the same group, so a Ctrl-C or hang-up from
 * the terminal reaches it directly; forwarding a second copy would make a program that treats a
 * second Ctrl-C as "stop now" skip its clean exit (and with it jemalloc's final dump).
 */
export function inTerminalForeground(statText?: string): boolean {
  let text = statText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/stat', 'latin1');
    } catch {
      return false;
    }
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const pgrp = Number(rest[2]);
  const tpgid = Number(rest[5]);
  return tpgid > 0 && pgrp === tpgid;
}

/** Whether record sends `signal`, which it received, on to the command. */
export function shouldForward(signal: NodeJS.Signals, foreground: boolean): boolean {
  if (signal === 'SIGTERM') return true;
  return !foreground;
}

/** The real launcher: execa with an argument array (no shell), stdio inherited. */
export const processLauncher: Launcher = {
  async run(req) {
    const { execa } = await import('execa');
    // The handlers come first: a signal that arrives while the program starts must not end record
    // by Node's default action (leaving the program running, unwatched); it is sent on once started.
    let child: ReturnType<typeof execa> | undefined;
    const pending: NodeJS.Signals[] = [];
    const handlers = FORWARDED_SIGNALS.map((sig) => {
      const h = () => {
        if (!shouldForward(sig, inTerminalForeground())) return;
        if (child) child.kill(sig);
        else pending.push(sig);
      };
      process.on(sig, h);
      return [sig, h] as const;
    });
    child = execa(req.file, [...req.args], {
      argv0: req.argv0,
      env: req.env,
      extendEnv: false,
      cwd: req.cwd,
      stdio: 'inherit',
      reject: false,
      // A program told to stop may take its time (flushing, the final dump): never SIGKILL it.
      forceKillAfterDelay: false,
      cleanup: false,
    });
    for (const sig of pending) child.kill(sig);
    try {
      const r = await child;
      if (r.failed && r.exitCode === undefined && r.signal === undefined) return { pid: child.pid, failed: r.shortMessage };
      return { pid: child.pid, exitCode: r.exitCode, signal: r.signal as NodeJS.Signals | undefined };
    } finally {
      for (const [sig, h] of handlers) process.off(sig, h);
    }
  },
};
