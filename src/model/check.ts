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
  // Ids are small positive integers in practice: a byte per id is far cheaper than a Set lookup
  // for each of hundreds of thousands of frames; any other id falls back to the Set.
  const small = new Uint8Array(Math.min(1 << 24, p.locations.reduce((m, l) => (Number.isInteger(l.id) && l.id > m ? l.id : m), 0) + 1));
  const others = new Set<number>();
  const checked = new Set<readonly unknown[]>();
  for (const l of p.locations) {
    if (Number.isInteger(l.id) && l.id >= 0 && l.id < small.length) small[l.id] = 1;
    else others.add(l.id);
  }
  for (let i = 0; i < p.samples.length; i++) {
    const s = p.samples[i];
    if (s.values.length !== n) throw new Error(`sample ${i} has ${s.values.length} values, want ${n}`);
    if (!opts.allowNaN) for (const v of s.values) if (Number.isNaN(v)) throw new Error(`sample ${i} has a NaN value`);
    // Samples of one stack (all threads, each thread) share one list: check each list once.
    if (checked.has(s.locations)) continue;
    checked.add(s.locations);
    for (const l of s.locations) {
      const id = l.id;
      if (!(id >= 0 && id < small.length && Number.isInteger(id) ? small[id] === 1 : others.has(id))) throw new Error(`sample ${i} uses location ${l.id}, which the profile does not list`);
    }
  }
}
