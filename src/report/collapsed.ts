// Folded stacks for flame graphs (jeprof --collapsed): `root;...;leaf <value>` per call stack.
import { rangesOf, type StackRanges } from '../graph/flat-stacks.js';
import type { Stack } from '../graph/stacks.js';
import { FoldedOrder } from './folded-order.js';
import { FoldedTexts } from './folded-texts.js';

/**
 * Output is handed on in pieces of about this many UTF-16 units (a 1 GB dump folds to 1.8 GB of
 * text). Small, so that a piece's lines and the piece itself die in the young generation: at 2^20
 * they outlived it, and the old generation grew to 4 times what lived (610 MB) between collections;
 * a 1 GB dump's report took 23.6 s and a peak RSS of 902 MiB, at 2^15 7.9 s and 462 MiB (2^14 and
 * 2^16: the same within noise, but a piece of 2^16 two-byte units is a large object again).
 */
const CHUNK_CHARS = 1 << 15;

/**
 * One line per stack of the filtered profile, un-merged (two stacks with the same names stay two
 * lines, as in jeprof), in pieces of text. jeprof prints them in Perl hash order, which changes
 * from run to run; ours are sorted (as strings, by UTF-16 unit) so the output is stable. No line
 * is made before it is written: the stacks are sorted as their lines would sort (FoldedOrder).
 */
export function* collapsedChunks(stacks: StackRanges): Generator<string> {
  const order = new FoldedOrder(stacks, new FoldedTexts(stacks));
  const sorted = order.sorted();
  let chunk: string[] = [];
  let size = 0;
  for (let k = 0; k < sorted.length; k++) {
    const line = order.line(sorted[k]) + '\n';
    chunk.push(line);
    size += line.length;
    if (size >= CHUNK_CHARS) {
      yield chunk.join('');
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

/** collapsedChunks as one string (tests, small profiles). */
export function renderCollapsed(stacks: readonly Stack[] | StackRanges): string {
  return [...collapsedChunks(Array.isArray(stacks) ? rangesOf(stacks) : (stacks as StackRanges))].join('');
}
