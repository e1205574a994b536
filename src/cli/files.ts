// Checks and reads the files named on the command line, with one clear error for each mistake.
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../model/errors.js';

export function firstBytes(path: string, n: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** A regular file or a UsageError saying what is wrong; never a network fetch like jeprof's. */
export function requireRegularFile(path: string, cwd: string, what: 'program' | 'profile' | 'base profile'): string {
  const abs = resolve(cwd, path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    const hint = what === 'program' ? ' (give the profiled executable first, then the .heap files)' : '';
    throw new UsageError(`${what} '${path}' not found${hint}`);
  }
  if (st.isDirectory()) throw new UsageError(`${what} '${path}' is a directory, not a file`);
  if (!st.isFile()) throw new UsageError(`${what} '${path}' is not a regular file`);
  return abs;
}

/** The program: must exist, and must not be a heap profile given by mistake. Returns its real path. */
export function checkProgram(path: string, cwd: string): string {
  const abs = requireRegularFile(path, cwd, 'program');
  const head = firstBytes(abs, 16).toString('latin1');
  if (/^(heap_v2\/|heap profile:|--- symbol|--- heap)/.test(head)) {
    throw new UsageError(`'${path}' is a heap profile, not a program: usage is jeprof-ts [options] <program> <profiles...>`);
  }
  // jeprof matches the program's own mapping by Cwd::abs_path, which resolves symlinks.
  return realpathSync(abs);
}

/**
 * Opens a profile for streaming. O_NONBLOCK and the fstat check mean a FIFO or device put in
 * place of the file after our first check (loadRun checks every profile before reading any) is
 * refused instead of blocking the run. No stat of its own first: a series of 200 dumps made 200
 * more system calls for it; when the open or the fstat fails, requireRegularFile says why.
 */
export function openProfile(path: string, cwd: string, what: 'profile' | 'base profile'): number {
  const abs = resolve(cwd, path);
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    requireRegularFile(path, cwd, what);
    throw e;
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    requireRegularFile(path, cwd, what);
    throw new UsageError(`${what} '${path}' is not a regular file`);
  }
  return fd;
}
