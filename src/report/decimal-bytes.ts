// An integer's decimal digits written straight into a line's bytes, as formatInt spells them.
import { formatInt } from './printf.js';

/** Past this, a double's integer part is spelt through BigInt (formatInt): its digits are exact there. */
const EXACT = 2 ** 53;

/** The most bytes formatInt's text takes ('-9223372036854775808'). */
export const MAX_INT_BYTES = 20;

/** Writes formatInt(v) at out[at..] (ASCII, so one byte a character); returns where it ends. */
export function writeIntBytes(out: Uint8Array, at: number, v: number): number {
  let n = Math.trunc(v);
  // NaN fails both tests too.
  if (!(n > -EXACT && n < EXACT)) {
    const s = formatInt(v);
    for (let j = 0; j < s.length; j++) out[at++] = s.charCodeAt(j);
    return at;
  }
  if (n < 0) {
    out[at++] = 45; // '-'
    n = -n;
  }
  let end = at;
  for (let m = n; ; m = Math.floor(m / 10)) {
    end++;
    if (m < 10) break;
  }
  // -0 is written '0', as formatInt has it.
  for (let p = end - 1; p >= at; p--, n = Math.floor(n / 10)) out[p] = 48 + (n % 10);
  return end;
}
