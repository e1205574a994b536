// Symbolized profiles: jeprof's --raw output (its symbol section, then it dies), and the whole
// readable file the `raw` subcommand writes (symbols and profile, read back by jeprof-ts and jeprof).
import { locationHex } from '../model/address.js';
import type { Location } from '../model/profile.js';

/** What jeprof 5.3 prints on stderr after the symbol section for a local profile, before exiting 2. */
export const JEPROF_RAW_DEATH = '--raw/http: jeprof can only dump remote profiles for --raw';

/**
 * jeprof --raw on local files (PrintSymbolizedProfile): the symbol section, PCs with no name left
 * out as jeprof leaves them, then `---` and the profile marker; the profile itself never comes
 * (jeprof dies there). Lines in address order; jeprof's are in Perl hash order.
 */
export function renderJeprofRaw(program: string, locations: readonly Location[], kind: 'heap' | 'growth'): string {
  let out = `--- symbol\nbinary=${program}\n`;
  for (const loc of byAddress(locations)) {
    if (loc.lines.length > 0) out += `0x${locationHex(loc)} ${loc.lines.map((l) => l.func.systemName).join('--')}\n`;
  }
  return out + `---\n--- ${kind}\n`;
}

function byAddress(locations: readonly Location[]): Location[] {
  return [...locations].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/**
 * The symbol section (`0x<16 hex> full--inlined...` per PC, outermost first), then `--- heap`
 * and the original profile text, whose addresses are still unadjusted as the readers expect.
 * jeprof leaves PCs without a name out, so readers call them `0x<pc>`; we write their bare
 * address instead, which is what the report of the original shows for them.
 */
export function renderRaw(program: string, locations: readonly Location[], kind: 'heap' | 'growth', profileText: string): string {
  let out = `--- symbol\nbinary=${program}\n`;
  for (const loc of byAddress(locations)) {
    const names = loc.lines.length > 0 ? loc.lines.map((l) => l.func.systemName).join('--') : locationHex(loc);
    out += `0x${locationHex(loc)} ${names}\n`;
  }
  out += `---\n--- ${kind}\n`;
  out += profileText.endsWith('\n') || profileText === '' ? profileText : profileText + '\n';
  return out;
}
