// Tests frameMatches, focusStacks and ignoreStacks (src/graph/filter.ts): --focus/--ignore, reference §6.6.
import { describe, expect, it } from 'vitest';
import { focusStacks, frameMatches, ignoreStacks } from '../../src/graph/filter.js';
import type { Stack } from '../../src/graph/stacks.js';
import { inlinedLoc as loc } from '../helpers/locations.js';


const allocBig = loc(0x55ac4ad971a0n, ['alloc_big', '/home/dev/facts/src/t1.c:5', 'alloc_big<0000000000001189>']);
const rec = loc(0x55ac4ad971e2n, ['rec', '/home/dev/facts/src/t1.c:11 (discriminator 1)', 'rec<00000000000011c2>']);
const main = loc(0x55ac4ad972e8n, ['main', '/home/dev/facts/src/t1.c:20', 'main<00000000000012b7>']);
const outer = loc(0x56524b1ef18bn, ['outer', '/home/dev/facts/src/t5.c:5'], ['middle', '/home/dev/facts/src/t5.c:4'], ['inner', '/home/dev/facts/src/t5.c:3']);
const anon = loc(0x7efc140938cbn);

const stacks: Stack[] = [
  { locations: [allocBig, main], value: 10 },
  { locations: [rec, rec, main], value: 20 },
  { locations: [outer, main], value: 30 },
  { locations: [anon], value: 40 },
];

function values(s: Stack[]): number[] {
  return s.map((x) => x.value);
}

describe('frameMatches', () => {
  it('matches the 16-hex address (no 0x)', () => {
    // Reference §6.6: --focus=000055ac4ad971a0 matched; 0x forms do not.
    expect(frameMatches(allocBig, /000055ac4ad971a0/)).toBe(true);
    expect(frameMatches(allocBig, /0x55ac4ad971a0/)).toBe(false);
    expect(frameMatches(anon, /^00007efc140938cb$/)).toBe(true);
  });

  it('matches the short name of any inline level', () => {
    expect(frameMatches(outer, /^inner$/)).toBe(true);
    expect(frameMatches(outer, /^middle$/)).toBe(true);
    expect(frameMatches(outer, /^outer$/)).toBe(true);
  });

  it('matches file:line of any inline level', () => {
    expect(frameMatches(outer, /t5\.c:3$/)).toBe(true);
    expect(frameMatches(rec, /t1\.c:1[0-3]/)).toBe(true);
  });

  it('does not test the full (nm-tagged) name', () => {
    expect(frameMatches(main, /<00000000000012b7>/)).toBe(false);
    expect(frameMatches(main, /^main$/)).toBe(true);
  });
});

describe('focusStacks / ignoreStacks', () => {
  it('--focus keeps whole stacks with any matching frame', () => {
    expect(values(focusStacks(stacks, /^rec$/))).toEqual([20]);
    expect(values(focusStacks(stacks, /^main$/))).toEqual([10, 20, 30]);
    expect(values(focusStacks(stacks, /t1\.c:1[0-3]/))).toEqual([20]);
    expect(values(focusStacks(stacks, /000055ac4ad971a0/))).toEqual([10]);
    expect(values(focusStacks(stacks, /inner/))).toEqual([30]);
  });

  it('--focus keeps a stack whole: all of its frames stay', () => {
    const [s] = focusStacks(stacks, /^rec$/);
    expect(s.locations).toEqual([rec, rec, main]);
  });

  it('--ignore drops whole stacks with any matching frame', () => {
    expect(values(ignoreStacks(stacks, /^main$/))).toEqual([40]);
    expect(values(ignoreStacks(stacks, /rec|alloc_big/))).toEqual([30, 40]);
    expect(values(ignoreStacks(stacks, /^00007efc140938cb$/))).toEqual([10, 20, 30]);
  });
});
