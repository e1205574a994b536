// Tests parseAddr2LineOutput (src/symbolize/addr2line-output.ts): splitting `addr2line -f -C [-i]` answers per address, reference §5.2, §5.4.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { answerCount, answersByAddress, parseAddr2LineLines, parseAddr2LineOutput, parseAddressedAnswers, parseReorderedAnswers } from '../../src/symbolize/addr2line-output.js';

describe('parseAddr2LineOutput', () => {
  it('without a separator, takes one function/file:line pair per address', () => {
    const out = 'alloc_big\n/home/dev/facts/src/t1.c:5\nmain\n/home/dev/facts/src/t1.c:20\n??\n??:0\n';
    expect(parseAddr2LineOutput(out, 3, false)).toEqual([
      [{ func: 'alloc_big', fileLine: '/home/dev/facts/src/t1.c:5' }],
      [{ func: 'main', fileLine: '/home/dev/facts/src/t1.c:20' }],
      [{ func: '??', fileLine: '??:0' }],
    ]);
  });

  it('with the _fini separator, collects inline frames (innermost first) up to each _fini answer', () => {
    const out = [
      'inner',
      '/home/dev/facts/src/t5.c:3',
      'middle',
      '/home/dev/facts/src/t5.c:4',
      'outer',
      '/home/dev/facts/src/t5.c:5',
      '_fini',
      '??:?',
      'rec',
      '/home/dev/facts/src/t1.c:11 (discriminator 1)',
      '_fini',
      '??:?',
      '',
    ].join('\n');
    expect(parseAddr2LineOutput(out, 2, true)).toEqual([
      [
        { func: 'inner', fileLine: '/home/dev/facts/src/t5.c:3' },
        { func: 'middle', fileLine: '/home/dev/facts/src/t5.c:4' },
        { func: 'outer', fileLine: '/home/dev/facts/src/t5.c:5' },
      ],
      [{ func: 'rec', fileLine: '/home/dev/facts/src/t1.c:11 (discriminator 1)' }],
    ]);
  });

  it('leaves addresses whose answers are missing at the end empty', () => {
    expect(parseAddr2LineOutput('main\nt.c:3\n', 3, false)).toEqual([[{ func: 'main', fileLine: 't.c:3' }], [], []]);
    expect(parseAddr2LineOutput('main\nt.c:3\n_fini\n??:0\nf\nt.c:9\n', 3, true)).toEqual([
      [{ func: 'main', fileLine: 't.c:3' }],
      [{ func: 'f', fileLine: 't.c:9' }],
      [],
    ]);
  });

  it('removes \\r line ends and turns backslashes in file names into slashes', () => {
    expect(parseAddr2LineOutput('main\r\nC:\\src\\t.c:3\r\n', 1, false)).toEqual([[{ func: 'main', fileLine: 'C:/src/t.c:3' }]]);
  });

  it('keeps file:line text verbatim (??:?, :?)', () => {
    expect(parseAddr2LineOutput('f\n??:?\ng\n:?\n', 2, false)).toEqual([[{ func: 'f', fileLine: '??:?' }], [{ func: 'g', fileLine: ':?' }]]);
  });

  it('ignores answers beyond the number of addresses', () => {
    expect(parseAddr2LineOutput('a\nx.c:1\nb\nx.c:2\n', 1, false)).toEqual([[{ func: 'a', fileLine: 'x.c:1' }]]);
  });
});

/**
 * The reference: what jeprof reads, the stream of each answer followed by the separator's
 * answer, parsed pair by pair (the code parseAddressedAnswers replaced).
 */
function viaStream(text: string, count: number) {
  const answers: string[][] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (/^0x[0-9a-f]+\r?$/.test(line)) answers.push([]);
    else if (answers.length > 0) answers[answers.length - 1].push(line);
  }
  const [sep = [], ...rest] = answers;
  const stream: string[] = [];
  for (const a of rest) stream.push(...a, ...sep);
  return parseAddr2LineLines(stream, count, true);
}

describe('parseAddressedAnswers', () => {
  it('gives each address the frames of its answer, the first answer being the separator', () => {
    const text = '0x00000000004011ac\n_fini\n??:0\n0x000000000040112d\ninner\n/t/tiny.c:4\nmiddle\n/t/tiny.c:6\n0x0000000000401000\n??\n??:0\n';
    expect(parseAddressedAnswers(text, 2)).toEqual([
      [{ func: 'inner', fileLine: '/t/tiny.c:4' }, { func: 'middle', fileLine: '/t/tiny.c:6' }],
      [{ func: '??', fileLine: '??:0' }],
    ]);
  });

  it('leaves addresses without answers empty when the output is cut short', () => {
    expect(parseAddressedAnswers('', 2)).toEqual([[], []]);
    // An answer cut after its function line pairs across the separator's lines, as in jeprof's stream.
    expect(parseAddressedAnswers('0x0000000000000010\n_fini\n??:0\n0x0000000000000020\nf\n', 2)).toEqual([
      [
        { func: 'f', fileLine: '_fini' },
        { func: '??:0', fileLine: '' },
      ],
      [],
    ]);
  });

  it('reads any output exactly as the stream jeprof gets', () => {
    const line = fc.constantFrom('0x00000000004011ac', '0x10\r', '0x', '0xZ', '_fini', '_fini\r', 'f', 'g\r', '??', 'x.c:1', 'a\\b.c:2\r', '??:0', '');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.integer({ min: 0, max: 6 }), (lines, newline, count) => {
        const text = lines.join('\n') + (newline ? '\n' : '');
        expect(parseAddressedAnswers(text, count)).toEqual(viaStream(text, count));
      }),
      { seed: 20261127, numRuns: 2000 },
    );
  });
});

