// Large Int32Arrays handed on from one interning table to the next. On a virtual machine the
// first touch of each 4 KiB page costs about 13 µs (a page fault), more than interning spends on
// it, and freed large arrays go back to the system; a run makes tables of like size one after
// another (each analysis's trimmed-stack and path tables, a filter's, the next interactive
// command's), so reusing their arrays saves those faults. The parser's table gives only its lookup
// arrays, once a lone dump is read (seal): its dump's samples keep the rest (see stack-store.ts).

/** Smaller arrays cost little to make afresh. */
const MIN_RECYCLED = 1 << 14;
/** Never hold more than this for later. */
const MAX_KEPT_BYTES = 64 << 20;
/** Whole arrays (each spanning its buffer) waiting for reuse. */
const free: Int32Array[] = [];
let keptBytes = 0;

/** An Int32Array of length `n`: zero-filled when new, with stale contents when recycled. */
export function takeInts(n: number): Int32Array {
  if (n >= MIN_RECYCLED) {
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const len = free[i].length;
      // Not a far bigger one: that would be held by a small table while a big one starts afresh.
      if (len >= n && len <= 4 * n && (best < 0 || len < free[best].length)) best = i;
    }
    if (best >= 0) {
      const a = free[best];
      free.splice(best, 1);
      keptBytes -= a.byteLength;
      return a.length === n ? a : a.subarray(0, n);
    }
  }
  return new Int32Array(n);
}

/**
 * A Float64Array of length `n` over the memory of takeInts(2n): recycled when an Int32Array of
 * that size is free (stale contents: write before reading), else new and zero-filled. Give it
 * back with giveFloats.
 */
export function takeFloats(n: number): Float64Array {
  const ints = takeInts(2 * n);
  return new Float64Array(ints.buffer, ints.byteOffset, n);
}

/** Gives a takeFloats array back (see giveInts). */
export function giveFloats(a: Float64Array): void {
  giveInts(new Int32Array(a.buffer, a.byteOffset, 2 * a.length));
}

/** Gives an array (or a view of one) back; the caller must not use it again. */
export function giveInts(a: Int32Array): void {
  const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : new Int32Array(a.buffer);
  if (whole.length < MIN_RECYCLED || keptBytes + whole.byteLength > MAX_KEPT_BYTES) return;
  if (free.some((f) => f.buffer === whole.buffer)) return;
  free.push(whole);
  keptBytes += whole.byteLength;
}

/** Drops every array held for reuse (tests start from an empty list with it). */
export function clearRecycled(): void {
  free.length = 0;
  keptBytes = 0;
}
