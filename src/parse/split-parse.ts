// A big dump's stack lines read by two threads at once: a worker (split-worker.ts) reads the part
// from a stack line near the middle to the end while this thread reads the first, then this thread
// takes the worker's stacks and rows in file order (SampleAccumulator.mergePart), so everything is
// numbered and added as a one-thread read would. The byte loop is most of a big dump's parse and
// no part of it is much faster alone; the machine has two cores.
import { existsSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LineReader } from './lines.js';
import type { ParsedPart } from './parsed-part.js';

/**
 * From this size on a lone dump's parse is split. Below it the worker's start (some 30 ms to
 * load its code) and the merge eat what the second thread saves. JEPROF_TS_SPLIT_BYTES lowers it
 * (tests split small dumps so).
 */
export const SPLIT_MIN_BYTES = 64 << 20;
/**
 * The share of the file this thread reads itself. The worker starts later (it loads its code) and
 * this thread merges its part afterwards (about a sixth of the work of reading it): halves keep
 * the two threads' ends closest on the 250 MB dump.
 */
const FIRST_SHARE = 0.5;
/** How far past the middle a stack line's start is looked for. */
const SEARCH_BYTES = 4 << 20;
/** The worker is given up, and its part read here, after this long without a sign of progress. */
const QUIET_MS = 10_000;
/** How long one wait for the worker lasts before its heartbeat is checked (and a progress line redrawn). */
const WAIT_SLICE_MS = 250;

export interface Split {
  /** The file offset where the worker's part starts. */
  at: number;
  /**
   * Waits for the worker's part; undefined when it could not give one (this thread reads on).
   * `waiting` is called about four times a second meanwhile (a progress line's redraw).
   */
  result(waiting?: () => void): ParsedPart | undefined;
  /** How many bytes of its part the worker has read so far (to the KiB). */
  readBytes(): number;
  /** Ends the worker, if it still runs. */
  cancel(): void;
}

type WorkerThreads = typeof import('node:worker_threads');

/** The smallest dump split, JEPROF_TS_SPLIT_BYTES when set to a number. */
function splitMinBytes(): number {
  const v = Number(process.env.JEPROF_TS_SPLIT_BYTES);
  return process.env.JEPROF_TS_SPLIT_BYTES && Number.isFinite(v) && v > 0 ? v : SPLIT_MIN_BYTES;
}

/** The worker's file beside this code: the bundle's .cjs, or tsc's .js (none when run from source). */
function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const file = join(dirname(here), here.endsWith('.cjs') ? 'split-worker.cjs' : 'split-worker.js');
  return existsSync(file) ? file : undefined;
}

/** The offset of the first line starting with `@` at or after `from`, or -1. */
export function stackLineAfter(fd: number, from: number, size: number): number {
  const window = Buffer.allocUnsafe(1 << 16);
  // One byte back, so a line starting right at `from` is found by its newline.
  for (let at = Math.max(0, from - 1); at < size && at < from + SEARCH_BYTES; ) {
    const n = readSync(fd, window, 0, window.length, at);
    if (n < 2) return -1;
    for (let i = window.indexOf(10); i >= 0 && i + 1 < n; i = window.indexOf(10, i + 1)) {
      if (window[i + 1] === 64) return at + i + 1;
    }
    at += n - 1;
  }
  return -1;
}

/**
 * Starts the worker on `reader`'s file when it is big enough and limits the reader to the part
 * before the worker's; undefined (nothing started, the reader as it was) otherwise.
 */
export function startSplit(reader: LineReader, rate: number, file: string): Split | undefined {
  const fd = reader.descriptor;
  const size = reader.sizeHint;
  if (fd === undefined || size < splitMinBytes()) return undefined;
  const script = workerScript();
  if (!script) return undefined;
  let at: number;
  try {
    at = stackLineAfter(fd, Math.floor(size * FIRST_SHARE), size);
  } catch {
    return undefined;
  }
  if (at <= 0 || !reader.limitTo(at)) return undefined;
  // Required here, not imported: most runs never split, and loading the module costs them.
  const { Worker, MessageChannel, receiveMessageOnPort } = createRequire(import.meta.url)('node:worker_threads') as WorkerThreads;
  // [0]: 1 once the worker has posted its answer; [1]: counts up while it reads; [2]: the KiB of
  // its part it has read.
  const signal = new Int32Array(new SharedArrayBuffer(12));
  const { port1, port2 } = new MessageChannel();
  let worker: InstanceType<WorkerThreads['Worker']>;
  try {
    worker = new Worker(script, { workerData: { fd, from: at, rate, file, signal, port: port2 }, transferList: [port2] });
  } catch {
    reader.unlimit();
    return undefined;
  }
  // Its failures come as its answer (or as silence, see result): none may end the run.
  worker.on('error', () => {});
  worker.unref();
  return {
    at,
    result(waiting) {
      // The parse is synchronous: wait on the shared flag, not on an event.
      let beat = Atomics.load(signal, 1);
      let quiet = 0;
      while (Atomics.load(signal, 0) === 0) {
        if (Atomics.wait(signal, 0, 0, WAIT_SLICE_MS) !== 'timed-out') continue;
        waiting?.();
        const now = Atomics.load(signal, 1);
        if (now !== beat) {
          beat = now;
          quiet = 0;
        } else if ((quiet += WAIT_SLICE_MS) >= QUIET_MS) {
          return undefined;
        }
      }
      const answer = receiveMessageOnPort(port1)?.message as { part?: ParsedPart } | undefined;
      return answer?.part;
    },
    readBytes: () => Atomics.load(signal, 2) * 1024,
    cancel() {
      port1.close();
      void worker.terminate();
    },
  };
}
