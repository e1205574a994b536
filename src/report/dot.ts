// The call graph in Graphviz dot (jeprof --dot): jeprof's pruning of the graph as data (dotReport),
// then its dot text (renderDotText).
import type { FlatCum } from '../graph/build.js';
import { buildCallGraph } from '../graph/call-graph.js';
import type { TranslateContext } from '../graph/granularity.js';
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

/**
 * Text for inside a dot "..." string: `"` and `\` escaped. jeprof writes names as they are, so a
 * name with a quote made its file invalid (dot then fails) and a backslash was eaten by dot; here
 * only such names' bytes differ from jeprof's.
 */
function dotText(s: string): string {
  return /["\\]/.test(s) ? s.replace(/["\\]/g, '\\$&') : s;
}

/** A kept node of the graph, as jeprof draws it. */
export interface DotNode {
  /** N<n> in the file: the node's rank by |cum|, from 1. */
  n: number;
  key: string;
  flat: number;
  cum: number;
  /** 8 + 50 * sqrt(|flat| / local total): big leaves stand out. */
  fontSize: number;
}

/** A kept edge, as jeprof draws it. */
export interface DotEdge {
  src: number;
  dst: number;
  /** Bytes or objects of the stacks that take it. */
  weight: number;
  /** Line width: 3 * |weight| / total, at most 1, doubled (at least 1 for SVG). */
  width: number;
  /** dot's layout weight: |weight|^0.7, at most 100000. */
  layoutWeight: number;
  /** The callee's key says `(inline)`: drawn dashed, as jeprof tests the key text. */
  dashed: boolean;
}

/** The call graph after jeprof's pruning (PrintDot), as data. */
export interface DotReport {
  options: DotOptions;
  units: UnitOptions;
  /** The profile's total before filters: the title and the legend's Total. */
  overallTotal: number;
  /** The flat sum of what is shown: the legend's `Focusing on`, the base of the shares. */
  localTotal: number;
  nodeLimit: number;
  edgeLimit: number;
  nodes: DotNode[];
  edges: DotEdge[];
  /** jeprof's stderr line about the dropped nodes and edges, when something was dropped. */
  notice?: string;
}

/**
 * jeprof's pruning: nodes by |cum| descending (key order on ties), at most --nodecount, none at or
 * below --nodefraction of the total; edges by weight descending, each node's first in-edge kept,
 * others when above --edgefraction and within --maxdegree at both ends.
 */
export function dotReport(stacks: readonly Stack[], fc: FlatCum, overallTotal: number, ctx: TranslateContext, u: UnitOptions, opts: DotOptions): DotReport {
  const localTotal = flatTotal(fc);
  const nodeLimit = Math.trunc(opts.nodeFraction * localTotal);
  const edgeLimit = Math.trunc(opts.edgeFraction * localTotal);
  const cum = (k: string) => fc.cum.get(k) ?? 0;
  const list = [...fc.cum.keys()].sort((a, b) => {
    const d = Math.abs(cum(b)) - Math.abs(cum(a));
    if (d !== 0) return d > 0 ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  let last = Math.min(opts.nodeCount - 1, list.length - 1);
  while (last >= 0 && Math.abs(cum(list[last])) <= nodeLimit) last--;
  if (last < 0) throw new JeprofError('No nodes to print');
  const notice =
    nodeLimit > 0 || edgeLimit > 0 ? `Dropping nodes with <= ${unparse(nodeLimit, u)} ${units(u)}; edges with <= ${unparse(edgeLimit, u)} abs(${units(u)})` : undefined;

  const kept = new Map(list.slice(0, last + 1).map((k, i) => [k, i + 1]));
  const graph = buildCallGraph(stacks, fc, ctx, (k) => kept.has(k));
  const nodes: DotNode[] = [...kept].map(([key, n]) => {
    const node = graph.nodes.get(key)!;
    const fontSize = localTotal > 0 ? 8 + 50.0 * Math.sqrt(Math.abs((node.flat * 1.0) / localTotal)) : 8;
    return { n, key, flat: node.flat, cum: node.cum, fontSize };
  });

  const inDegree = new Map<string, number>();
  const outDegree = new Map<string, number>();
  const edges: DotEdge[] = [];
  // By weight, descending; jeprof leaves ties in hash order, ours keep first-seen order.
  const sorted = [...graph.edges].sort((a, b) => (b.weight > a.weight ? 1 : b.weight < a.weight ? -1 : 0));
  for (const e of sorted) {
    const ind = inDegree.get(e.dst) ?? 0;
    const outd = outDegree.get(e.src) ?? 0;
    let keep: boolean;
    if (ind === 0) keep = true; // needed to reach the node at all
    else if (Math.abs(e.weight) <= edgeLimit) keep = false;
    else keep = !(outd >= opts.maxDegree || ind >= opts.maxDegree);
    if (!keep) continue;
    outDegree.set(e.src, outd + 1);
    inDegree.set(e.dst, ind + 1);
    let fraction = Math.abs(localTotal ? 3 * (e.weight / localTotal) : 0);
    if (fraction > 1) fraction = 1;
    let width = fraction * 2;
    if (width < 1 && opts.svgWidths) width = 1;
    let layoutWeight = Math.abs(e.weight) ** 0.7;
    if (layoutWeight > 100000) layoutWeight = 100000;
    edges.push({ src: kept.get(e.src)!, dst: kept.get(e.dst)!, weight: e.weight, width, layoutWeight, dashed: /\(inline\)/.test(e.dst) });
  }
  return { options: opts, units: u, overallTotal, localTotal, nodeLimit, edgeLimit, nodes, edges, notice };
}

/** jeprof's dot file for the report, byte for byte but for escaped names (see dotText). */
export function renderDotText(r: DotReport): string {
  const u = r.units;
  const program = dotText(printable(r.options.program));
  let out = `digraph "${program}; ${unparse(r.overallTotal, u)} ${units(u)}" {\n`;
  if (r.options.pageSize) out += 'size="8,11"\n';
  out += 'node [width=0.375,height=0.25];\n';
  out +=
    `Legend [shape=box,fontsize=24,shape=plaintext,label="${program}\\l` +
    `Total ${units(u)}: ${unparse(r.overallTotal, u)}\\l` +
    `Focusing on: ${unparse(r.localTotal, u)}\\l` +
    `Dropped nodes with <= ${unparse(r.nodeLimit, u)} abs(${units(u)})\\l` +
    `Dropped edges with <= ${unparse(r.edgeLimit, u)} ${units(u)}\\l"];\n`;
  for (const node of r.nodes) {
    const sym = dotText(printable(node.key)).replace(/\s+/g, '\\n').replace(/::/g, '\\n');
    const extra = node.flat !== node.cum ? `\\rof ${unparse(node.cum, u)} (${percent(node.cum, r.localTotal)})` : '';
    let style = '';
    if (r.options.heapcheck) style = node.flat > 0 ? ',style=filled,fillcolor=gray' : node.flat < 0 ? ',peripheries=3' : '';
    out += `N${node.n} [label="${sym}\\n${unparse(node.flat, u)} (${percent(node.flat, r.localTotal)})${extra}\\r",shape=box,fontsize=${formatFixed(node.fontSize, 1)}${style}];\n`;
  }
  for (const e of r.edges) {
    const style = `setlinewidth(${formatFixed(e.width, 6)})${e.dashed ? ',dashed' : ''}`;
    out += `N${e.src} -> N${e.dst} [label=${unparse(e.weight, u)}, weight=${formatInt(Math.trunc(e.layoutWeight))}, style="${style}"];\n`;
  }
  return out + '}\n';
}
