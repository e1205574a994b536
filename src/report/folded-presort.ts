// Sorts folded lines (jeprof --collapsed) first by numbers, their first two texts' families, so that few pairs need the line comparison.
import type { StackRanges } from '../graph/flat-stacks.js';
import type { FoldedTexts } from './folded-texts.js';
import { giveFloats, takeFloats, takeInts } from '../model/int-recycler.js';

/** Doubles hold integers exactly below this: a key and a stack number share one. */
const EXACT = 2 ** 53;

/**
 * The stack numbers in the order `compare` gives their lines. `compare` reads both stacks' frames
 * where they lie, far apart (150 MB of ids in a 1 GB dump): sorting its 1 M stacks with it alone
 * took 1.4 s, mostly cache misses. Here each stack with frames gets a key, its root's family and,
 * when the root's text is alone in its family, its second frame's (or none: ' ' sorts before
 * ';'), such that a smaller key is always an earlier line (FoldedTexts.familyOf); keys and stack
 * numbers are sorted together as doubles, natively; only stacks of one key are then sorted by
 * `compare`, and stacks with no frames (' ' and the value, to be compared with texts' first
 * characters) are merged in by it.
 */
export function presorted(s: StackRanges, texts: FoldedTexts, compare: (a: number, b: number) => number, exact = EXACT): Int32Array {
  const { count, starts, ends } = s;
  let unit = 1;
  while (unit < count) unit *= 2;
  const families = texts.strings.length + 1;
  // Keys of two levels while they and the stack numbers fit exactly (up to some 10^5 texts for a
  // million stacks), then of one, else none: `exact` is lowered only by tests, to reach those.
  const twoLevels = families * families * unit < exact;
  if (!twoLevels && families * unit >= exact) return allOf(count).sort(compare);
  let framed = 0;
  for (let i = 0; i < count; i++) if (ends[i] > starts[i]) framed++;
  // Recycled (every slot is written before the sort): level 1's hash slots are about this size.
  const keyed = takeFloats(framed);
  const bare = new Int32Array(count - framed);
  for (let i = 0, k = 0, b = 0; i < count; i++) {
    if (ends[i] > starts[i]) keyed[k++] = key(s, texts, i, twoLevels) * unit + i;
    else bare[b++] = i;
  }
  keyed.sort();
  // Recycled (every slot is written): the analysis gave back arrays of this size.
  const order = takeInts(framed);
  let run = 0;
  for (let k = 0; k < framed; k++) {
    order[k] = keyed[k] % unit;
    // Stacks of one key are together: the run before this key is sorted as lines.
    if (Math.floor(keyed[k] / unit) !== Math.floor(keyed[run] / unit)) {
      if (k - run > 1) order.subarray(run, k).sort(compare);
      run = k;
    }
  }
  if (framed - run > 1) order.subarray(run, framed).sort(compare);
  giveFloats(keyed);
  return bare.length === 0 ? order : merged(order, bare.sort(compare), compare);
}

/** Stack i's key: its root's family, then (two levels, root alone in its family) its second frame's plus 1, or 0 with none. */
function key(s: StackRanges, texts: FoldedTexts, i: number, twoLevels: boolean): number {
  const { ids, starts, ends } = s;
  const { familyOf, aloneOf } = texts;
  const families = texts.strings.length + 1;
  const root = ids[ends[i] - 1];
  if (!twoLevels) return familyOf[root];
  const second = aloneOf[root] === 1 && ends[i] - 2 >= starts[i] ? familyOf[ids[ends[i] - 2]] + 1 : 0;
  return familyOf[root] * families + second;
}

function allOf(count: number): Int32Array {
  const all = new Int32Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  return all;
}

/** Two sorted lists as one. */
function merged(a: Int32Array, b: Int32Array, compare: (a: number, b: number) => number): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) out[k] = j >= b.length || (i < a.length && compare(a[i], b[j]) <= 0) ? a[i++] : b[j++];
  return out;
}
