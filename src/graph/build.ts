// Flat and cumulative values per key (jeprof's ReduceProfile, FlatProfile, CumulativeProfile).
import { SequenceInterner } from '../model/interner.js';
import type { Stack } from './stacks.js';
import { KeyNumbering, translateStackIds, type TranslateContext } from './granularity.js';

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

/**
 * Translates and de-duplicates every stack, then adds up stacks whose key lists are equal.
 * Works on integer key ids (one per distinct key string) so the per-frame work allocates nothing.
 */
export function reduceStacks(stacks: readonly Stack[], ctx: TranslateContext): ReducedStack[] {
  const numbering = new KeyNumbering();
  const keyNames = numbering.names;
  const interner = new SequenceInterner<number, ReducedStack>((n) => n);
  const out: ReducedStack[] = [];
  // seenAt[id] === stamp marks a key already in the current stack (recursion counts once).
  let seenAt = new Int32Array(1024);
  let stamp = 0;
  const path: number[] = [];
  for (const s of stacks) {
    stamp++;
    path.length = 0;
    for (const k of translateStackIds(s.locations, ctx, numbering.idsOf)) {
      if (k >= seenAt.length) {
        const bigger = new Int32Array(Math.max(k + 1, seenAt.length * 2));
        bigger.set(seenAt);
        seenAt = bigger;
      }
      if (seenAt[k] !== stamp) {
        seenAt[k] = stamp;
        path.push(k);
      }
    }
    let fresh = false;
    const have = interner.intern(path, () => {
      fresh = true;
      return { keys: path.map((id) => keyNames[id]), value: 0 + s.value };
    });
    if (fresh) out.push(have);
    else have.value += s.value;
  }
  return out;
}

export function flatAndCum(reduced: readonly ReducedStack[]): FlatCum {
  const flat = new Map<string, number>();
  const cum = new Map<string, number>();
  for (const r of reduced) {
    if (r.keys.length === 0) continue;
    flat.set(r.keys[0], (flat.get(r.keys[0]) ?? 0) + r.value);
    for (const k of r.keys) cum.set(k, (cum.get(k) ?? 0) + r.value);
  }
  return { flat, cum };
}
