// Profile arithmetic: summing profiles stack by stack and subtracting a --base, as jeprof does.
import { stackKey, type Profile, type Sample } from './profile.js';

function keyOf(s: Sample): string {
  const t = s.labels.get('thread');
  return t === undefined ? stackKey(s) : `${stackKey(s)}|${t}`;
}

function cloneSample(s: Sample, values: number[]): Sample {
  return { locations: s.locations, values, labels: new Map(s.labels) };
}

/**
 * Sums profiles per stack (and thread label), in argument order: value = ((0 + a) + b) + c,
 * the order of additions jeprof's AddProfile uses, so the doubles come out bit-identical.
 */
export function merge(profiles: Profile[]): Profile {
  if (profiles.length === 0) throw new Error('merge needs at least one profile');
  const first = profiles[0];
  const out = new Map<string, Sample>();
  for (const p of profiles) {
    for (const s of p.samples) {
      const k = keyOf(s);
      const have = out.get(k);
      if (have) {
        for (let i = 0; i < have.values.length; i++) have.values[i] += s.values[i];
      } else {
        out.set(k, cloneSample(s, s.values.slice()));
      }
    }
  }
  return withSamples(first, [...out.values()], profiles);
}

/** Multiplies every value by `factor` (pprof Profile.Scale); `scale(base, -1)` negates a base. */
export function scale(p: Profile, factor: number): Profile {
  return { ...p, samples: p.samples.map((s) => cloneSample(s, s.values.map((v) => v * factor))) };
}

/**
 * `cur - base` per stack. Stacks only in the base come in negated, unless `dropNegative`,
 * which also clamps negative differences to zero (jeprof's --drop_negative).
 * a - b and a + (-b) are the same IEEE operation, so this equals merge(cur, scale(base, -1))
 * when dropNegative is off.
 */
export function subtract(cur: Profile, base: Profile, dropNegative: boolean): Profile {
  const baseByKey = new Map<string, Sample>();
  for (const s of base.samples) baseByKey.set(keyOf(s), s);
  const out: Sample[] = [];
  const seen = new Set<string>();
  for (const s of cur.samples) {
    const k = keyOf(s);
    seen.add(k);
    const b = baseByKey.get(k);
    const values = s.values.map((v, i) => {
      const d = b ? v - b.values[i] : v;
      return dropNegative && d < 0 ? 0 : d;
    });
    out.push(cloneSample(s, values));
  }
  if (!dropNegative) {
    for (const s of base.samples) {
      if (!seen.has(keyOf(s))) out.push(cloneSample(s, s.values.map((v) => 0 - v)));
    }
  }
  return withSamples(cur, out, [cur, base]);
}

function withSamples(like: Profile, samples: Sample[], from: Profile[]): Profile {
  const locations = new Map<number, Profile['locations'][number]>();
  const mappings = new Map<number, Profile['mappings'][number]>();
  for (const p of from) {
    for (const l of p.locations) locations.set(l.id, l);
    for (const m of p.mappings) mappings.set(m.id, m);
  }
  return {
    ...like,
    samples,
    locations: [...locations.values()],
    mappings: [...mappings.values()],
    comments: from.flatMap((p) => p.comments),
  };
}
