// Tests tickLabels (src/report/html/page/trend.ts): the series chart's x-axis labels.
import { expect, it } from 'vitest';
import { tickLabels } from '../../../src/report/html/page/trend.js';

it('leaves out what every label shares, at whole name parts', () => {
  expect(tickLabels(['jeprof.4242.0.i0.heap', 'jeprof.4242.1.i1.heap', 'jeprof.4242.10.i10.heap'])).toEqual(['0.i0', '1.i1', '10.i10']);
  expect(tickLabels(['/dumps/a/run_1.heap', '/dumps/b/run_2.heap'])).toEqual(['a/run_1', 'b/run_2']);
  expect(tickLabels(['12:00', '13:00'])).toEqual(['12:00', '13:00']);
  expect(tickLabels(['only-one-very-long-label-of-a-dump.heap'])).toEqual(['…el-of-a-dump.heap']);
});
