// A canonical, sorted text dump of a profile, for golden parser tests (pprof's Profile.String()).
import { hex16, locationHex } from './address.js';
import type { Profile } from './profile.js';

export function dumpProfile(p: Profile): string {
  const out: string[] = [];
  out.push(`sample types: ${p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(' ')} (default ${p.defaultSampleType})`);
  out.push(`period: ${p.period}`);
  const rows = p.samples.map((s) => {
    const labels = [...s.labels].map(([k, v]) => `${k}=${v}`).join(',');
    const vals = s.values.map((v) => String(v)).join(' ');
    return `${vals} ${labels ? `{${labels}} ` : ''}@ ${s.locations.map((l) => locationHex(l)).join(' ')}`;
  });
  rows.sort();
  out.push(`samples: ${rows.length}`, ...rows);
  out.push(`mappings: ${p.mappings.length}`);
  for (const m of p.mappings) {
    out.push(`${hex16(m.start)}-${hex16(m.limit)} ${hex16(m.offset)} ${m.file}${m.buildId ? ` ${m.buildId}` : ''}`);
  }
  return out.join('\n') + '\n';
}
