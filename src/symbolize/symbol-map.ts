// Names PCs from a symbolized profile's own symbol section instead of running binutils
// (jeprof's FetchSymbols with a symbol map): no file:line, inline chains split on `--`.
import { unknownPcName } from './nm-output.js';
import { shortFunctionName } from './short-name.js';
import type { Func, Location } from '../model/profile.js';

export function symbolizeFromMap(locations: readonly Location[], symbols: Map<string, string>): void {
  const funcs = new Map<string, Func>();
  for (const loc of locations) {
    const names = symbols.get(loc.address.toString(16)) ?? unknownPcName(loc.address);
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
