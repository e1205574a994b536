// Values for humans: bytes in KiB/MiB/GiB, objects as counts, shares as percentages.
import type { ValueUnit } from '../types.js';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1536 bytes -> "1.5 KiB"; 1234 objects -> "1,234". Three significant digits from KiB up. */
export function human(v: number, unit: ValueUnit): string {
  if (unit === 'objects') return count.format(v);
  const a = Math.abs(v);
  let i = 0;
  while (i < BYTE_UNITS.length - 1 && a >= 1024 ** (i + 1)) i++;
  if (i === 0) return `${count.format(v)} B`;
  const x = v / 1024 ** i;
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return `${x.toFixed(digits)} ${BYTE_UNITS[i]}`;
}

/** The exact value, for a title attribute: "1,572,864 bytes", the number jeprof's --show_bytes prints (%d truncates). */
export function exact(v: number, unit: ValueUnit): string {
  return `${count.format(Math.trunc(v))} ${unit === 'bytes' ? (Math.abs(v) === 1 ? 'byte' : 'bytes') : Math.abs(v) === 1 ? 'object' : 'objects'}`;
}

/** A change, always signed: "+1.5 MiB", "-12". */
export function signed(v: number, unit: ValueUnit): string {
  return v > 0 ? `+${human(v, unit)}` : v < 0 ? `-${human(-v, unit)}` : human(0, unit);
}

/** num / den as "12.3%"; "-" when den is 0. */
export function share(num: number, den: number): string {
  if (den === 0) return '-';
  const p = (num * 100) / den;
  return `${Math.abs(p) >= 10 || p === 0 ? p.toFixed(1) : p.toPrecision(2)}%`;
}
