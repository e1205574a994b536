// Checks and reads the files named on the command line, with one clear error for each mistake.
import { closeSync, openSync, readSync, realpathSync, statSync, readFileSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError, ProfileFormatError } from '../model/errors.js';

/** V8 strings stop near 512 MiB; larger profiles are refused rather than crashing. */
export const MAX_PROFILE_BYTES = 512 * 1024 * 1024;

function firstBytes(path: string, n: number): Buffer {
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

export function readProfile(path: string, cwd: string, what: 'profile' | 'base profile'): string {
  const abs = requireRegularFile(path, cwd, what);
  const size = statSync(abs).size;
  if (size > MAX_PROFILE_BYTES) {
    throw new ProfileFormatError(path, 0, `file is ${size} bytes; profiles over ${MAX_PROFILE_BYTES} bytes are not supported`);
  }
  return readFileSync(abs, 'utf8');
}
