// The report page's entry: reads the embedded data and builds every view; bundled into one inline script.
import { PAGE_SCHEMA, type PageData } from '../wire.js';
import { diffSection } from './diff.js';
import { el } from './dom.js';
import { flameSection } from './flame-section.js';
import { summarySection } from './summary.js';
import { topSection } from './top.js';
import { trendSection } from './trend.js';

function readData(): PageData {
  const text = document.getElementById('jeprof-data')?.textContent;
  if (!text) throw new Error('the report has no data');
  const data = JSON.parse(text) as PageData;
  if (data.schema !== PAGE_SCHEMA) throw new Error(`the report's data is ${String(data.schema)}, this page reads ${PAGE_SCHEMA}`);
  return data;
}

function start(): void {
  const app = document.getElementById('app')!;
  const data = readData();
  document.title = `Heap profile of ${data.summary.program}`;
  const flame = flameSection(data);
  const diff = diffSection(data);
  const trend = trendSection(data);
  const links: [string, string][] = [
    ['summary', 'Summary'],
    ['top', 'Top'],
    ['flame', 'Flame graph'],
  ];
  if (diff) links.push(['diff', 'Change']);
  if (trend) links.push(['trend', 'Over time']);
  const nav = el('nav', { class: 'sections' }, el('strong', {}, 'jeprof-ts'), ...links.map(([id, label]) => el('a', { href: `#${id}` }, label)));
  app.append(nav, el('h1', {}, 'Heap profile of ', el('code', {}, data.summary.program)), summarySection(data), topSection(data), flame.section);
  if (diff) app.append(diff.section);
  if (trend) app.append(trend.section);
  // Every chart spans the content box; measured once, as each read after a chart is drawn would
  // lay the whole page out again (a third of the start-up time on a large profile).
  const style = getComputedStyle(app);
  const width = app.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  flame.draw(width);
  diff?.draw(width);
  trend?.draw(width);
  // Time from navigation to every view built and listening (printed by the browser test).
  document.documentElement.dataset.ready = performance.now().toFixed(1);
  // ...and to the first frame painted after that (a task queued from the next animation frame runs after its paint).
  requestAnimationFrame(() => setTimeout(() => (document.documentElement.dataset.painted = performance.now().toFixed(1))));
}

try {
  start();
} catch (e) {
  document.getElementById('app')?.append(el('p', { class: 'error' }, `This report could not be shown: ${e instanceof Error ? e.message : String(e)}`));
  throw e;
}
