// Buffers for a report's pieces of bytes (collapsed's 1.8 GB from a 1 GB dump), taken back once written out.

/**
 * Pieces' bytes live outside V8's heap. A fresh Buffer for each piece kept its bytes until a
 * scavenge found its small object dead, and with little else allocated, 30 MB of written pieces
 * waited for one (peak RSS of the 250 MB dump's collapsed 234 -> 267 MiB); a piece given back is
 * written into again while its pages are mapped. Reused, their size is a matter of write calls:
 * the 250 MB dump's report took (medians of 5 interleaved pairs) 1,575 ms in pieces of 2^15
 * bytes, 1,345 at 2^18, 1,087-1,270 at 2^20 and 2,020 at 2^22 (no longer in cache).
 */
export const PIECE_BYTES = 1 << 20;
/** Pieces held for reuse, at most: a writer that waits for each (emitPaced) gives one back at a time. */
const KEPT = 4;

const free: Buffer[] = [];
/** The memory of pieces lent and not yet given back (weakly: a writer may never give them back). */
const lent = new WeakSet<ArrayBufferLike>();

/** A Buffer of at least `bytes` (stale contents), to be given back with givePiece once written. */
export function takePiece(bytes: number): Buffer {
  let b = free.pop();
  if (b === undefined || b.length < bytes) b = Buffer.allocUnsafeSlow(Math.max(PIECE_BYTES, bytes));
  lent.add(b.buffer);
  return b;
}

/**
 * Gives back a piece takePiece lent, or a view of one, once nothing will read it again (written
 * out, not just queued); other bytes are let be. A piece given back twice is kept once.
 */
export function givePiece(piece: Uint8Array): void {
  const memory = piece.buffer;
  if (!lent.delete(memory)) return;
  // An outsized piece (one long line) is not kept: it would be held for nothing after.
  if (memory.byteLength === PIECE_BYTES && free.length < KEPT) free.push(Buffer.from(memory));
}
