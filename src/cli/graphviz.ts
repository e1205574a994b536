// Renders dot text with Graphviz (and Ghostscript's ps2pdf for PDF), as jeprof's --svg/--pdf/--ps/--gif.
// execa is loaded on first use: a run answered from the symbol cache never pays its start-up time.
const loadExeca = () => import('execa').then((m) => m.execa);
import { ToolError } from '../model/errors.js';

export type GraphFormat = 'svg' | 'pdf' | 'ps' | 'gif';

const TIMEOUT_MS = 300_000;

async function pipe(cmd: string, args: string[], input: Uint8Array | string, install: string): Promise<Buffer> {
  const r = await (await loadExeca())(cmd, args, { input, encoding: 'buffer', reject: false, timeout: TIMEOUT_MS, maxBuffer: 1024 * 1024 * 1024 });
  if (r.failed) {
    const stderr = Buffer.from((r.stderr as Uint8Array | undefined) ?? []).toString('utf8').trim();
    if (r.code === 'ENOENT') throw new ToolError(cmd, args, stderr, `'${cmd}' not found: install ${install} (apt-get install ${install})`);
    throw new ToolError(cmd, args, stderr, `${cmd} ${args.join(' ')} failed${r.timedOut ? ' (timed out)' : ''}: ${stderr.split('\n')[0] || `exit code ${r.exitCode}`}`);
  }
  return Buffer.from(r.stdout as Uint8Array);
}

/** dot -Tsvg / -Tps2 / -Tgif; PDF is dot's PostScript through `ps2pdf - -`, as jeprof does. */
export async function renderGraph(dot: string, format: GraphFormat): Promise<Buffer> {
  switch (format) {
    case 'svg':
      return Buffer.from(rewriteSvg((await pipe('dot', ['-Tsvg'], dot, 'graphviz')).toString('utf8')), 'utf8');
    case 'ps':
      return pipe('dot', ['-Tps2'], dot, 'graphviz');
    case 'gif':
      return pipe('dot', ['-Tgif'], dot, 'graphviz');
    case 'pdf':
      return pipe('ps2pdf', ['-', '-'], await pipe('dot', ['-Tps2'], dot, 'graphviz'), 'ghostscript');
  }
}

// Mouse-wheel zoom and drag-to-pan on the graph, for viewing in a browser.
const PAN_ZOOM = `<script type="text/ecmascript"><![CDATA[
(function () {
  var svg = document.documentElement, view = null, scale = 1, x = 0, y = 0, drag = null;
  function apply() { view.setAttribute('transform', 'translate(' + x + ',' + y + ') scale(' + scale + ')'); }
  svg.addEventListener('load', function () { view = document.getElementById('viewport'); });
  svg.addEventListener('wheel', function (e) {
    if (!view) return; e.preventDefault();
    var k = e.deltaY < 0 ? 1.1 : 1 / 1.1; x = e.clientX - (e.clientX - x) * k; y = e.clientY - (e.clientY - y) * k; scale *= k; apply();
  }, { passive: false });
  svg.addEventListener('mousedown', function (e) { drag = { x: e.clientX - x, y: e.clientY - y }; });
  svg.addEventListener('mousemove', function (e) { if (drag && view) { x = e.clientX - drag.x; y = e.clientY - drag.y; apply(); } });
  svg.addEventListener('mouseup', function () { drag = null; });
})();
]]></script>
`;

/**
 * Makes dot's SVG fill the browser window (width/height 100%, no viewBox) and wraps the graph in
 * a `viewport` group the pan/zoom script moves, as jeprof's RewriteSvg does.
 */
export function rewriteSvg(svg: string): string {
  let s = svg.replace(/<svg width="[^"]+" height="[^"]+"([\s\S]*?)viewBox="[^"]+"/, (_m, mid: string) => `<svg width="100%" height="100%"${mid}`);
  s = s.replace(/<g id="graph\d+"/, (m) => `${PAN_ZOOM}<g id="viewport" transform="translate(0,0)">\n${m}`);
  const end = s.lastIndexOf('</svg>');
  if (end >= 0) s = s.slice(0, end) + '</g>' + s.slice(end);
  return s;
}
