// The top table: jeprof's `top` rows, sortable by flat and cum, with a search box.
import type { HtmlTopRow } from '../types.js';
import type { PageData } from '../wire.js';
import { el } from './dom.js';
import { exact, human, share } from './format.js';
import { dataTable } from './table.js';

export function topSection(data: PageData): HTMLElement {
  const t = data.top;
  const rows: HtmlTopRow[] = t.name.map((n, i) => ({ name: data.strings[n], flat: t.flat[i], cum: t.cum[i] }));
  // Shares as jeprof prints them: of the flat column's sum (the Total unless filters hid stacks).
  let flatSum = 0;
  for (const r of rows) flatSum += r.flat;
  const u = data.summary.unit;
  const table = dataTable(
    rows,
    [
      { label: 'Flat', numeric: true, sortValue: (r) => r.flat, cell: (r) => human(r.flat, u), title: (r) => exact(r.flat, u) },
      { label: 'Flat %', numeric: true, cell: (r) => share(r.flat, flatSum) },
      { label: 'Cum', numeric: true, sortValue: (r) => r.cum, cell: (r) => human(r.cum, u), title: (r) => exact(r.cum, u) },
      { label: 'Cum %', numeric: true, cell: (r) => share(r.cum, flatSum) },
      { label: 'Function', cell: (r) => r.name },
    ],
    { text: (r) => r.name, className: 'top', placeholder: 'Filter functions' },
  );
  return el(
    'section',
    { id: 'top' },
    el('h2', {}, 'Top functions'),
    el('p', { class: 'hint' }, 'Flat: memory allocated directly in the function (allocator frames trimmed). Cum: memory of every stack through it. Click Flat or Cum to sort; hover a value for the exact number.'),
    table,
  );
}
