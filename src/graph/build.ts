// Flat and cumulative values per key (jeprof's ReduceProfile, FlatProfile, CumulativeProfile).
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
  const byPath = new Map<string, ReducedStack>();
  for (const s of stacks) {
    const seen = new Set<string>(['']);
    const keys: string[] = [];
    for (const k of translateStack(s.locations, ctx)) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
    const path = keys.join('\n');
    const have = byPath.get(path);
    if (have) have.value += s.value;
    else byPath.set(path, { keys, value: 0 + s.value });
  }
  return [...byPath.values()];
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
