// Hand-built Locations for graph tests: each call gets a fresh id, as LocationTable would give.
import type { Location } from '../../src/model/profile.js';

let nextId = 1;

/** One frame level named `name` (short = full), or no symbol record when `name` is undefined. */
export function namedLoc(address: bigint, name?: string, fileLine = '??:?'): Location {
  const id = nextId++;
  return { id, address, lines: name === undefined ? [] : [{ func: { id, name, systemName: name, filename: '' }, line: 0, fileLine }] };
}

/** levels: [short name, file:line, full name], outermost first; none = no symbol record. */
export function inlinedLoc(address: bigint, ...levels: [string, string, string?][]): Location {
  const id = nextId++;
  return {
    id,
    address,
    lines: levels.map(([name, fileLine, full], i) => ({ func: { id: id * 10 + i, name, systemName: full ?? name, filename: '' }, line: 0, fileLine })),
  };
}
