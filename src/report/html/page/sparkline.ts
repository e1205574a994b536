// A small inline SVG line of a function's values across the dumps.
import { svgEl } from './dom.js';

export function sparkline(values: readonly number[], width = 100, height = 20): SVGSVGElement {
  const svg = svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'spark', role: 'img' });
  if (values.length === 0) return svg;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo || 1;
  const step = values.length > 1 ? (width - 2) / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(1 + i * step).toFixed(1)},${(height - 2 - ((v - lo) / span) * (height - 4)).toFixed(1)}`).join(' ');
  svg.appendChild(svgEl('polyline', { points, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }));
  return svg;
}
