// Peeks at a dump before it is read: its map section (at the end) and stack lines sampled across
// it, so the symbolizer can guess which object files its PCs fall in and start their tools early
// (src/symbolize/prefetch.ts). The parser's own rules find the map section and read addresses.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAP_SECTION_MARKERS } from './lines.js';
import { stackAddresses } from './stack.js';

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
export function peekDump(path: string): { head: string; mapText?: string } {
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
    const at = mapSectionAt(tail);
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

/** Where the last map section header starts in `text` (at a line start), or -1. */
function mapSectionAt(text: string): number {
  return Math.max(...MAP_SECTION_MARKERS.map((m) => text.lastIndexOf('\n' + m)));
}

/**
 * The distinct PCs of the stack lines in `lines`, as the parser will hold them (a caller's return
 * address less one), in the order first met. Lines the parser would not read as plain stacks are
 * passed over: this is only for head starts.
 */
export function peekedPcs(lines: string): bigint[] {
  const seen = new Set<bigint>();
  const out: bigint[] = [];
  for (const line of lines.split('\n')) {
    if (!line.startsWith('@')) continue;
    for (const pc of stackAddresses(line.slice(1))) {
      if (seen.has(pc)) continue;
      seen.add(pc);
      out.push(pc);
    }
  }
  return out;
}
