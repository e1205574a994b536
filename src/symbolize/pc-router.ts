// Sends each PC the dump's parser finds to the object file it falls in (ObjTool.stream), so the
// file's early addr2line answers while the rest of the dump is read instead of after all of it.
import { ADDRESS_MASK } from '../model/address.js';
import type { Location } from '../model/profile.js';
import type { Library } from './libraries.js';

/**
 * The PC goes where symbolizeLocations will assign it (libraries by start, highest first, ties in
 * list order; the first whose range holds it): to the first library with the highest start at or
 * below it, when that one holds it. A PC a nested range might take instead is left alone, as are
 * PCs of the catch-all program entry: routing is only a head start.
 */
export function pcRouter(libraries: readonly Library[], send: (path: string, fileAddress: bigint) => void): (loc: Location) => void {
  // Bounds as doubles for the search (user-space addresses are exact); the file address is made
  // from the BigInt.
  const libs = libraries
    .map((lib, i) => ({ lib, i, start: Number(lib.start), finish: Number(lib.finish) }))
    .sort((a, b) => a.start - b.start || b.i - a.i);
  return (loc) => {
    const pc = Number(loc.address);
    // The last library (in this order: start ascending, ties last-listed first) starting at or below the PC.
    let lo = 0;
    let hi = libs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (libs[mid].start <= pc) lo = mid + 1;
      else hi = mid;
    }
    const at = libs[lo - 1];
    if (!at || pc > at.finish) return;
    const { lib } = at;
    if (lib.start === 0n && lib.bias === 0n) return;
    const fileAddress = loc.address - lib.bias;
    send(lib.path, fileAddress >= 0n ? fileAddress : fileAddress & ADDRESS_MASK);
  };
}
