// Names PCs from a symbolized profile's own symbol section instead of running binutils
// (jeprof's FetchSymbols with a symbol map): no file:line, inline chains split on `--`.
import { locationHex } from '../model/address.js';
import { shortFunctionName } from './short-name.js';
import type { Func, Location } from '../model/profile.js';

export function symbolizeFromMap(locations: readonly Location[], symbols: Map<string, string>): void {
  const funcs = new Map<string, Func>();
  for (const loc of locations) {
    // A leaf spelled in upper case is looked up by its text, which no (lower-case) symbol line has.
    const key = loc.text === undefined ? loc.address.toString(16) : loc.text.replace(/^0+(?=.)/, '');
    const names = symbols.get(key) ?? `0x${locationHex(loc)}`;
    loc.lines = names.split('--').map((full) => {
      let f = funcs.get(full);
      if (!f) {
        f = { id: funcs.size + 1, name: shortFunctionName(full), systemName: full, filename: '' };
        funcs.set(full, f);
      }
      return { func: f, line: 0, fileLine: '?' };
    });
  }
}
