// Holds V8's young generation at its first size (1 MiB a semi-space) for runs on gigabyte-class
// dumps, where the grown one (16 MiB a semi-space, 48 MiB in all) was RSS that held nothing.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

/**
 * From this size on, a dump's run holds the young generation. Measured (issue 22): peak RSS of
 * `--text` on 250 MB and 1 GB dumps 308 -> 282 and 645 -> 613-637 MiB, no slower in interleaved
 * pairs. Not below: on the bench's 11 MB profile a cold run then made 119 scavenges instead of
 * 15 (159 ms of pauses instead of 62, 4 to 11% more wall time) to save 30 MiB.
 */
export const BIG_DUMP_BYTES = 64 << 20;
/** Arguments looked at, at most: a series names hundreds of dumps, and each look is a stat. */
const ARGS_LOOKED_AT = 16;

/** A path an argument names, if any: a positional, or the value of `--option=value`. */
function pathOf(arg: string): string | undefined {
  if (arg.startsWith('--') && arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
  return arg.startsWith('-') || arg === '' ? undefined : arg;
}

/** Whether the file starts as a heap dump's text does (a program binary can be as big). */
function startsAsDump(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const b = Buffer.alloc(16);
    return /^(heap_v2\/|heap profile:)/.test(b.toString('latin1', 0, readSync(fd, b, 0, 16, 0)));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether the arguments name a heap dump of BIG_DUMP_BYTES or more. */
export function namesBigDump(args: readonly string[], cwd = process.cwd()): boolean {
  let looked = 0;
  for (const arg of args) {
    const p = pathOf(arg);
    if (p === undefined) continue;
    if (++looked > ARGS_LOOKED_AT) return false;
    const abs = resolve(cwd, p);
    let size = 0;
    try {
      const st = statSync(abs, { throwIfNoEntry: false });
      size = st?.isFile() ? st.size : 0;
    } catch {
      continue; // not ours to report: the run says what is wrong with the file
    }
    if (size >= BIG_DUMP_BYTES && startsAsDump(abs)) return true;
  }
  return false;
}

/**
 * Holds the young generation when the arguments name a big dump; true when it did. Growth is read
 * at each collection, so this takes effect though Node has started (`--max-semi-space-size` does
 * not). It changes V8's flags, which a code cache is checked against: call it before any code is
 * compiled, and keep such runs' caches apart (start.ts).
 */
export function holdYoungGenerationFor(args: readonly string[], cwd = process.cwd()): boolean {
  if (!namesBigDump(args, cwd)) return false;
  // Required here, not imported: loading node:v8 took every run 3.6 ms.
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}
