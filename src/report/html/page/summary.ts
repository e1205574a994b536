// The summary section: program, dumps, sample type, total, sampling rate, naming health.
import type { PageData } from '../wire.js';
import { el } from './dom.js';
import { exact, human, share } from './format.js';

export function summarySection(data: PageData): HTMLElement {
  const s = data.summary;
  const u = s.unit;
  const value = (v: number) => el('span', { title: exact(v, u) }, human(v, u));
  const rows: [string, Node | string][] = [
    ['Program', el('code', {}, s.program)],
    ['Value', `${s.sampleType} (${s.unit})`],
    ['Total', value(s.total)],
    ['Sampling', s.samplingRate > 0 ? `one sample per ${human(s.samplingRate, 'bytes')} allocated, on average (values are estimates scaled up from the samples)` : 'every allocation recorded (not sampled)'],
  ];
  if (s.stacksTotal !== s.total) {
    rows.push(['Drawn', el('span', {}, 'The flame graph draws ', value(s.stacksTotal), ' (the stacks the report kept; the Total differs when filters drop stacks or a base is subtracted).')]);
  }
  const facts = el('dl', { class: 'facts' });
  for (const [k, v] of rows) facts.append(el('dt', {}, k), el('dd', {}, v));

  const dumps = el('table', { class: 'data dumps' }, el('thead', {}, el('tr', {}, ...['Dump', 'pid', 'seq', 'written', 'total'].map((h) => el('th', { scope: 'col' }, h)))));
  const tb = el('tbody');
  for (const d of s.dumps) {
    tb.append(
      el('tr', {}, el('td', {}, el('code', {}, d.file)), el('td', { class: 'num' }, d.pid === undefined ? '' : String(d.pid)), el('td', { class: 'num' }, d.seq === undefined ? '' : String(d.seq)), el('td', {}, d.mtime ?? ''), el('td', { class: 'num', title: exact(d.total, u) }, human(d.total, u))),
    );
  }
  dumps.append(tb);

  const naming = el('div', { class: 'naming' });
  if (s.unnamed === 0) {
    naming.append(el('p', {}, 'Naming: every frame has a name.'));
  } else {
    naming.append(el('p', { class: s.unnamed / (s.stacksTotal || 1) > 0.05 ? 'warn' : undefined }, 'Naming: ', value(s.unnamed), ` (${share(s.unnamed, s.stacksTotal)} of the profile) is in stacks with a frame that has no name, shown as an address.`));
    const t = el('table', { class: 'data reasons' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Object file'), el('th', { scope: 'col', class: 'num' }, 'Value'), el('th', { scope: 'col' }, 'Why'))));
    const b = el('tbody');
    for (const r of s.reasons) b.append(el('tr', {}, el('td', {}, el('code', {}, r.file)), el('td', { class: 'num', title: exact(r.value, u) }, human(r.value, u)), el('td', {}, r.why)));
    t.append(b);
    naming.append(t);
  }
  return el('section', { id: 'summary' }, el('h2', {}, 'Summary'), facts, dumps, naming);
}
