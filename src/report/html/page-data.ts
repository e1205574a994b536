// HtmlReportInput to the data the page reads: names in one string table, trees built and pruned.
import { buildTrees } from './flame-tree.js';
import { deltaRows } from './delta-rows.js';
import { StringTable } from '../../model/string-table.js';
import { DEFAULT_PRUNE_FRACTION, type HtmlReportInput, type HtmlTrend } from './types.js';
import { PAGE_SCHEMA, type PageData, type WireTrend } from './wire.js';

export function pageData(input: HtmlReportInput): PageData {
  const table = new StringTable();
  const pruneFraction = input.pruneFraction ?? DEFAULT_PRUNE_FRACTION;
  const top = {
    name: input.top.map((r) => table.index(r.name)),
    flat: input.top.map((r) => r.flat),
    cum: input.top.map((r) => r.cum),
  };
  // The current stacks and the base's read once: the flame graph draws the first series, the
  // differential view both.
  const series = input.base ? [input.stacks, input.base.stacks] : [input.stacks];
  const [flame, diffTree] = buildTrees(series, input.frameNames, input.base ? [[0], [0, 1]] : [[0]], pruneFraction, table);
  const data: PageData = {
    schema: PAGE_SCHEMA,
    strings: table.strings,
    summary: {
      program: input.program,
      sampleType: input.sampleType,
      unit: input.unit,
      samplingRate: input.samplingRate,
      dumps: input.dumps,
      total: input.total,
      stacksTotal: flame.value[0][0],
      unnamed: input.naming.unnamed,
      reasons: input.naming.reasons,
      pruneFraction,
    },
    top,
    flame,
  };
  if (input.base) {
    data.diff = {
      baseFile: input.base.file,
      tree: diffTree,
      delta: deltaRows(input.stacks, input.base.stacks, table),
    };
  }
  if (input.trend) data.trend = trendColumns(input.trend, table);
  return data;
}

function trendColumns(t: HtmlTrend, table: StringTable): WireTrend {
  for (const r of t.rows) {
    if (r.values.length !== t.labels.length) throw new RangeError(`trend row ${r.name} has ${r.values.length} values for ${t.labels.length} dumps`);
  }
  if (t.totals.length !== t.labels.length) throw new RangeError(`the trend has ${t.totals.length} totals for ${t.labels.length} dumps`);
  return {
    labels: t.labels,
    totals: t.totals,
    name: t.rows.map((r) => table.index(r.name)),
    values: t.rows.map((r) => r.values),
    first: t.rows.map((r) => r.first),
    last: t.rows.map((r) => r.last),
    growth: t.rows.map((r) => r.growth),
    slope: t.rows.map((r) => r.slope),
    steady: t.rows.map((r) => r.steady),
  };
}
