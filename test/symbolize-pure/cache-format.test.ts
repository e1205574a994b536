// Tests the symbol cache's stored form (src/symbolize/cache-format.ts): what goes in comes back,
// asked in the stored order or any other, and a damaged entry is refused before it is used.
import { describe, expect, it } from 'vitest';
import { Answers, type StoredAnswers } from '../../src/symbolize/cache-format.js';

function filled(): Answers {
  const a = new Answers();
  a.setFrames('401b0f|i', [{ func: 'grow_buffer', fileLine: '/src/buf.c:12' }, { func: 'helper', fileLine: '/src/app.c:30' }]);
  a.setFrames('401c1f|i', [{ func: 'main', fileLine: '/src/app.c:50' }]);
  a.setNames('401d00', ['401b0f', '401c1f', '7fff', '10'], [['helper', 'helper<0000000000401b00>'], ['main', 'main<0000000000401c00>'], 0, null]);
  return a;
}

describe('Answers', () => {
  it('stores a text repeated by neighbouring answers once and gives everything back, in the stored order and in any other', () => {
    const stored: StoredAnswers = JSON.parse(JSON.stringify(filled().store()));
    expect(stored.strings.filter((s) => s === 'helper')).toHaveLength(1);
    const back = new Answers(stored).check();
    const frames = [[{ func: 'grow_buffer', fileLine: '/src/buf.c:12' }, { func: 'helper', fileLine: '/src/app.c:30' }], [{ func: 'main', fileLine: '/src/app.c:50' }]];
    expect(back.framesOf(['401b0f|i', '401c1f|i'])).toEqual(frames);
    expect(new Answers(stored).framesOf(['401c1f|i', '401b0f', '401b0f|i'])).toEqual([frames[1], undefined, frames[0]]);
    expect(back.sep).toBe('401d00');
    expect(back.namesOf(['401b0f', '401c1f', '7fff', '10'])).toEqual([['helper', 'helper<0000000000401b00>'], ['main', 'main<0000000000401c00>'], 0, null]);
    expect(new Answers(stored).namesOf(['10', '401c1f'])).toEqual([null, ['main', 'main<0000000000401c00>']]);
    expect(back.namesOf(['401b0f', '999'])).toBeUndefined();
  });

  it('gives back texts that repeat far apart (stored again, not lost) and shares them between neighbours', () => {
    const a = new Answers();
    const keys = Array.from({ length: 12 }, (_, i) => (0x1000 + i).toString(16));
    // Each key a function of its own, then the first function again after eleven others.
    keys.forEach((k, i) => a.setFrames(k, [{ func: i === 11 ? 'f0' : `f${i}`, fileLine: `/src/a.c:${i}` }]));
    a.setFrames('2000', [{ func: 'f10', fileLine: '/src/a.c:10' }]);
    const stored: StoredAnswers = JSON.parse(JSON.stringify(a.store()));
    // f0 is too far back to be found again; f10 and its file:line were just stored.
    expect(stored.strings.filter((s) => s === 'f0')).toHaveLength(2);
    expect(stored.strings.filter((s) => s === 'f10')).toHaveLength(1);
    expect(stored.strings.filter((s) => s === '/src/a.c:10')).toHaveLength(1);
    const back = new Answers(stored).check();
    expect(back.framesOf([...keys, '2000'])).toEqual([...keys.map((_, i) => [{ func: i === 11 ? 'f0' : `f${i}`, fileLine: `/src/a.c:${i}` }]), [{ func: 'f10', fileLine: '/src/a.c:10' }]]);
  });

  it('keeps what is added after loading, and stores old and new together', () => {
    const a = new Answers(filled().store());
    a.setFrames('1234', [{ func: '??', fileLine: '??:0' }]);
    const again = new Answers(JSON.parse(JSON.stringify(a.store()))).check();
    expect(again.framesOf(['1234', '401c1f|i'])).toEqual([[{ func: '??', fileLine: '??:0' }], [{ func: 'main', fileLine: '/src/app.c:50' }]]);
  });

  it('refuses entries that do not add up or refer to texts that are not there', () => {
    const good = filled().store();
    const bad = (change: (s: StoredAnswers) => void) => {
      const s: StoredAnswers = JSON.parse(JSON.stringify(good));
      change(s);
      return () => new Answers(s).check();
    };
    expect(bad(() => {})).not.toThrow();
    expect(bad((s) => s.frameRefs.pop())).toThrow(/add up|missing text/);
    expect(bad((s) => s.frameRefs.push(0))).toThrow(/add up/);
    expect(bad((s) => (s.frameRefs[1] = 999))).toThrow(/missing text/);
    expect(bad((s) => (s.names!.refs[0] = 999))).toThrow(/missing text/);
    expect(bad((s) => (s.names!.keys += ' 42'))).toThrow(/add up/);
    expect(bad((s) => ((s as unknown as { strings: unknown }).strings = 'x'))).toThrow(/format/);
  });
});
