// Tests sourcePlace (src/symbolize/symbolizer.ts), the hand-written reading of addr2line's
// `file:line` texts, against the two patterns it replaces, on random texts built from their parts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sourcePlace } from '../../src/symbolize/symbolizer.js';

const byPatterns = (fileLine: string) => {
  const m = /:(\d+)(?: \(discriminator \d+\))?$/.exec(fileLine);
  return { filename: fileLine.replace(/:(\d+|\?)( \(discriminator \d+\))?$/, ''), line: m ? Number(m[1]) : 0 };
};

describe('sourcePlace', () => {
  it('reads what the patterns read, on texts made of their parts', () => {
    const part = fc.constantFrom(':', '?', '0', '7', '42', ' (discriminator ', ')', 'f.c', '/src/a b.h', ' ', '(', '??');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        expect(sourcePlace(text)).toEqual(byPatterns(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads what the patterns read, on texts shaped like addr2line output with near misses', () => {
    const file = fc.constantFrom('', 'f.c', '??', 'a:b.c', '/x (discriminator 1)/y.c', 'a:1');
    const line = fc.constantFrom('', ':', ':0', ':12', ':?', ':??', '?', ':1a', ': 3');
    const tail = fc.constantFrom('', ' (discriminator 3)', ' (discriminator )', ' (discriminator x)', ' (discriminator 3', '(discriminator 3)', ' (discriminator 3) ', ')', ' (discriminator 1) (discriminator 2)');
    fc.assert(
      fc.property(file, line, tail, (f, l, t) => {
        const text = f + l + t;
        expect(sourcePlace(text)).toEqual(byPatterns(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads addr2line texts', () => {
    expect(sourcePlace('/src/many.c:1234')).toEqual({ filename: '/src/many.c', line: 1234 });
    expect(sourcePlace('main.cpp:31 (discriminator 3)')).toEqual({ filename: 'main.cpp', line: 31 });
    expect(sourcePlace('??:0')).toEqual({ filename: '??', line: 0 });
    expect(sourcePlace('??:?')).toEqual({ filename: '??', line: 0 });
    expect(sourcePlace(':?')).toEqual({ filename: '', line: 0 });
    expect(sourcePlace('?')).toEqual({ filename: '?', line: 0 });
  });
});
