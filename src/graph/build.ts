// Flat and cumulative values per key (jeprof's ReduceProfile, FlatProfile, CumulativeProfile).
import { IntSequenceTable } from '../model/interner.js';
import type { Stack } from './stacks.js';
import { IntList, KeyNumbering, translateStackIds, type TranslateContext } from './granularity.js';

export interface ReducedStack {
  /** Distinct keys, leaf first; a key repeated by recursion is kept once, at its leaf-most place. */
  keys: string[];
  value: number;
}

export interface FlatCum {
  /** Value of stacks whose leaf-most key this is. Insertion order = first seen. */
  flat: Map<string, number>;
  /** Value of stacks that contain this key anywhere, counted once per stack. */
  cum: Map<string, number>;
}

/** Reduced stacks as integer key ids: the form the sums are made in. */
interface Reduction {
  names: string[];
  paths: IntSequenceTable;
  /** values[i] is the sum for paths entry i. */
  values: number[];
}

/**
 * Translates and de-duplicates every stack, then adds up stacks whose key lists are equal, in
 * first-seen order (value = ((0 + a) + b) + ..., as jeprof adds them). Works on integer key ids
 * so the per-frame work allocates nothing.
 */
function reduce(stacks: readonly Stack[], ctx: TranslateContext): Reduction {
  const numbering = new KeyNumbering();
  let frames = 0;
  for (const s of stacks) frames += s.locations.length;
  const paths = new IntSequenceTable(stacks.length, frames);
  const values: number[] = [];
  // seenAt[id] === stamp marks a key already in the current stack (recursion counts once).
  let seenAt = new Int32Array(1024);
  let stamp = 0;
  let path = new Int32Array(256);
  const keys = new IntList();
  for (const s of stacks) {
    stamp++;
    keys.n = 0;
    translateStackIds(s.locations, ctx, numbering, keys);
    let n = 0;
    for (let i = 0; i < keys.n; i++) {
      const k = keys.ids[i];
      if (k >= seenAt.length) {
        const bigger = new Int32Array(Math.max(k + 1, seenAt.length * 2));
        bigger.set(seenAt);
        seenAt = bigger;
      }
      if (seenAt[k] !== stamp) {
        seenAt[k] = stamp;
        if (n === path.length) {
          const bigger = new Int32Array(n * 2);
          bigger.set(path);
          path = bigger;
        }
        path[n++] = k;
      }
    }
    const e = paths.intern(path, n);
    if (paths.added) values.push(0 + s.value);
    else values[e] += s.value;
  }
  return { names: numbering.names, paths, values };
}

export function reduceStacks(stacks: readonly Stack[], ctx: TranslateContext): ReducedStack[] {
  const { names, paths, values } = reduce(stacks, ctx);
  return values.map((value, e) => ({ keys: Array.from(paths.sequence(e), (id) => names[id]), value }));
}

/** flatAndCum(reduceStacks(stacks, ctx)), without making the reduced stacks' key lists. */
export function flatAndCumOf(stacks: readonly Stack[], ctx: TranslateContext): FlatCum {
  const { names, paths, values } = reduce(stacks, ctx);
  return sumFlatCum(names, values, paths);
}

export function flatAndCum(reduced: readonly ReducedStack[]): FlatCum {
  const numbering = new KeyNumbering();
  const ids = reduced.map((r) => numbering.idsOf(r.keys));
  const starts: number[] = [];
  let at = 0;
  for (const k of ids) {
    starts.push(at);
    at += k.length;
  }
  const paths: KeyPaths = { data: Int32Array.from(ids.flat()), startOf: (e) => starts[e], lengthOf: (e) => ids[e].length };
  return sumFlatCum(numbering.names, reduced.map((r) => r.value), paths);
}

/** Key-id lists laid end to end (an IntSequenceTable is one): entry e is data[startOf(e) ..+ lengthOf(e)). */
interface KeyPaths {
  readonly data: Int32Array;
  startOf(e: number): number;
  lengthOf(e: number): number;
}

/** The sums over reduced stacks: entry e of `paths` holds the e-th one's key ids, `values[e]` its value. */
function sumFlatCum(names: readonly string[], values: readonly number[], paths: KeyPaths): FlatCum {
  const flat = new Float64Array(names.length);
  const cum = new Float64Array(names.length);
  // Maps keep insertion order and reports break ties by it: note each key's first appearance.
  const inFlat = new Uint8Array(names.length);
  const inCum = new Uint8Array(names.length);
  const flatOrder: number[] = [];
  const cumOrder: number[] = [];
  const ids = paths.data;
  for (let e = 0; e < values.length; e++) {
    const from = paths.startOf(e);
    const to = from + paths.lengthOf(e);
    if (from === to) continue;
    const v = values[e];
    const leaf = ids[from];
    if (inFlat[leaf] === 0) {
      inFlat[leaf] = 1;
      flatOrder.push(leaf);
    }
    flat[leaf] += v;
    for (let i = from; i < to; i++) {
      const k = ids[i];
      if (inCum[k] === 0) {
        inCum[k] = 1;
        cumOrder.push(k);
      }
      cum[k] += v;
    }
  }
  return {
    flat: new Map(flatOrder.map((k) => [names[k], flat[k]])),
    cum: new Map(cumOrder.map((k) => [names[k], cum[k]])),
  };
}
