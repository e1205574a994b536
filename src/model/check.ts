// Structural checks of a profile (pprof Profile.CheckValid). The heap readers build consistent
// profiles by construction and do not run it on every dump; tests hold their output to it.
import type { Profile } from './profile.js';

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
  const listed = new Set(p.locations.map((l) => l.id));
  for (let i = 0; i < p.samples.length; i++) {
    const s = p.samples[i];
    if (s.values.length !== n) throw new Error(`sample ${i} has ${s.values.length} values, want ${n}`);
    if (!opts.allowNaN) for (const v of s.values) if (Number.isNaN(v)) throw new Error(`sample ${i} has a NaN value`);
    for (const l of s.locations) {
      if (!listed.has(l.id)) throw new Error(`sample ${i} uses location ${l.id}, which the profile does not list`);
    }
  }
}
