// The fast path for jemalloc count lines, `t*: 30: 6717440 [0: 0]` read straight from bytes.
// Anything unusual returns false and the line is read as text by the regular expression instead.

/** What readCountBytes found: thread (-1 for `*`) and the four numbers in file order. */
export class CountFields {
  thread = -1;
  n1 = 0;
  s1 = 0;
  n2 = 0;
  s2 = 0;
}

/** Up to 15 digits, so every value is exact in a double; longer numbers take the text path. */
const MAX_DIGITS = 15;

/**
 * Matches the trimmed line b[start, end) against jeprof's count pattern
 * `t(\*|\d+):\s+(\d+):\s+(\d+)\s+\[\s*(\d+):\s+(\d+)\]`, with spaces and tabs for \s and thread
 * numbers without leading zeros (so the thread's text is its number's).
 */
export function readCountBytes(b: Uint8Array, start: number, end: number, out: CountFields): boolean {
  // Bytes at or past `end` are never looked at as part of the line: `b` holds other lines too.
  if (end - start < 12 || b[end - 1] !== 93) return false; // shortest is `t*: 0: 0 [0: 0]`-like, ends in ]
  let i = start;
  if (b[i] !== 116) return false; // t
  i++;
  if (b[i] === 42) {
    out.thread = -1;
    i++;
  } else {
    const first = i;
    let t = 0;
    while (i < end && b[i] >= 48 && b[i] <= 57) t = t * 10 + (b[i++] - 48);
    if (i === first || i - first > 9 || (b[first] === 48 && i - first > 1)) return false;
    out.thread = t;
  }
  let v: number;
  if (b[i++] !== 58) return false; // :
  if ((i = spaces(b, i, end, 1)) < 0 || (v = number(b, i, end)) < 0) return false;
  out.n1 = value;
  i = v;
  if (b[i++] !== 58) return false;
  if ((i = spaces(b, i, end, 1)) < 0 || (v = number(b, i, end)) < 0) return false;
  out.s1 = value;
  i = v;
  if ((i = spaces(b, i, end, 1)) < 0 || b[i++] !== 91) return false; // [
  if ((i = spaces(b, i, end, 0)) < 0 || (v = number(b, i, end)) < 0) return false;
  out.n2 = value;
  i = v;
  if (b[i++] !== 58) return false;
  if ((i = spaces(b, i, end, 1)) < 0 || (v = number(b, i, end)) < 0) return false;
  out.s2 = value;
  return v === end - 1; // then the ] checked above
}

/** At least `min` spaces or tabs from i: the index after them, or -1. */
function spaces(b: Uint8Array, i: number, end: number, min: number): number {
  const first = i;
  while (i < end && (b[i] === 32 || b[i] === 9)) i++;
  return i - first >= min ? i : -1;
}

/** The number read by the last number() call. */
let value = 0;

/** Reads 1 to MAX_DIGITS decimal digits into `value`: the index after them, or -1. */
function number(b: Uint8Array, i: number, end: number): number {
  const first = i;
  let v = 0;
  while (i < end && b[i] >= 48 && b[i] <= 57) v = v * 10 + (b[i++] - 48);
  if (i === first || i - first > MAX_DIGITS) return -1;
  value = v;
  return i;
}
