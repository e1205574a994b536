// The report registry: one entry per output format (pprof driver/commands.go, knip reporters).
import type { Analysis } from '../graph/analyze.js';
import type { TranslateContext } from '../graph/granularity.js';
import { extractCalls, renderCallgrind } from './callgrind.js';
import { renderCollapsed } from './collapsed.js';
import { renderDot, type DotOptions } from './dot.js';
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
  /** Granularity and renames, for reports that translate raw stacks again (dot edges). */
  translate: TranslateContext;
  dot: DotOptions;
}

export interface ReportOutput {
  stdout: string;
  /** Lines jeprof prints on stderr for this report. */
  stderr: string[];
}

export type Reporter = (input: ReportInput) => ReportOutput;

/** Formats that print text; svg/pdf/ps/gif are `dot` piped through Graphviz by the CLI. */
export type FormatName = 'text' | 'collapsed' | 'callgrind' | 'dot';

export const reporters: Record<FormatName, Reporter> = {
  text: (r) => {
    const rows = topRows(r.analysis.flatCum, { sortByCum: r.sortByCum, display: r.display });
    return { stdout: renderTotalLine(r.analysis.total, r.units, r.thread) + renderTopRows(rows, flatTotal(r.analysis.flatCum), r.units), stderr: [] };
  },
  collapsed: (r) => ({ stdout: renderCollapsed(r.analysis.stacks), stderr: [] }),
  callgrind: (r) => ({ stdout: renderCallgrind(extractCalls(r.analysis.stacks)), stderr: [] }),
  dot: (r) => {
    const g = renderDot(r.analysis.stacks, r.analysis.flatCum, r.analysis.total, r.translate, r.units, r.dot);
    return { stdout: g.text, stderr: g.notice ? [g.notice] : [] };
  },
};
