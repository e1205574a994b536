// Profile arithmetic: summing profiles stack by stack and subtracting a --base, as jeprof does.
import { SequenceInterner } from './interner.js';
import { THREAD_LABEL, type Location, type Profile, type Sample } from './profile.js';
import { PooledSample, SampleOrigin } from './stack-store.js';

/** Finds a sample's counterpart by its stack and thread label, without joined-string keys. */
class SampleIndex<V> {
  private readonly byThread = new Map<string | undefined, SequenceInterner<Location, { value?: V }>>();

  slot(s: Sample): { value?: V } {
    const t = s.labels.get(THREAD_LABEL);
    let interner = this.byThread.get(t);
    if (!interner) {
      interner = new SequenceInterner((l) => l.id);
      this.byThread.set(t, interner);
    }
    // A dump's sample by the location ids in its dump's table: no Location list made for it.
    if (s instanceof PooledSample) {
      const t = s.store.table;
      return interner.internNumbers(t.data, t.lengthOf(s.entry), t.startOf(s.entry), () => ({}));
    }
    return interner.intern(s.locations, () => ({}));
  }
}

function cloneSample(s: Sample, values: number[]): Sample {
  const labels = new Map(s.labels);
  // A dump's sample stays one: a single profile's analysis then still reads its stack ids in place.
  return s instanceof PooledSample ? new PooledSample(new SampleOrigin(s.store, labels, undefined), s.entry, values) : { locations: s.locations, values, labels };
}

/**
 * Sums profiles per stack (and thread label), in argument order: value = ((0 + a) + b) + c,
 * the order of additions jeprof's AddProfile uses, so the doubles come out bit-identical.
 */
export function merge(profiles: Profile[]): Profile {
  if (profiles.length === 0) throw new Error('merge needs at least one profile');
  const first = profiles[0];
  const index = new SampleIndex<Sample>();
  const out: Sample[] = [];
  for (const p of profiles) {
    for (const s of p.samples) {
      const slot = index.slot(s);
      if (slot.value) {
        for (let i = 0; i < slot.value.values.length; i++) slot.value.values[i] += s.values[i];
      } else {
        slot.value = cloneSample(s, s.values.slice());
        out.push(slot.value);
      }
    }
  }
  return withSamples(first, out, profiles);
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
  const index = new SampleIndex<{ base?: Sample; inCur: boolean }>();
  for (const s of base.samples) index.slot(s).value = { base: s, inCur: false };
  const out: Sample[] = [];
  for (const s of cur.samples) {
    const slot = index.slot(s);
    slot.value ??= { inCur: false };
    slot.value.inCur = true;
    const b = slot.value.base;
    const values = s.values.map((v, i) => {
      const d = b ? v - b.values[i] : v;
      return dropNegative && d < 0 ? 0 : d;
    });
    out.push(cloneSample(s, values));
  }
  if (!dropNegative) {
    for (const s of base.samples) {
      if (!index.slot(s).value!.inCur) out.push(cloneSample(s, s.values.map((v) => 0 - v)));
    }
  }
  return withSamples(cur, out, [cur, base]);
}

/** A profile of `samples` from `from`: their locations; the first's mappings (jeprof reads the first profile's map only). */
function withSamples(like: Profile, samples: Sample[], from: Profile[]): Profile {
  const locations = new Map<number, Profile['locations'][number]>();
  for (const p of from) for (const l of p.locations) locations.set(l.id, l);
  return {
    ...like,
    samples,
    locations: [...locations.values()],
    mappings: from[0].mappings,
    comments: from.flatMap((p) => p.comments),
  };
}
