// The call graph in Graphviz dot (jeprof --dot): nodes by cumulative value, pruned edges.
import type { FlatCum } from '../graph/build.js';
import { IntList, KeyNumbering, translateStackIds, type TranslateContext } from '../graph/granularity.js';
import { FlatStacks } from '../graph/flat-stacks.js';
import type { Stack } from '../graph/stacks.js';
import { JeprofError } from '../model/errors.js';
import { formatFixed, formatInt } from './printf.js';
import { printable } from './printable.js';
import { flatTotal } from './top.js';
import { percent, unparse, units, type UnitOptions } from './units.js';

export interface DotOptions {
  /** Program name as typed: the graph's title and legend. */
  program: string;
  nodeCount: number;
  nodeFraction: number;
  edgeFraction: number;
  maxDegree: number;
  /** --heapcheck: shade nodes that hold memory, triple-border ones that freed it. */
  heapcheck: boolean;
  /** Line widths below 1 render poorly in SVG; jeprof raises them for --svg/--web. */
  svgWidths: boolean;
  /** --pdf: dot gets a page size. */
  pageSize: boolean;
}

export interface DotGraph {
  text: string;
  /** jeprof's stderr line about the dropped nodes and edges, when something was dropped. */
  notice?: string;
}

/**
 * Text for inside a dot "..." string: `"` and `\` escaped. jeprof writes names as they are, so a
 * name with a quote made its file invalid (dot then fails) and a backslash was eaten by dot; here
 * only such names' bytes differ from jeprof's.
 */
function dotText(s: string): string {
  return /["\\]/.test(s) ? s.replace(/["\\]/g, '\\$&') : s;
}

export function renderDot(stacks: readonly Stack[], fc: FlatCum, overallTotal: number, ctx: TranslateContext, u: UnitOptions, opts: DotOptions): DotGraph {
  const o = { ...opts, program: dotText(printable(opts.program)) };
  const localTotal = flatTotal(fc);
  const nodeLimit = Math.trunc(o.nodeFraction * localTotal);
  const edgeLimit = Math.trunc(o.edgeFraction * localTotal);
  const cum = (k: string) => fc.cum.get(k) ?? 0;
  const flat = (k: string) => fc.flat.get(k) ?? 0;
  const list = [...fc.cum.keys()].sort((a, b) => {
    const d = Math.abs(cum(b)) - Math.abs(cum(a));
    if (d !== 0) return d > 0 ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  let last = Math.min(o.nodeCount - 1, list.length - 1);
  while (last >= 0 && Math.abs(cum(list[last])) <= nodeLimit) last--;
  if (last < 0) throw new JeprofError('No nodes to print');
  const notice =
    nodeLimit > 0 || edgeLimit > 0
      ? `Dropping nodes with <= ${unparse(nodeLimit, u)} ${units(u)}; edges with <= ${unparse(edgeLimit, u)} abs(${units(u)})`
      : undefined;

  let out = `digraph "${o.program}; ${unparse(overallTotal, u)} ${units(u)}" {\n`;
  if (o.pageSize) out += 'size="8,11"\n';
  out += 'node [width=0.375,height=0.25];\n';
  out +=
    `Legend [shape=box,fontsize=24,shape=plaintext,label="${o.program}\\l` +
    `Total ${units(u)}: ${unparse(overallTotal, u)}\\l` +
    `Focusing on: ${unparse(localTotal, u)}\\l` +
    `Dropped nodes with <= ${unparse(nodeLimit, u)} abs(${units(u)})\\l` +
    `Dropped edges with <= ${unparse(edgeLimit, u)} ${units(u)}\\l"];\n`;

  const node = new Map<string, number>();
  for (const a of list.slice(0, last + 1)) {
    const f = flat(a);
    const c = cum(a);
    const fs = localTotal > 0 ? 8 + 50.0 * Math.sqrt(Math.abs((f * 1.0) / localTotal)) : 8;
    node.set(a, node.size + 1);
    const sym = dotText(printable(a)).replace(/\s+/g, '\\n').replace(/::/g, '\\n');
    const extra = f !== c ? `\\rof ${unparse(c, u)} (${percent(c, localTotal)})` : '';
    let style = '';
    if (o.heapcheck) style = f > 0 ? ',style=filled,fillcolor=gray' : f < 0 ? ',peripheries=3' : '';
    out += `N${node.get(a)} [label="${sym}\\n${unparse(f, u)} (${percent(f, localTotal)})${extra}\\r",shape=box,fontsize=${formatFixed(fs, 1)}${style}];\n`;
  }

  // Edges come from every stack, not de-duplicated: recursion gives self edges.
  const edges = new Map<string, { src: string; dst: string; value: number }>();
  // Every stack translated through one numbering, each PC once, from the stacks' location ids.
  const numbering = new KeyNumbering();
  const ids = new FlatStacks(stacks);
  const keys = new IntList();
  for (let s = 0; s < stacks.length; s++) {
    keys.n = 0;
    translateStackIds(ids.ids, ids.starts[s], ids.ends[s], ids, ctx, numbering, keys);
    const value = stacks[s].value;
    for (let i = 1; i < keys.n; i++) {
      const src = numbering.names[keys.ids[i]];
      const dst = numbering.names[keys.ids[i - 1]];
      if (!node.has(src) || !node.has(dst)) continue;
      const k = `${src}\u0001${dst}`;
      const e = edges.get(k);
      if (e) e.value += value;
      else edges.set(k, { src, dst, value: 0 + value });
    }
  }
  ids.release();
  const inDegree = new Map<string, number>();
  const outDegree = new Map<string, number>();
  // By value, descending; jeprof leaves ties in hash order, ours keep first-seen order.
  const sorted = [...edges.values()].sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0));
  for (const e of sorted) {
    const ind = inDegree.get(e.dst) ?? 0;
    const outd = outDegree.get(e.src) ?? 0;
    let keep: boolean;
    if (ind === 0) keep = true; // needed to reach the node at all
    else if (Math.abs(e.value) <= edgeLimit) keep = false;
    else keep = !(outd >= o.maxDegree || ind >= o.maxDegree);
    if (!keep) continue;
    outDegree.set(e.src, outd + 1);
    inDegree.set(e.dst, ind + 1);
    let fraction = Math.abs(localTotal ? 3 * (e.value / localTotal) : 0);
    if (fraction > 1) fraction = 1;
    let w = fraction * 2;
    if (w < 1 && o.svgWidths) w = 1;
    let weight = Math.abs(e.value) ** 0.7;
    if (weight > 100000) weight = 100000;
    let style = `setlinewidth(${formatFixed(w, 6)})`;
    if (/\(inline\)/.test(e.dst)) style += ',dashed';
    out += `N${node.get(e.src)} -> N${node.get(e.dst)} [label=${unparse(e.value, u)}, weight=${formatInt(Math.trunc(weight))}, style="${style}"];\n`;
  }
  out += '}\n';
  return { text: out, notice };
}
