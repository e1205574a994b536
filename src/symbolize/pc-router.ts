// Finds, before symbolization, the object file a PC falls in, and sends each PC the dump's parser
// finds to that file (ObjTool.stream), so its early addr2line answers while the rest of the dump
// is read instead of after all of it.
import { addressSub } from '../model/address.js';
import type { Library } from './libraries.js';

/**
 * The library a PC will be assigned to by symbolizeLocations (libraries by start, highest first,
 * ties in list order; the first whose range holds it): the first library with the highest start
 * at or below it, when that one holds it. A PC a nested range might take instead gives undefined,
 * as do PCs of the catch-all program entry: this is only for head starts.
 */
export function libraryFinder(libraries: readonly Library[]): (pc: bigint) => Library | undefined {
  // Bounds as doubles for the search (user-space addresses are exact).
  const libs = libraries
    .map((lib, i) => ({ lib, i, start: Number(lib.start), finish: Number(lib.finish) }))
    .sort((a, b) => a.start - b.start || b.i - a.i);
  return (address) => {
    const pc = Number(address);
    // The last library (in this order: start ascending, ties last-listed first) starting at or below the PC.
    let lo = 0;
    let hi = libs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (libs[mid].start <= pc) lo = mid + 1;
      else hi = mid;
    }
    const at = libs[lo - 1];
    if (!at || pc > at.finish) return undefined;
    return at.lib.start === 0n && at.lib.bias === 0n ? undefined : at.lib;
  };
}

/** Sends each PC to its library's path (see libraryFinder) as its file address there. */
export function pcRouter(libraries: readonly Library[], send: (path: string, fileAddress: bigint) => void): (pc: bigint) => void {
  const find = libraryFinder(libraries);
  return (pc) => {
    const lib = find(pc);
    if (lib) send(lib.path, addressSub(pc, lib.bias));
  };
}