describe('parseReorderedAnswers', () => {
  it('reads answers given in any order as jeprof reads them in its own, _fini answers included', () => {
    // Mostly plain names (answers read one by one), some `_fini` answers, odd separators and cut
    // output (jeprof's stream replayed).
    const func = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('f', 'g', '??', 'h\r') }, { weight: 1, arbitrary: fc.constantFrom('_fini', '_fini\r') });
    const answer = fc.array(fc.tuple(func, fc.constantFrom('x.c:1', '??:0', 'a\\b.c:2', 'y.c:3\r')), { minLength: 1, maxLength: 3 });
    const sepAnswer = fc.constantFrom('_fini\n??:0\n', '_fini\n??:0\n', 'x\na.c:1\n_fini\n??:0\n', '_fini\n??:0\ny\nb.c:2\n');
    fc.assert(
      fc.property(fc.array(answer, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), fc.nat(3), sepAnswer, fc.nat(2), (answers, keys, extra, sep, cut) => {
        const n = answers.length;
        // Output order: a shuffle, plus `extra` answers nobody asked for at the end.
        const perm = answers.map((_, i) => i).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
        const text = (order: number[], more: number) =>
          ['0x00000000004011ac\n' + sep, ...order.map((i) => `0x${(0x1000 + i).toString(16)}\n` + answers[i].map(([f, l]) => `${f}\n${l}\n`).join('')), ...Array.from({ length: more }, () => '0x9\nz\n??:0\n')].join('');
        // A run cut short loses its last line or two.
        const cutShort = (t: string) => (cut === 0 ? t : t.split('\n').slice(0, -1 - cut).join('\n') + '\n');
        const at = answers.map((_, i) => perm.indexOf(i));
        const asJeprofReads = parseAddressedAnswers(text(answers.map((_, i) => i), 0), n);
        if (cut === 0) expect(parseReorderedAnswers(text(perm, extra), at)).toEqual(asJeprofReads);
        // Cut short, the output in jeprof's own order reads as jeprof's cut stream.
        else expect(parseReorderedAnswers(cutShort(text(answers.map((_, i) => i), 0)), answers.map((_, i) => i))).toEqual(parseAddressedAnswers(cutShort(text(answers.map((_, i) => i), 0)), n));
      }),
      { seed: 20261128, numRuns: 3000 },
    );
  });

  it('ends jeprof\'s stream where a run cut short ends', () => {
    const text = '0x00000000004011ac\n_fini\n??:0\n0x0000000000001001\ng\nx.c:2\n';
    // The second address (answered first) came; the first did not: nothing from there on.
    expect(parseReorderedAnswers(text, [1, 0])).toEqual([[], []]);
    expect(parseReorderedAnswers(text, [0, 1])).toEqual([[{ func: 'g', fileLine: 'x.c:2' }], []]);
  });
});

describe('answersByAddress', () => {
  it('takes each whole answer whose address is the one asked, and stops at the first that is not', () => {
    const text = '0x0000000000001000\nf\na.c:1\n0x0000000000001010\ng\nb.c:2\ninl\nb.h:3\n0x0000000000001020\nh\n';
    // The third answer lost its file:line: the run stopped there.
    expect(answersByAddress(text, [0x1000n, 0x1010n, 0x1020n, 0x1030n])).toEqual([
      [{ func: 'f', fileLine: 'a.c:1' }],
      [
        { func: 'g', fileLine: 'b.c:2' },
        { func: 'inl', fileLine: 'b.h:3' },
      ],
      undefined,
      undefined,
    ]);
  });

  it('an answer for another address than asked, or no address line at all, ends what is taken', () => {
    expect(answersByAddress('0x0000000000002000\nf\na.c:1\n', [0x1000n])).toEqual([undefined]);
    expect(answersByAddress('garbage\nmore garbage\n', [0x1000n, 0x2000n])).toEqual([undefined, undefined]);
    expect(answerCount('0x0000000000002000\nf\na.c:1\n0x10\ng\n?\n')).toBe(2);
  });
});
