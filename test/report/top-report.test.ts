// The top report as data (topReport) and as jeprof's --text bytes (renderTopText): the Total line and the rows.
import { describe, expect, it } from 'vitest';
import { renderTopText, topReport } from '../../src/report/top.js';

interface Analysis {
  total: number;
  flat: [string, number][];
  cum: [string, number][];
}

function analysis(total: number, flat: [string, number][], cum: [string, number][]): Analysis {
  return { total, flat, cum };
}

function text(a: Analysis, thread?: string): string {
  const fc = { flat: new Map(a.flat), cum: new Map(a.cum), origin: () => undefined };
  return renderTopText(topReport(fc, a.total, { kind: 'bytes', showBytes: false }, { sortByCum: false, thread }));
}

describe('renderTopText', () => {
  it('prints the unfiltered total but percentages of the flat sum (reference §6.4: --focus=rec)', () => {
    // Total 11108352 B = 10.59 MB -> 10.6; rec 102400 B = 0.098 MB -> 0.1, 100% of the flat sum.
    expect(text(analysis(11108352, [['rec', 102400]], [['rec', 102400]]))).toBe('Total: 10.6 MB\n     0.1 100.0% 100.0%      0.1 100.0% rec\n');
  });

  it("labels a thread report 'Total (tN)'", () => {
    // 1146880/1048576 = 1.09375 -> 1.1 (reference §9: Total (t1): 1.1 MB)
    const a = analysis(1146880, [['worker_alloc', 1146880]], [
      ['worker_alloc', 1146880],
      ['clone3', 1146880],
    ]);
    expect(text(a, '1')).toBe(
      'Total (t1): 1.1 MB\n     1.1 100.0% 100.0%      1.1 100.0% worker_alloc\n     0.0   0.0% 100.0%      1.1 100.0% clone3\n',
    );
  });

  it('prints nothing for an empty profile (no Total line, no rows)', () => {
    expect(text(analysis(0, [], []))).toBe('');
  });
});
