// jeprof's Unparse, Units and Percent: how values and shares are printed in every report.
import { formatFixed, formatInt } from './printf.js';

export type ValueKind = 'bytes' | 'objects';

export interface UnitOptions {
  kind: ValueKind;
  /** --show_bytes: bytes as whole numbers instead of MB. */
  showBytes: boolean;
}

/** A value as jeprof prints it: objects and --show_bytes as `%d`, else MB as `%.1f`. */
export function unparse(v: number, u: UnitOptions): string {
  if (u.kind === 'objects' || u.showBytes) return formatInt(v);
  return formatFixed(v / 1048576.0, 1);
}

export function units(u: UnitOptions): string {
  if (u.kind === 'objects') return 'objects';
  return u.showBytes ? 'B' : 'MB';
}

/** `%.1f%%` of num/total; for a zero total jeprof prints nan, +inf or -inf. */
export function percent(num: number, total: number): string {
  if (total !== 0) return formatFixed((num * 100.0) / total, 1) + '%';
  return num === 0 ? 'nan' : num > 0 ? '+inf' : '-inf';
}
