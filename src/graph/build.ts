// Flat and cumulative values per key (jeprof's ReduceProfile, FlatProfile, CumulativeProfile).
import { SequenceInterner } from '../model/interner.js';
import type { Stack } from './stacks.js';
import { translateStack, type TranslateContext } from './granularity.js';

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

/** Translates and de-duplicates every stack, then adds up stacks whose key lists are equal. */
export function reduceStacks(stacks: readonly Stack[], ctx: TranslateContext): ReducedStack[] {
  const interner = new SequenceInterner<string, ReducedStack>();
  const out: ReducedStack[] = [];
  const seen = new Set<string>();
  for (const s of stacks) {
    seen.clear();
    seen.add('');
    const keys: string[] = [];
    for (const k of translateStack(s.locations, ctx)) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
    let fresh = false;
    const have = interner.intern(keys, () => {
      fresh = true;
      return { keys, value: 0 + s.value };
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
