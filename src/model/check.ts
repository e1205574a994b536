// Structural checks every parser runs before handing a profile on (pprof Profile.CheckValid).
import type { Profile } from './profile.js';

/** Throws an Error describing the first inconsistency; parsers wrap it with the file name. */
/**
 * `allowNaN`: heap readers keep jeprof's `nan` for counts too big for a double (Inf/Inf), which
 * jeprof prints rather than rejects.
 */
export function checkProfile(p: Profile, opts: { allowNaN?: boolean } = {}): void {
  const n = p.sampleTypes.length;
  if (n === 0) throw new Error('profile has no sample types');
  if (!p.sampleTypes.some((t) => t.type === p.defaultSampleType)) {
    throw new Error(`default sample type ${p.defaultSampleType} is not one of the sample types`);
  }
  const locIds = new Set(p.locations.map((l) => l.id));
  for (const [i, s] of p.samples.entries()) {
    if (s.values.length !== n) throw new Error(`sample ${i} has ${s.values.length} values, want ${n}`);
    if (!opts.allowNaN) for (const v of s.values) if (Number.isNaN(v)) throw new Error(`sample ${i} has a NaN value`);
    for (const l of s.locations) {
      if (!locIds.has(l.id)) throw new Error(`sample ${i} uses location ${l.id}, which the profile does not list`);
    }
  }
}
