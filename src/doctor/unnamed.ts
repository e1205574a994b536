// Which frames have no name: the doctor counts them, the HTML report's summary adds up their bytes.
import type { Location } from '../model/profile.js';

/**
 * A PC is unnamed when the tools gave it nothing, only its address (jeprof's `0x...` rows), or
 * addr2line's `??` (a file with neither symbols nor DWARF for it: jeprof's `?? ??:0` rows).
 */
export const isUnnamed = (l: Location) => {
  const name = l.lines[0]?.func.name;
  return name === undefined || name.startsWith('0x') || name === '??' || name.startsWith('?? ');
};
