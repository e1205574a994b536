// Structural checks of a profile (pprof Profile.CheckValid), run by every parser on what it made.
import type { Profile } from './profile.js';
import { storedSample } from './stack-store.js';

/**
 * Throws an Error describing the first inconsistency. `allowNaN`: heap readers keep jeprof's
 * `nan` for counts too big for a double (Inf/Inf), which jeprof prints rather than rejects.
 */
export function checkProfile(p: Profile, opts: { allowNaN?: boolean } = {}): void {
  const n = p.sampleTypes.length;
  if (n === 0) throw new Error('profile has no sample types');
  if (!p.sampleTypes.some((t) => t.type === p.defaultSampleType)) {
    throw new Error(`default sample type ${p.defaultSampleType} is not one of the sample types`);
  }
  let listed: Set<number> | undefined;
  for (let i = 0; i < p.samples.length; i++) {
    const s = p.samples[i];
    // A dump's sample: its count without the copy that `values` makes (a series made 12,000).
    const stored = storedSample(s);
    const count = stored ? stored.valueCount : s.values.length;
    if (count !== n) throw new Error(`sample ${i} has ${count} values, want ${n}`);
    if (!opts.allowNaN) for (const v of s.values) if (Number.isNaN(v)) throw new Error(`sample ${i} has a NaN value`);
    // A dump's stored stack lists only locations its parser marked used, so the profile lists
    // them by construction (a test checks it); building each one's list here would cost its parse.
    if (stored) continue;
    listed ??= new Set(p.locations.map((l) => l.id));
    for (const l of s.locations) {
      if (!listed.has(l.id)) throw new Error(`sample ${i} uses location ${l.id}, which the profile does not list`);
    }
  }
  const ids = new Set<number>();
  for (const m of p.mappings) {
    if (ids.has(m.id)) throw new Error(`mapping id ${m.id} is used twice`);
    ids.add(m.id);
    // A mapping that ends before it starts is kept: jeprof reads such a map line as it is.
  }
}
