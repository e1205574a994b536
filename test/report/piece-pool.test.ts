// Tests the pool of report pieces (src/report/piece-pool.ts): a piece is lent again only once given
// back, a piece given back twice is lent once, and bytes the pool did not lend are never kept.
import { describe, expect, it } from 'vitest';
import { PIECE_BYTES, givePiece, takePiece } from '../../src/report/piece-pool.js';

describe('piece pool', () => {
  it('lends a piece again only once it is given back, from a view of it too', () => {
    const a = takePiece(100);
    const b = takePiece(100);
    expect(a.length).toBe(PIECE_BYTES);
    expect(b.buffer).not.toBe(a.buffer);
    givePiece(a.subarray(0, 7));
    expect(takePiece(100).buffer).toBe(a.buffer);
  });

  it('keeps a piece given back twice once', () => {
    const a = takePiece(100);
    givePiece(a);
    givePiece(a);
    const [x, y] = [takePiece(100), takePiece(100)];
    expect(x.buffer).toBe(a.buffer);
    expect(y.buffer).not.toBe(a.buffer);
  });

  it('keeps no bytes it did not lend, and no outsized piece', () => {
    const stranger = Buffer.allocUnsafeSlow(PIECE_BYTES);
    givePiece(stranger);
    const big = takePiece(PIECE_BYTES + 1);
    expect(big.length).toBe(PIECE_BYTES + 1);
    givePiece(big);
    const next = takePiece(100);
    expect(next.buffer).not.toBe(stranger.buffer);
    expect(next.buffer).not.toBe(big.buffer);
  });
});
