// The fast path for jemalloc count lines, `t*: 30: 6717440 [0: 0]` read straight from bytes.
// Anything unusual returns false and the line is read as text by the regular expression instead.

/** Up to 15 digits, so every value is exact in a double; longer numbers take the text path. */
const MAX_DIGITS = 15;

/**
 * What readCountBytes found: thread (-1 for `*`) and the four numbers in file order. It also holds
 * the match's cursor, so the steps allocate nothing and no state lives outside the reader.
 */
export class CountFields {
  thread = -1;
  n1 = 0;
  s1 = 0;
  n2 = 0;
  s2 = 0;
  /** Where the match is, in the line's bytes. */
  private pos = 0;

  /** readCountBytes into these fields. */
  read(b: Uint8Array, start: number, end: number): boolean {
    this.pos = start;
    if (!this.lit(b, end, 116)) return false; // t
    if (this.lit(b, end, 42)) {
      this.thread = -1; // *
    } else {
      const first = this.pos;
      if ((this.thread = this.num(b, end, 9)) < 0 || (b[first] === 48 && this.pos - first > 1)) return false;
    }
    return (
      this.lit(b, end, 58) && this.gap(b, end, 1) && (this.n1 = this.num(b, end, MAX_DIGITS)) >= 0 && // : n1
      this.lit(b, end, 58) && this.gap(b, end, 1) && (this.s1 = this.num(b, end, MAX_DIGITS)) >= 0 && // : s1
      this.gap(b, end, 1) && this.lit(b, end, 91) && this.gap(b, end, 0) && (this.n2 = this.num(b, end, MAX_DIGITS)) >= 0 && // [n2
      this.lit(b, end, 58) && this.gap(b, end, 1) && (this.s2 = this.num(b, end, MAX_DIGITS)) >= 0 && // : s2
      this.lit(b, end, 93) && this.pos === end // ]
    );
  }

  /** The byte at the cursor is `c`: step past it. Bytes at or past `end` belong to other lines. */
  private lit(b: Uint8Array, end: number, c: number): boolean {
    if (this.pos >= end || b[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  /** At least `min` spaces or tabs: step past all of them. */
  private gap(b: Uint8Array, end: number, min: number): boolean {
    const first = this.pos;
    while (this.pos < end && (b[this.pos] === 32 || b[this.pos] === 9)) this.pos++;
    return this.pos - first >= min;
  }

  /** 1 to `max` decimal digits: their value, or -1. */
  private num(b: Uint8Array, end: number, max: number): number {
    const first = this.pos;
    let v = 0;
    while (this.pos < end && b[this.pos] >= 48 && b[this.pos] <= 57) v = v * 10 + (b[this.pos++] - 48);
    return this.pos === first || this.pos - first > max ? -1 : v;
  }
}

/**
 * Matches the trimmed line b[start, end) against jeprof's count pattern
 * `t(\*|\d+):\s+(\d+):\s+(\d+)\s+\[\s*(\d+):\s+(\d+)\]`, with spaces and tabs for \s and thread
 * numbers without leading zeros (so the thread's text is its number's).
 */
export function readCountBytes(b: Uint8Array, start: number, end: number, out: CountFields): boolean {
  return out.read(b, start, end);
}
