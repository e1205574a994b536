// Sizes and counts for people: binary units (KiB, MiB, GiB) and digit groups, for the commands
// beyond jeprof (jeprof's own reports keep its MB with one decimal, see units.ts).

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `512 B`, `1.5 KiB`, `24.5 MiB`, `118 MiB`, `-3.0 GiB`: one decimal below 100 of a unit. */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${sign}${Math.round(v)} B`;
  return `${sign}${v < 100 ? v.toFixed(1) : Math.round(v).toString()} ${UNITS[u]}`;
}

/** A count rounded to a whole number, with thousands separated by commas: `25,690,112`. */
export function groupDigits(n: number): string {
  const r = Math.round(n);
  const sign = r < 0 ? '-' : '';
  return sign + Math.abs(r).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
