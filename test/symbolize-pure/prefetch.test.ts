// Tests the guess of a dump's object files before it is read: the peek at its two ends
// (src/parse/peek.ts) and the libraries its PCs hit (src/symbolize/prefetch.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peekDump as dumpEnds, peekedPcs } from '../../src/parse/peek.js';
import { filesHit as hitPcs } from '../../src/symbolize/prefetch.js';
import type { Library } from '../../src/symbolize/libraries.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The libraries a peeked stack text hits, with the first PC of each. */
const filesHit = (head: string, libs: readonly Library[]) => hitPcs(peekedPcs(head), libs);

const lib = (path: string, start: bigint, finish: bigint, bias = start): Library => ({ path, foundPath: path, start, finish, bias });

describe('look-ahead', () => {
  it('reads the first stacks and the map section from the two ends of a dump', () => {
    const dir = tempDir('jeprof-ts-look-');
    const filler = '  t*: 1: 8 [0: 0]\n'.repeat(40000);
    const text = 'heap_v2/524288\n@ 0x1010 0x2020\n' + filler + 'MAPPED_LIBRARIES:\n1000-2000 r-xp 00000000 08:01 1 /lib/a.so\n';
    writeFileSync(join(dir, 'd.heap'), text);
    const ends = dumpEnds(join(dir, 'd.heap'));
    expect(ends.head.startsWith('heap_v2/524288\n@ 0x1010 0x2020\n')).toBe(true);
    expect(ends.mapText).toBe('1000-2000 r-xp 00000000 08:01 1 /lib/a.so\n');
  });

  it('also samples stacks in the middle of a big dump and just before its map section', () => {
    const dir = tempDir('jeprof-ts-look-');
    const filler = (n: number) => '@ 0x1010 0x1020\n  t*: 1: 8 [0: 0]\n'.repeat(n);
    // About 4 MB of stacks: a few thousand through b.so half-way (a tenth of the dump, which the
    // head misses), one through c.so last.
    const middle = '@ 0x3010 0x1010\n  t*: 1: 8 [0: 0]\n'.repeat(6000);
    const text = 'heap_v2/1\n' + filler(54000) + middle + filler(54000) + '@ 0x5010\n  t*: 1: 8 [0: 0]\nMAPPED_LIBRARIES:\n1000-2000 r-xp 00000000 08:01 1 /lib/a.so\n';
    writeFileSync(join(dir, 'd.heap'), text);
    const ends = dumpEnds(join(dir, 'd.heap'));
    const libs = [lib('/lib/a.so', 0x1000n, 0x1fffn), lib('/lib/b.so', 0x3000n, 0x3fffn), lib('/lib/c.so', 0x5000n, 0x5fffn)];
    expect([...filesHit(ends.head, libs).keys()].sort()).toEqual(['/lib/a.so', '/lib/b.so', '/lib/c.so']);
    // Whole lines only: every sampled stack line is one of the dump's.
    for (const line of ends.head.split('\n')) if (line.startsWith('@')) expect(['@ 0x1010 0x1020', '@ 0x3010 0x1010', '@ 0x5010']).toContain(line);
    expect(ends.head.length, 'a few windows, not the whole dump').toBeLessThan(200 << 10);
    expect(ends.mapText).toBe('1000-2000 r-xp 00000000 08:01 1 /lib/a.so\n');
  });

  it('finds no map section beyond the tail it reads', () => {
    const dir = tempDir('jeprof-ts-look-');
    writeFileSync(join(dir, 'd.heap'), 'heap_v2/1\nMAPPED_LIBRARIES:\n' + 'x\n'.repeat(200000));
    expect(dumpEnds(join(dir, 'd.heap')).mapText).toBeUndefined();
  });

  it('names the libraries the stack lines hit, not the catch-all program entry', () => {
    const libs = [lib('/lib/a.so', 0x1000n, 0x1fffn), lib('/lib/b.so', 0x3000n, 0x3fffn), lib('/lib/c.so', 0x5000n, 0x5fffn), lib('/bin/prog', 0n, 0xffffn, 0n)];
    const head = 'heap_v2/1\n@ 0x9000 0x1010 0x1020\n  t*: 1: 8 [0: 0]\n@ 0x3fff\n@ 0x4000 0x5001';
    // Each with its first PC as the dump's Location holds it: a caller's return address less one.
    expect(filesHit(head, libs)).toEqual(
      new Map([
        ['/lib/a.so', 0x100fn],
        ['/lib/b.so', 0x3fffn],
        ['/lib/c.so', 0x5000n],
      ]),
    );
    expect(filesHit('@ 0x9000\n', libs).size).toBe(0);
    // Count lines and headers hold no PCs.
    expect(filesHit('  t*: 1: 4096 [0: 0]\nheap_v2/4096\n', libs).size).toBe(0);
  });
});
