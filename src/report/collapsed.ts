// Folded stacks for flame graphs (jeprof --collapsed): `root;...;leaf <value>` per call stack.
import { rangesOf, type StackRanges } from '../graph/flat-stacks.js';
import type { Stack } from '../graph/stacks.js';
import { MAX_INT_BYTES, writeIntBytes } from './decimal-bytes.js';
import { FoldedOrder } from './folded-order.js';
import { FoldedTexts } from './folded-texts.js';
import { PIECE_BYTES, givePiece, takePiece } from './piece-pool.js';
import { giveInts, takeInts } from '../model/int-recycler.js';

const SEMICOLON = 59;
const SPACE = 32;
const NEWLINE = 10;

/**
 * One line per stack of the filtered profile, un-merged (two stacks with the same names stay two
 * lines, as in jeprof), in pieces of UTF-8 from takePiece, for the writer to give back once
 * written. jeprof prints them in Perl hash order, which changes from run to run; ours are sorted
 * (as strings, by UTF-16 unit) so the output is stable. No line is made as a string: the stacks
 * are sorted as their lines would sort (FoldedOrder), and each line is copied together from its
 * texts' bytes, encoded once per text (FoldedTexts).
 */
export function* collapsedChunks(stacks: StackRanges): Generator<Uint8Array> {
  const texts = new FoldedTexts(stacks);
  const sorted = new FoldedOrder(stacks, texts).sorted();
  const { ids, starts, ends, values } = stacks;
  const { textOf, bytes } = texts;
  const sizes = textBytes(stacks, texts);
  let piece = takePiece(PIECE_BYTES);
  let at = 0;
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k];
    const size = sizes[i] + MAX_INT_BYTES + 2;
    if (at + size > piece.length) {
      if (at > 0) yield piece.subarray(0, at);
      else givePiece(piece);
      piece = takePiece(size);
      at = 0;
    }
    for (let f = ends[i] - 1; f >= starts[i]; f--) {
      const b = bytes[textOf[ids[f]] - 1];
      piece.set(b, at);
      at += b.length;
      piece[at++] = SEMICOLON;
    }
    // The last text's ';' becomes the space before the value (a stack with no frames: ' ' alone).
    if (ends[i] === starts[i]) at++;
    piece[at - 1] = SPACE;
    at = writeIntBytes(piece, at, values[i]);
    piece[at++] = NEWLINE;
  }
  if (at > 0) yield piece.subarray(0, at);
  giveInts(sizes);
  giveInts(sorted);
}

/**
 * Each stack's texts' bytes, a ';' after each. Summed here, stack after stack, the frames are
 * read in the order they lie in; summed in the lines' order, each stack's first read missed the
 * cache (a quarter of the 250 MB dump's report).
 */
function textBytes(stacks: StackRanges, texts: FoldedTexts): Int32Array {
  const { ids, starts, ends, count } = stacks;
  const { textOf, bytes } = texts;
  const byId = new Int32Array(textOf.length);
  for (let id = 0; id < textOf.length; id++) if (textOf[id] !== 0) byId[id] = bytes[textOf[id] - 1].length + 1;
  // Recycled (every slot is written): the analysis gave back arrays of this size.
  const sizes = takeInts(count);
  for (let i = 0; i < count; i++) {
    let size = 0;
    for (let f = starts[i]; f < ends[i]; f++) size += byId[ids[f]];
    sizes[i] = size;
  }
  return sizes;
}

/** collapsedChunks as one string (tests, small profiles). */
export function renderCollapsed(stacks: readonly Stack[] | StackRanges): string {
  return Buffer.concat([...collapsedChunks(Array.isArray(stacks) ? rangesOf(stacks) : (stacks as StackRanges))]).toString('utf8');
}
