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
  pos = start;
  if (!lit(b, end, 116)) return false; // t
  if (lit(b, end, 42)) {
    out.thread = -1; // *
  } else {
    const first = pos;
    if ((out.thread = num(b, end, 9)) < 0 || (b[first] === 48 && pos - first > 1)) return false;
  }
  return (
    lit(b, end, 58) && gap(b, end, 1) && (out.n1 = num(b, end, MAX_DIGITS)) >= 0 && // : n1
    lit(b, end, 58) && gap(b, end, 1) && (out.s1 = num(b, end, MAX_DIGITS)) >= 0 && // : s1
    gap(b, end, 1) && lit(b, end, 91) && gap(b, end, 0) && (out.n2 = num(b, end, MAX_DIGITS)) >= 0 && // [n2
    lit(b, end, 58) && gap(b, end, 1) && (out.s2 = num(b, end, MAX_DIGITS)) >= 0 && // : s2
    lit(b, end, 93) && pos === end // ]
  );
}

/** Where the match is: a module-level cursor, so the steps below allocate nothing. */
let pos = 0;

/** The byte at the cursor is `c`: step past it. Bytes at or past `end` belong to other lines. */
function lit(b: Uint8Array, end: number, c: number): boolean {
  if (pos >= end || b[pos] !== c) return false;
  pos++;
  return true;
}

/** At least `min` spaces or tabs: step past all of them. */
function gap(b: Uint8Array, end: number, min: number): boolean {
  const first = pos;
  while (pos < end && (b[pos] === 32 || b[pos] === 9)) pos++;
  return pos - first >= min;
}

/** 1 to `max` decimal digits: their value, or -1. */
function num(b: Uint8Array, end: number, max: number): number {
  const first = pos;
  let v = 0;
  while (pos < end && b[pos] >= 48 && b[pos] <= 57) v = v * 10 + (b[pos++] - 48);
  return pos === first || pos - first > max ? -1 : v;
}
