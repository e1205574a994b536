// Tests parseAddr2LineOutput (src/symbolize/addr2line-output.ts): splitting `addr2line -f -C [-i]` answers per address, reference §5.2, §5.4.
import { describe, expect, it } from 'vitest';
import { parseAddr2LineOutput, splitAddressedOutput } from '../../src/symbolize/addr2line-output.js';

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

describe('splitAddressedOutput', () => {
  it('cuts addr2line -a output at each address line, keeping the lines of each answer', () => {
    const text = '0x00000000004011ac\n_fini\n??:0\n0x000000000040112d\ninner\n/t/tiny.c:4\nmiddle\n/t/tiny.c:6\n0x0000000000401000\n??\n??:0\n';
    expect(splitAddressedOutput(text)).toEqual([['_fini', '??:0'], ['inner', '/t/tiny.c:4', 'middle', '/t/tiny.c:6'], ['??', '??:0']]);
  });

  it('gives nothing for output cut before the first address, and keeps a cut-short last answer', () => {
    expect(splitAddressedOutput('')).toEqual([]);
    expect(splitAddressedOutput('0x0000000000000010\nf\n')).toEqual([['f']]);
  });
});
