// jeprof's text report (`--text`, interactive `top`): rows as data, then the printf layout.
import type { FlatCum } from '../graph/build.js';
import type { KeyOrigin } from '../graph/granularity.js';
import { locationHex } from '../model/address.js';
import { padLeft } from './printf.js';
import { printable } from './printable.js';
import { percent, unparse, units, type UnitOptions } from './units.js';

export interface TopRow {
  /** Bytes or objects whose leaf-most frame is this key. */
  flat: number;
  /** Bytes or objects of every stack through this key. */
  cum: number;
  /** Running sum of `flat` over the rows printed so far, in print order. */
  runningFlat: number;
  /** The row's key as the granularity made it (`add_to_map`, `f file.c:12`, an address, a file). */
  key: string;
  /** The PC and frame level the key was made from: its function, file, line, address, mapping. */
  origin?: KeyOrigin;
  /** The key as jeprof prints it (see displayName). */
  name: string;
}

export interface TopOptions {
  /** Sort by cum instead of flat (--cum). */
  sortByCum: boolean;
  /** Stop after this many keys (interactive topN); zero rows still count, as in jeprof. */
  limit?: number;
}

/**
 * A key as jeprof's PrintText prints it: a key that is the address of a PC with a symbol record
 * (its name was `??`) shows that record, `name file:line`; any other key as it is.
 */
export function displayName(key: string, origin: KeyOrigin | undefined): string {
  const loc = origin?.location;
  if (!loc || loc.lines.length === 0 || key.length !== 16 || key !== locationHex(loc)) return key;
  return `${loc.lines[0].func.name} ${loc.lines[0].fileLine}`;
}

/** Rows in jeprof's order: sort value descending, then key ascending by code unit. Zero rows are skipped. */
export function topRows(fc: FlatCum, opts: TopOptions): TopRow[] {
  const sortMap = opts.sortByCum ? fc.cum : fc.flat;
  const keys = [...fc.cum.keys()];
  // Each key's sort value looked up once, not twice per comparison (20,000 keys: 600,000 lookups).
  const values = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = sortMap.get(keys[i]) ?? 0;
  const order = Array.from(keys, (_, i) => i);
  order.sort((i, j) => {
    const d = values[j] - values[i];
    if (d !== 0 && !Number.isNaN(d)) return d > 0 ? 1 : -1;
    const a = keys[i];
    const b = keys[j];
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const rows: TopRow[] = [];
  let running = 0;
  let visited = 0;
  for (let i = 0; i < order.length; i++) {
    const k = keys[order[i]];
    const f = fc.flat.get(k) ?? 0;
    const c = fc.cum.get(k) ?? 0;
    running += f;
    if (f !== 0 || c !== 0) {
      const origin = fc.origin(k);
      rows.push({ flat: f, cum: c, runningFlat: running, key: k, origin, name: displayName(k, origin) });
    }
    visited++;
    if (opts.limit !== undefined && visited >= opts.limit) break;
  }
  return rows;
}

/** The percentages' denominator: the sum of the flat column (after filters), as jeprof. */
export function flatTotal(fc: FlatCum): number {
  let t = 0;
  for (const v of fc.flat.values()) t += v;
  return t;
}

/** `%8s %6s %6s %8s %6s %s` per row. */
export function renderTopRows(rows: readonly TopRow[], total: number, u: UnitOptions): string {
  let out = '';
  for (const r of rows) {
    out +=
      `${padLeft(unparse(r.flat, u), 8)} ${padLeft(percent(r.flat, total), 6)} ${padLeft(percent(r.runningFlat, total), 6)} ` +
      `${padLeft(unparse(r.cum, u), 8)} ${padLeft(percent(r.cum, total), 6)} ${printable(r.name)}\n`;
  }
  return out;
}

/** The top table of one report target, as data: what --text prints and --json will print. */
export interface TopReport {
  /** The profile's total before any filter: the `Total:` line. */
  total: number;
  /** The rows' flat sum, which shares are of (the total unless filters hid stacks). */
  flatTotal: number;
  /** jemalloc's thread uid for a per-thread report. */
  thread?: string;
  units: UnitOptions;
  rows: TopRow[];
}

export function topReport(fc: FlatCum, total: number, units: UnitOptions, opts: TopOptions & { thread?: string }): TopReport {
  return { total, flatTotal: flatTotal(fc), thread: opts.thread, units, rows: topRows(fc, opts) };
}

/** jeprof's --text bytes for a top report. */
export function renderTopText(r: TopReport): string {
  return renderTotalLine(r.total, r.units, r.thread) + renderTopRows(r.rows, r.flatTotal, r.units);
}

/** The `Total: 1.7 MB` header; jeprof leaves it out when the total is exactly zero. */
export function renderTotalLine(total: number, u: UnitOptions, thread?: string): string {
  if (total === 0) return '';
  return `Total${thread !== undefined ? ` (t${thread})` : ''}: ${unparse(total, u)} ${units(u)}\n`;
}
