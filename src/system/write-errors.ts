// What a failed write means, in words: the one line a run prints when its report cannot be written
// (to -o's file, or to stdout when it is a file the shell opened), instead of a stack trace.
import { JeprofError } from '../model/errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EBADF: 'it is not open for writing',
};

/**
 * `e` as the run's error for writing to `what`: a system error (one with a code) becomes one
 * line, `cannot write <what>: <reason>`; anything else (a report that failed while it was being
 * made) is `e` itself.
 */
export function writeError(what: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return e;
  return new JeprofError(`cannot write ${what}: ${REASONS[code] ?? (e as Error).message}`, { cause: e });
}
