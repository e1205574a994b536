// The differential view: current profile against the base, as a coloured flame graph and a table of changes.
import type { FlameHierarchyNode } from 'd3-flame-graph';
import type { PageData } from '../wire.js';
import { el } from './dom.js';
import { flameView } from './flame.js';
import { exact, human, share, signed } from './format.js';
import { dataTable } from './table.js';
import type { FlameNode } from './tree.js';

/** Unchanged boxes, and the palest and the strongest tint of a change (0..255). */
const SAME = 'rgb(221,221,221)';
const PALE = 225;
const STRONG = 30;

/**
 * A change's colour: red for growth, blue for shrinkage, stronger the larger the change against
 * the largest change in the graph (square root, so middling changes still show).
 */
export function changeColor(delta: number, maxAbs: number): string {
  if (delta === 0 || maxAbs === 0) return SAME;
  const t = Math.sqrt(Math.min(1, Math.abs(delta) / maxAbs));
  const x = Math.round(PALE - (PALE - STRONG) * t);
  return delta > 0 ? `rgb(255,${x},${x})` : `rgb(${x},${x},255)`;
}

function largestChange(root: FlameNode): number {
  let m = 0;
  const todo = [root];
  while (todo.length > 0) {
    const n = todo.pop()!;
    m = Math.max(m, Math.abs(n.values[0] - n.values[1]));
    todo.push(...n.c);
  }
  return m;
}

interface DeltaRow {
  name: string;
  flatCur: number;
  flatBase: number;
  cumCur: number;
  cumBase: number;
}

export function diffSection(data: PageData): { section: HTMLElement; draw: (width: number) => void } | undefined {
  const diff = data.diff;
  if (!diff) return undefined;
  const u = data.summary.unit;
  const maxChange = new WeakMap<FlameNode, number>();
  const { view, draw } = flameView({
    tree: diff.tree,
    strings: data.strings,
    unit: u,
    diff: true,
    className: 'flame-diff',
    pruneFraction: data.summary.pruneFraction,
    describe: (d: FlameHierarchyNode<FlameNode>) => {
      const [cur, base] = d.data.values;
      return `${d.data.n}: now ${human(cur, u)}, base ${human(base, u)}, change ${signed(cur - base, u)} (${exact(cur - base, u)}${base !== 0 ? `, ${share(cur - base, base)}` : ''})`;
    },
    searchText: (matches, [cur, base]) => `${matches} ${matches === 1 ? 'frame matches' : 'frames match'}: now ${human(cur, u)}, base ${human(base, u)}, change ${signed(cur - base, u)}.`,
    color: (d, original, root) => {
      if (d.highlight) return original;
      let m = maxChange.get(root);
      if (m === undefined) maxChange.set(root, (m = largestChange(root)));
      return changeColor(d.data.values[0] - d.data.values[1], m);
    },
  });
  const rows: DeltaRow[] = diff.delta.name.map((n, i) => ({
    name: data.strings[n],
    flatCur: diff.delta.flatCur[i],
    flatBase: diff.delta.flatBase[i],
    cumCur: diff.delta.cumCur[i],
    cumBase: diff.delta.cumBase[i],
  }));
  const changeCell = (v: number) => el('span', { class: v > 0 ? 'grew' : v < 0 ? 'shrank' : undefined }, signed(v, u));
  const table = dataTable(
    rows,
    [
      { label: 'Cum change', numeric: true, sortValue: (r) => r.cumCur - r.cumBase, cell: (r) => changeCell(r.cumCur - r.cumBase), title: (r) => exact(r.cumCur - r.cumBase, u) },
      { label: 'Flat change', numeric: true, sortValue: (r) => r.flatCur - r.flatBase, cell: (r) => changeCell(r.flatCur - r.flatBase), title: (r) => exact(r.flatCur - r.flatBase, u) },
      { label: 'Cum base', numeric: true, cell: (r) => human(r.cumBase, u), title: (r) => exact(r.cumBase, u) },
      { label: 'Cum now', numeric: true, cell: (r) => human(r.cumCur, u), title: (r) => exact(r.cumCur, u) },
      { label: 'Function', cell: (r) => r.name },
    ],
    { text: (r) => r.name, className: 'delta', placeholder: 'Filter functions' },
  );
  const section = el(
    'section',
    { id: 'diff' },
    el('h2', {}, 'Change since the base'),
    el('p', { class: 'hint' }, 'Base: ', el('code', {}, diff.baseFile), '. ', el('span', { class: 'grew' }, 'Red grew'), ', ', el('span', { class: 'shrank' }, 'blue shrank'), ', grey stayed the same; the stronger the colour, the larger the change. A box is as wide as the larger of its two values, so what shrank or went away still shows.'),
    view,
    el('h3', {}, 'Functions that changed'),
    table,
  );
  return { section, draw };
}
