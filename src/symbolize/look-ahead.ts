// Guesses, before a dump is read, which object files its PCs fall in, so their tools can start
// while this process is small (see early-runs.ts): stacks sampled across the dump against the
// MAPPED_LIBRARIES section at its end. A guess only: a file guessed wrong costs one idle tool
// run, a file missed starts its tools as usual (from a grown process: 20 to 30 ms a start).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { addressSub } from '../model/address.js';
import type { Library } from './libraries.js';
import { libraryFinder } from './pc-router.js';

/**
 * How much of the dump is read: the first hundred-odd stacks show the libraries most stacks go
 * through (256 KB of stacks cost a run 20 ms, before V8 optimised the loop); the map section of a
 * process is a few KB.
 */
const HEAD_BYTES = 64 << 10;
const TAIL_BYTES = 256 << 10;
/**
 * Stacks are also sampled in the middle of a big dump and just before its map section: a library
 * only a few stacks go through (the dynamic loader's, libstdc++'s start-up allocations) is missed
 * by the head alone, and jemalloc writes stacks in no order that puts those first.
 */
const WINDOW_BYTES = 16 << 10;
const MIDDLE_WINDOWS = 3;

/** Stack lines sampled from the dump and its map section's text (undefined when not in the tail). */
export function dumpEnds(path: string): { head: string; mapText?: string } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (from: number, bytes: number) => {
      const b = Buffer.alloc(Math.max(0, Math.min(bytes, size - from)));
      const n = readSync(fd, b, 0, b.length, from);
      return b.toString('latin1', 0, n);
    };
    let head = read(0, HEAD_BYTES);
    // A line cut at the end could show half an address.
    if (size > HEAD_BYTES) head = head.slice(0, head.lastIndexOf('\n') + 1);
    const tailFrom = Math.max(0, size - TAIL_BYTES);
    const tail = read(tailFrom, TAIL_BYTES);
    const at = Math.max(tail.lastIndexOf('\nMAPPED_LIBRARIES:'), tail.lastIndexOf('\n--- Memory map:'));
    if (at < 0) return { head };
    const mapText = tail.slice(tail.indexOf('\n', at + 1) + 1);
    // Where the stacks end, and the windows between the head and there (whole lines only).
    const stacksEnd = tailFrom + at + 1;
    if (stacksEnd <= HEAD_BYTES) return { head, mapText };
    const windows = [head];
    const span = stacksEnd - HEAD_BYTES;
    for (let k = 1; k <= MIDDLE_WINDOWS + 1; k++) {
      const end = k <= MIDDLE_WINDOWS ? HEAD_BYTES + Math.floor((span * k) / (MIDDLE_WINDOWS + 1)) : stacksEnd;
      const from = Math.max(HEAD_BYTES, end - WINDOW_BYTES);
      const text = from >= tailFrom ? tail.slice(from - tailFrom, end - tailFrom) : read(from, end - from);
      windows.push(wholeLines(text, k <= MIDDLE_WINDOWS));
    }
    return { head: windows.join(''), mapText };
  } finally {
    closeSync(fd);
  }
}

/** The complete lines of a piece of the dump whose start (and end, when `cutAtEnd`) may fall inside a line. */
function wholeLines(text: string, cutAtEnd: boolean): string {
  const from = text.indexOf('\n') + 1;
  const end = cutAtEnd ? text.lastIndexOf('\n') + 1 : text.length;
  // No newline at all: one partial line.
  return from === 0 || end <= from ? '' : text.slice(from, end);
}

/**
 * The libraries that PCs of the stack lines fall in (see libraryFinder), each with the first such
 * PC as the dump's Location will hold it (a caller's return address less one, as jeprof's
 * FixCallerAddresses): its tool can be asked it before the dump is read.
 */
export function filesHit(head: string, libraries: readonly Library[]): Map<string, bigint> {
  const find = libraryFinder(libraries);
  const hit = new Map<string, bigint>();
  const seen = new Set<string>();
  for (const line of head.split('\n')) {
    if (!line.startsWith('@')) continue;
    let leaf = true;
    for (const word of line.slice(1).split(/\s+/)) {
      if (word === '') continue;
      const caller = !leaf;
      leaf = false;
      const key = caller ? word : 'leaf ' + word;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!/^0x[0-9a-f]{1,16}$/i.test(word)) continue;
      const pc = caller ? addressSub(BigInt(word), 1n) : BigInt(word);
      const lib = find(pc);
      if (lib && !hit.has(lib.path)) hit.set(lib.path, pc);
    }
  }
  return hit;
}
