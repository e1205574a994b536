// Writes a report to stdout, or with -o to a file whole or not at all: a temp file in the same folder, then rename.
// Devices and FIFOs (`-o /dev/stdout`, a pipe) are written to directly, and symlinks are written
// through, so the user's link or device node is never replaced by a regular file.
import { closeSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CliIO } from './io.js';
import { holdTemp, releaseTemp } from '../system/temp-files.js';
import { givePiece } from '../report/piece-pool.js';
import { writeAll } from '../system/write-all.js';
import { writeError } from '../system/write-errors.js';

/** `bytes` random bytes in hex, unguessable so no one can plant the temp name first. The global
 *  Web Crypto object loads node:crypto only when first used: a run without -o never pays for it. */
function randomHex(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}

function fail(path: string, e: unknown): never {
  // Only the file system's errors are about writing: a report made piece by piece may fail itself.
  throw writeError(path, e);
}

/** A report made whole; one in pieces (a 1 GB dump folds to 1.8 GB of text) goes through emitPaced as Pieces. */
export type ReportData = string | Uint8Array;

type Destination = { direct: string } | { tmp: string; target: string };

/**
 * Where -o's bytes go: a device or a FIFO is written to directly (there is nothing to replace
 * atomically, and a reader may be waiting); anything else through a temp file in the same folder,
 * renamed onto `target` once whole (an existing symlink written through, not replaced).
 */
function destinationOf(path: string, cwd: string): Destination {
  let target = resolve(cwd, path);
  let st;
  try {
    st = statSync(target); // follows symlinks
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) fail(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  if (st && !st.isFile()) return { direct: target };
  if (st) target = realpathSync(target);
  return { tmp: join(dirname(target), `.${basename(target)}.${process.pid}.${randomHex(4)}.tmp`), target };
}

export function writeFileAtomic(path: string, cwd: string, data: ReportData): void {
  const d = destinationOf(path, cwd);
  if ('direct' in d) {
    try {
      writeFileSync(d.direct, data);
    } catch (e) {
      fail(path, e);
    }
    return;
  }
  holdTemp(d.tmp);
  try {
    writeFileSync(d.tmp, data, { mode: 0o644 });
    renameSync(d.tmp, d.target);
  } catch (e) {
    fail(path, e);
  } finally {
    releaseTemp(d.tmp);
    rmSync(d.tmp, { force: true });
  }
}

/** writeFileAtomic for a report in pieces, each written off this thread while the next is made (see emitOverlapped). */
async function writeFileAtomicOverlapped(path: string, cwd: string, data: Pieces): Promise<void> {
  const d = destinationOf(path, cwd);
  const file = 'direct' in d ? d.direct : d.tmp;
  if ('tmp' in d) holdTemp(d.tmp);
  try {
    const fd = openSync(file, 'w', 0o644);
    try {
      await emitOverlapped((bytes) => writeAll(fd, bytes), data);
    } finally {
      closeSync(fd);
    }
    if ('tmp' in d) renameSync(d.tmp, d.target);
  } catch (e) {
    fail(path, e);
  } finally {
    if ('tmp' in d) {
      releaseTemp(d.tmp);
      rmSync(d.tmp, { force: true });
    }
  }
}

/** A report in pieces, some of which may still be being made off this thread (a gzip member, say). */
export type Pieces = Iterable<string | Uint8Array | Promise<Uint8Array>>;

/**
 * emit(), waiting after each piece until stdout has taken it: piped to a slower reader, a 1 GB
 * dump's 1.8 GB of collapsed text was otherwise queued in memory until the write failed (ENOBUFS,
 * at 2.3 GB of RSS), and a 250 MB dump's took 1.1 GB where a file took 240 MB.
 */
export async function emitPaced(output: string | undefined, io: CliIO, data: ReportData | Pieces): Promise<number> {
  if (typeof data === 'string' || data instanceof Uint8Array) return emit(output, io, data);
  if (output) {
    await writeFileAtomicOverlapped(output, io.cwd, data);
    return 0;
  }
  const toFile = io.stdoutToFile;
  if (toFile) {
    await emitOverlapped(toFile, data);
    return 0;
  }
  for (const made of data) {
    const piece = typeof made === 'string' || made instanceof Uint8Array ? made : await made;
    stdoutPiece(io, piece);
    await io.stdoutDrained?.();
  }
  return 0;
}

/**
 * Pieces to a regular file, each written off this thread while the next is made: the 250 MB
 * dump's collapsed report spent 425 ms of its 1.65 s in write(2), one piece after the other. The
 * next piece is asked for before the last is written, so a piece made off this thread (a gzip
 * member) is made while this thread makes the one after. One write at a time, in order; a piece
 * goes back to its pool once written.
 */
async function emitOverlapped(write: (piece: Uint8Array) => Promise<void>, data: Pieces): Promise<void> {
  let writing: Promise<void> | undefined;
  let last: Promise<Uint8Array> | undefined;
  const writeNext = async (made: Promise<Uint8Array>) => {
    const bytes = await made;
    await writing;
    writing = write(bytes).then(() => givePiece(bytes));
    // A failed write is thrown where it is awaited, not reported as unhandled meanwhile.
    writing.catch(() => undefined);
  };
  try {
    for (const piece of data) {
      const made = Promise.resolve(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece);
      made.catch(() => undefined);
      if (last) await writeNext(last);
      last = made;
    }
    if (last) await writeNext(last);
  } catch (e) {
    // The report failed while a write was still running on the pool: it ends before the caller
    // closes the descriptor (a number the next open may reuse).
    await writing?.catch(() => undefined);
    throw e;
  }
  await writing;
}

/** The report to -o's file when one is given, else to stdout; the exit code. */
export function emit(output: string | undefined, io: CliIO, data: ReportData): number {
  if (output) writeFileAtomic(output, io.cwd, data);
  else io.stdout(data);
  return 0;
}

/** A piece of bytes goes back to its pool (if it came from one) once stdout has written it. */
function stdoutPiece(io: CliIO, piece: string | Uint8Array): void {
  if (typeof piece === 'string') io.stdout(piece);
  else io.stdout(piece, () => givePiece(piece));
}
