// The report registry: one entry per output format (pprof driver/commands.go, knip reporters).
import type { Analysis } from '../graph/analyze.js';
import { flatTotal, renderTopRows, renderTotalLine, topRows } from './top.js';
import type { UnitOptions } from './units.js';

export interface ReportInput {
  analysis: Analysis;
  /** Thread uid for per-thread reports (`Total (t2): ...`). */
  thread?: string;
  units: UnitOptions;
  sortByCum: boolean;
  /** How a key is printed (addresses with a symbol record print as `name file:line`). */
  display: (key: string) => string;
}

export type Reporter = (input: ReportInput) => string;

export type FormatName = 'text';

export const reporters: Record<FormatName, Reporter> = {
  text: (r) => {
    const rows = topRows(r.analysis.flatCum, { sortByCum: r.sortByCum, display: r.display });
    return renderTotalLine(r.analysis.total, r.units, r.thread) + renderTopRows(rows, flatTotal(r.analysis.flatCum), r.units);
  },
};
