// Tests the report registry (src/report/index.ts): the 'text' reporter joins the Total line and the rows.
import { describe, expect, it } from 'vitest';
import { reporters, type ReportInput } from '../../src/report/index.js';
import type { Analysis } from '../../src/graph/analyze.js';

function analysis(total: number, flat: [string, number][], cum: [string, number][]): Analysis {
  return { total, stacks: [], flatCum: { flat: new Map(flat), cum: new Map(cum) } };
}

function input(a: Analysis, thread?: string): ReportInput {
  return {
    analysis: a,
    thread,
    units: { kind: 'bytes', showBytes: false },
    sortByCum: false,
    display: (k) => k,
    translate: { granularity: 'functions', renames: new Map(), runIds: new Map() },
    dot: { program: 'prog', nodeCount: 80, nodeFraction: 0.005, edgeFraction: 0.001, maxDegree: 8, heapcheck: false, svgWidths: false, pageSize: false },
  };
}

describe('reporters.text', () => {
  it('prints the unfiltered total but percentages of the flat sum (reference §6.4: --focus=rec)', () => {
    // Total 11108352 B = 10.59 MB -> 10.6; rec 102400 B = 0.098 MB -> 0.1, 100% of the flat sum.
    const out = reporters.text(input(analysis(11108352, [['rec', 102400]], [['rec', 102400]])));
    expect(out.stdout).toBe('Total: 10.6 MB\n     0.1 100.0% 100.0%      0.1 100.0% rec\n');
    expect(out.stderr).toEqual([]);
  });

  it("labels a thread report 'Total (tN)'", () => {
    // 1146880/1048576 = 1.09375 -> 1.1 (reference §9: Total (t1): 1.1 MB)
    const a = analysis(1146880, [['worker_alloc', 1146880]], [
      ['worker_alloc', 1146880],
      ['clone3', 1146880],
    ]);
    expect(reporters.text(input(a, '1')).stdout).toBe(
      'Total (t1): 1.1 MB\n     1.1 100.0% 100.0%      1.1 100.0% worker_alloc\n     0.0   0.0% 100.0%      1.1 100.0% clone3\n',
    );
  });

  it('prints nothing for an empty profile (no Total line, no rows)', () => {
    expect(reporters.text(input(analysis(0, [], []))).stdout).toBe('');
  });
});
