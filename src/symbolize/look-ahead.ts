// Guesses, before a dump is read, which object files its PCs fall in, so their tools can start
// while this process is small (see early-runs.ts): the first stacks of the dump against the
// MAPPED_LIBRARIES section at its end. A guess only: a file guessed wrong costs one idle tool
// run, a file missed starts its tools as usual.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Library } from './libraries.js';

/**
 * How much of each end of the dump is read: the map section of a process is a few KB, and the
 * first hundred-odd stacks show the libraries most stacks go through (256 KB of stacks cost a
 * run 20 ms, before V8 optimised the loop).
 */
const HEAD_BYTES = 64 << 10;
const TAIL_BYTES = 256 << 10;

/** The first stack lines' text and the map section's text (undefined when not in the tail). */
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
    const tail = read(Math.max(0, size - TAIL_BYTES), TAIL_BYTES);
    const at = Math.max(tail.lastIndexOf('\nMAPPED_LIBRARIES:'), tail.lastIndexOf('\n--- Memory map:'));
    return { head, mapText: at < 0 ? undefined : tail.slice(tail.indexOf('\n', at + 1) + 1) };
  } finally {
    closeSync(fd);
  }
}

/** The paths of the libraries (catch-all program entry excluded) that PCs of the head's stack lines fall in. */
export function filesHit(head: string, libraries: readonly Library[]): string[] {
  const libs = libraries.filter((l) => l.start > 0n || l.bias !== 0n).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const hit = new Set<string>();
  const seen = new Set<string>();
  for (const line of head.split('\n')) {
    if (!line.startsWith('@')) continue;
    for (const word of line.slice(1).split(/\s+/)) {
      if (word === '' || seen.has(word)) continue;
      seen.add(word);
      if (!/^0x[0-9a-f]{1,16}$/i.test(word)) continue;
      const pc = BigInt(word);
      const lib = libs.find((l) => pc >= l.start && pc <= l.finish);
      if (lib) hit.add(lib.path);
    }
  }
  return [...hit];
}
