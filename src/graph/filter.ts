// --focus and --ignore: keep or drop whole stacks by any frame's address, name or file:line.
import { locationHex } from '../model/address.js';
import type { Location } from '../model/profile.js';
import type { Stack } from './stacks.js';

/** jeprof tests the 16-hex address, and each inline level's short name and file:line. */
export function frameMatches(loc: Location, re: RegExp): boolean {
  if (re.test(locationHex(loc))) return true;
  for (const l of loc.lines) {
    if (re.test(l.func.name) || re.test(l.fileLine)) return true;
  }
  return false;
}

export function focusStacks(stacks: readonly Stack[], re: RegExp): Stack[] {
  return stacks.filter((s) => s.locations.some((l) => frameMatches(l, re)));
}

export function ignoreStacks(stacks: readonly Stack[], re: RegExp): Stack[] {
  return stacks.filter((s) => !s.locations.some((l) => frameMatches(l, re)));
}
