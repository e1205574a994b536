// The flame graph section: where the current profile's memory is, by call path.
import type { PageData } from '../wire.js';
import { el } from './dom.js';
import { flameView } from './flame.js';
import { exact, human, share } from './format.js';

const MERGED_GREY = 'rgb(200,200,200)';

export function flameSection(data: PageData): { section: HTMLElement; draw: (width: number) => void } {
  const u = data.summary.unit;
  const { view, draw } = flameView({
    tree: data.flame,
    strings: data.strings,
    unit: u,
    diff: false,
    className: 'flame-plain',
    pruneFraction: data.summary.pruneFraction,
    describe: (d, root) => {
      const v = d.data.values[0];
      let text = `${d.data.n}: ${human(v, u)} (${exact(v, u)}), ${share(v, root.values[0])} of the total`;
      if (d.parent) text += `, ${share(v, d.parent.data.values[0])} of its caller ${d.parent.data.n}`;
      return text;
    },
    // Merged boxes grey: they stand for many callees, not one function.
    color: (d, original) => (d.data.merged !== undefined && !d.highlight ? MERGED_GREY : original),
    searchText: (matches, sums, root) => `${matches} ${matches === 1 ? 'frame matches' : 'frames match'}: ${human(sums[0], u)}, ${share(sums[0], root.values[0])} of the total.`,
  });
  const section = el(
    'section',
    { id: 'flame' },
    el('h2', {}, 'Flame graph'),
    el('p', { class: 'hint' }, 'Each box is a function in a call path, callers above callees, as wide as the memory of the stacks through it. Click a box to zoom to it, the path above to zoom back out.'),
    view,
  );
  return { section, draw };
}
