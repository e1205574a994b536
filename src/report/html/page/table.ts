// A table of rows with a search box, sortable number columns and a cap on the rows drawn at once.
import { append, el, replace } from './dom.js';

export interface Column<R> {
  label: string;
  /** Right-aligned numbers; with `sortValue`, clicking the header sorts by it. */
  numeric?: boolean;
  sortValue?: (r: R) => number;
  cell: (r: R) => Node | string;
  /** Hover text of the cell (exact values). */
  title?: (r: R) => string;
}

export interface TableOptions<R> {
  /** What the search box matches (case-insensitive substring). */
  text: (r: R) => string;
  /** Rows drawn before "show all": a 20,000-row DOM costs the page a second. */
  pageSize?: number;
  /** Class of the <table>, for tests and styles. */
  className: string;
  placeholder: string;
}

/** Renders `rows` in their given order until a header is clicked; returns the wrapper element. */
export function dataTable<R>(rows: readonly R[], columns: readonly Column<R>[], opts: TableOptions<R>): HTMLElement {
  const pageSize = opts.pageSize ?? 200;
  let order: readonly R[] = rows;
  let sortCol = -1;
  let descending = true;
  let filter = '';
  let showAll = false;

  const search = el('input', { type: 'search', placeholder: opts.placeholder, 'aria-label': opts.placeholder, class: 'filter' });
  const count = el('span', { class: 'count' });
  const more = el('button', { type: 'button', class: 'more' });
  const headCells = columns.map((c, i) => {
    const th = el('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.label);
    if (c.sortValue) {
      th.classList.add('sortable');
      th.tabIndex = 0;
      const sort = () => sortBy(i);
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sort();
        }
      });
    }
    return th;
  });
  const body = el('tbody');
  const table = el('table', { class: `data ${opts.className}` }, el('thead', {}, el('tr', {}, ...headCells)), body);

  function sortBy(i: number): void {
    descending = sortCol === i ? !descending : true;
    sortCol = i;
    const value = columns[i].sortValue!;
    const keyed = rows.map((r, idx) => ({ r, idx, v: value(r) }));
    // Ties keep the given order, whichever way the column sorts.
    keyed.sort((a, b) => (descending ? b.v - a.v : a.v - b.v) || a.idx - b.idx);
    order = keyed.map((x) => x.r);
    headCells.forEach((th, j) => {
      if (j === sortCol) th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    draw();
  }

  function draw(): void {
    const needle = filter.toLowerCase();
    const matching = needle === '' ? order : order.filter((r) => opts.text(r).toLowerCase().includes(needle));
    const shown = showAll ? matching : matching.slice(0, pageSize);
    const frag = document.createDocumentFragment();
    for (const r of shown) {
      const tr = el('tr');
      for (const c of columns) {
        const td = el('td', { class: c.numeric ? 'num' : undefined, title: c.title?.(r) });
        append(td, c.cell(r));
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    replace(body, frag);
    replace(count, needle === '' ? `${rows.length} rows` : `${matching.length} of ${rows.length} rows match`);
    more.hidden = shown.length === matching.length;
    replace(more, `Show all ${matching.length}`);
  }

  search.addEventListener('input', () => {
    filter = search.value;
    draw();
  });
  more.addEventListener('click', () => {
    showAll = true;
    draw();
  });
  draw();
  return el('div', { class: 'table-wrap' }, el('div', { class: 'controls' }, search, count), table, more);
}
