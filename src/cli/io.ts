// The process edges the pipeline may touch, passed in so tests run main() in-process.
import { once } from 'node:events';
import { fstatSync } from 'node:fs';
import { writeAll } from '../system/write-all.js';
import { writeError } from '../system/write-errors.js';

export interface CliIO {
  /** `written`, when given, is called once stdout no longer needs `data` (its bytes may be reused). */
  stdout: (data: string | Uint8Array, written?: () => void) => void;
  /**
   * Resolves once stdout has taken what was written (at once when it has): a pipe's writes are
   * queued in memory while the reader is behind. Absent: stdout takes everything at once.
   */
  stdoutDrained?: () => Promise<void>;
  /**
   * Present when stdout is a regular file: writes a piece of bytes to it off this thread (see
   * writeAll), resolving once written, so a report in pieces makes the next one meanwhile.
   */
  stdoutToFile?: (piece: Uint8Array) => Promise<void>;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdoutIsTTY: boolean;
  /** Progress lines are drawn only on a terminal. */
  stderrIsTTY?: boolean;
  /** The terminal's width, when stdout is one (tables fit it). */
  columns?: number;
  /** The terminal's width, when stderr is one (record's report goes there). */
  stderrColumns?: number;
  /** Commands for the interactive shell, addresses for --symbols. */
  stdin: NodeJS.ReadableStream;
  stdinIsTTY: boolean;
}

let pipeGuard = false;
let stdoutFile: boolean | undefined;

/** Whether fd 1 is a regular file (a shell's `> out`), asked once. */
function stdoutIsFile(): boolean {
  if (stdoutFile === undefined) {
    try {
      stdoutFile = fstatSync(1).isFile();
    } catch {
      stdoutFile = false;
    }
  }
  return stdoutFile;
}

export function processIO(): CliIO {
  if (!pipeGuard) {
    pipeGuard = true;
    // `jeprof-ts top ... | head`: the reader left, so the report is no longer wanted. End quietly
    // with success, as cat and grep do, instead of dying on EPIPE with a stack trace.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
        // A stdout that fails otherwise (`> /dev/full`: ENOSPC) is one line and exit code 2, as
        // -o's file is, not a stack trace.
        if (stream === process.stdout && e.code !== undefined) {
          process.stderr.write(`jeprof-ts: ${(writeError('to stdout', e) as Error).message}\n`);
          process.exit(2);
        }
        throw e;
      });
    }
  }
  return {
    // A file stdout (SyncWriteStream) throws a failed write here: one line, not a stack trace.
    stdout: (t, written) => {
      try {
        process.stdout.write(t, written && (() => written()));
      } catch (e) {
        throw writeError('to stdout', e);
      }
    },
    // A stream that took the write at once (a file's) calls its callback on the next tick: resolved
    // after it, so a piece given back by the callback is back before the next piece is made.
    stdoutDrained: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : new Promise((r) => process.nextTick(r))),
    // Looked at when first asked (a report in pieces asks once): one fstat.
    get stdoutToFile() {
      return stdoutIsFile()
        ? (piece: Uint8Array) =>
            writeAll(1, piece).catch((e: unknown) => {
              throw writeError('to stdout', e);
            })
        : undefined;
    },
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    columns: process.stdout.columns,
    stderrColumns: process.stderr.columns,
    // Made on first use: process.stdin builds a stream for the descriptor (a socket for a pipe),
    // which only the shell and --symbols read.
    get stdin() {
      return process.stdin;
    },
    get stdinIsTTY() {
      return !!process.stdin.isTTY;
    },
  };
}
