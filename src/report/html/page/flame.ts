// A flame graph (icicle: callers on top) drawn by d3-flame-graph, with search, zoom, a breadcrumb and the allocator toggle.
// d3-flame-graph 5 meets the page's needs: no eval (the CSP allows one hashed script), names set
// as text, zoom that widens the frame to the chart, search with a handler of our own, colours by
// a mapper of our own (the diff), and some 70 KB minified with its d3 modules. It draws SVG, a
// few DOM nodes per box: the tree is pruned before it gets here and boxes under a pixel are not drawn.
import flamegraph, { type FlameGraph, type FlameHierarchyNode } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { ValueUnit } from '../types.js';
import type { WireTree } from '../wire.js';
import { el, replace } from './dom.js';
import { human, share } from './format.js';
import { decodeTree, diffWidths, type FlameNode } from './tree.js';

type HNode = FlameHierarchyNode<FlameNode>;

export interface FlameViewOptions {
  tree: WireTree;
  strings: readonly string[];
  unit: ValueUnit;
  /** The differential view: two series, widths from diffWidths, colours from the change. */
  diff: boolean;
  /** Hover and search texts for a box. */
  describe: (d: HNode, root: FlameNode) => string;
  /** Search result text for the summed values (per series) of the matching boxes. */
  searchText: (matches: number, sums: number[], root: FlameNode) => string;
  /** The fill of a box; the default is d3-flame-graph's warm palette. */
  color?: (d: HNode, original: string, root: FlameNode) => string;
  /** A class for the chart element, for tests and styles. */
  className: string;
  pruneFraction: number;
}

/** Transition time of a zoom; the first drawing has none. */
const ZOOM_MS = 300;

/** The view, and `draw` to call once it is in the document with the chart's width in pixels. */
export function flameView(o: FlameViewOptions): { view: HTMLElement; draw: (width: number) => void } {
  const chartEl = el('div', { class: `flame ${o.className}` });
  const search = el('input', { type: 'search', placeholder: 'Search frames', 'aria-label': 'Search frames', class: 'flame-search' });
  const trimBox = el('input', { type: 'checkbox', class: 'trim', checked: true });
  const reset = el('button', { type: 'button', class: 'reset' }, 'Reset zoom');
  const crumbs = el('nav', { class: 'crumbs', 'aria-label': 'Zoom path' });
  const details = el('div', { class: 'details', 'aria-live': 'polite' });
  const note = el('p', { class: 'pruned' });

  let chart: FlameGraph<FlameNode> | undefined;
  let root: FlameNode;
  let searchSummary = '';
  let width = 960;

  /** Draws the chart anew, `px` wide (the first time, given: reading it here would lay out the page once per chart). */
  function draw(px = chartEl.clientWidth): void {
    width = Math.max(320, px);
    const trim = trimBox.checked;
    root = decodeTree(o.tree, o.strings, trim);
    if (o.diff) diffWidths(root);
    chart?.destroy();
    replace(chartEl);
    const c = flamegraph<FlameNode>()
      .width(width)
      .cellHeight(18)
      .inverted(true)
      .minFrameSize(1)
      .transitionDuration(0)
      .setLabelHandler((d) => o.describe(d, root))
      .setSearchMatch((d, term) => d.data.merged === undefined && d.data.n.toLowerCase().includes(term.toLowerCase()))
      .setSearchHandler((results) => {
        searchSummary = summarize(results);
        showDetails(null);
      })
      .setDetailsHandler(showDetails)
      .onClick((d) => drawCrumbs(d));
    if (o.color) c.setColorMapper((d, original) => o.color!(d, original, root));
    chart = c;
    select(chartEl).datum(root).call(c);
    // d3-flame-graph grows new boxes from nothing over 250 ms, whatever the duration; a second
    // pass with no duration puts them at their widths in the first frame instead.
    c.update();
    c.transitionDuration(ZOOM_MS);
    drawCrumbs(undefined);
    if (search.value !== '') c.search(search.value);
    describePruning(trim);
  }

  /** Search result: the matching boxes' values, each counted once even when matches nest. */
  function summarize(results: HNode[]): string {
    if (search.value === '') return '';
    const hits = new Set(results);
    const sums = root.values.map(() => 0);
    for (const d of results) {
      let a = d.parent;
      while (a && !hits.has(a)) a = a.parent;
      if (a) continue;
      d.data.values.forEach((v, s) => (sums[s] += v));
    }
    return o.searchText(results.length, sums, root);
  }

  function showDetails(text: string | null): void {
    replace(details, text ?? (searchSummary || 'Hover a frame for its value; click it to zoom.'));
  }

  function drawCrumbs(d: HNode | undefined): void {
    const path = d ? d.ancestors().reverse() : [];
    replace(crumbs);
    if (path.length <= 1) {
      crumbs.append(el('span', { class: 'crumb current' }, 'all'));
      return;
    }
    path.forEach((node, i) => {
      if (i > 0) crumbs.append(' › ');
      if (i === path.length - 1) {
        crumbs.append(el('span', { class: 'crumb current' }, node.data.n));
        return;
      }
      const b = el('button', { type: 'button', class: 'crumb' }, node.data.n);
      b.addEventListener('click', () => (i === 0 ? chart?.resetZoom() : chart?.zoomTo(node)));
      crumbs.append(b);
    });
  }

  function describePruning(trim: boolean): void {
    const p = o.tree.pruned;
    const frames = trim ? p.framesTrimmed : p.frames;
    const values = trim ? p.valueTrimmed : p.value;
    if (o.tree.kids[0] === 0) {
      replace(note, 'Nothing to draw: no stack has a value.');
      return;
    }
    if (frames === 0) {
      replace(note, 'Every frame is drawn.');
      return;
    }
    const total = Math.max(...root.values);
    const biggest = Math.max(...values);
    replace(
      note,
      `${frames.toLocaleString('en-US')} frames below ${share(o.pruneFraction, 1)} of the total (${human(p.threshold, o.unit)}) are merged into "(N smaller)" boxes: ` +
        `${human(biggest, o.unit)}, ${share(biggest, total)} of the total.`,
    );
  }

  search.addEventListener('input', () => {
    if (!chart) return;
    if (search.value === '') {
      searchSummary = '';
      chart.clear();
    } else chart.search(search.value);
  });
  trimBox.addEventListener('change', () => draw());
  reset.addEventListener('click', () => chart?.resetZoom());
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => {
      const w = Math.max(320, chartEl.clientWidth);
      if (chart && w !== chart.width()) chart.width(w).update();
    }, 150);
  });

  const controls = el('div', { class: 'controls' }, search, el('label', {}, trimBox, ' Hide allocator frames'), reset);
  return { view: el('div', { class: 'flame-view' }, controls, crumbs, details, chartEl, note), draw };
}
