// jeprof --raw: a symbolized profile, readable later without the program by jeprof-ts and by jeprof.
import { hex16 } from '../model/address.js';
import type { Location } from '../model/profile.js';

/**
 * The symbol section (`0x<16 hex> full--inlined...` per PC, outermost first), then `--- heap`
 * and the original profile text, whose addresses are still unadjusted as the readers expect.
 * jeprof leaves PCs without a name out, so readers call them `0x<pc>`; we write their bare
 * address instead, which is what the report of the original shows for them.
 */
export function renderRaw(program: string, locations: readonly Location[], kind: 'heap' | 'growth', profileText: string): string {
  let out = `--- symbol\nbinary=${program}\n`;
  const sorted = [...locations].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  for (const loc of sorted) {
    const names = loc.lines.length > 0 ? loc.lines.map((l) => l.func.systemName).join('--') : hex16(loc.address);
    out += `0x${hex16(loc.address)} ${names}\n`;
  }
  out += `---\n--- ${kind}\n`;
  out += profileText.endsWith('\n') || profileText === '' ? profileText : profileText + '\n';
  return out;
}
