// Builds the jemalloc options of a recorded run (MALLOC_CONF or _RJEM_MALLOC_CONF) from record's
// flags and what the user already set: theirs is kept and extended, and every change is told.
import { UsageError } from '../model/errors.js';

export interface RecordSettings {
  /** Absolute folder the dumps go to (prof_prefix is <out>/jeprof). */
  out: string;
  /** lg_prof_interval: a dump every 2^n bytes allocated; undefined = leave it to the user's value or the default. */
  lgInterval?: number;
  /** lg_prof_sample: one sample every 2^n bytes on average. */
  lgSample?: number;
  /** --leak: prof_leak, every allocation sampled, a final dump. */
  leak: boolean;
}

/** A dump every 1 GiB allocated: a busy service allocates gigabytes a minute; 64 MiB would flood the folder. */
export const DEFAULT_LG_INTERVAL = 30;

export interface BuiltConf {
  /** The value for the variable. */
  value: string;
  /** The user's own pairs kept as they were. */
  kept: string[];
  /** User's pairs whose value record changed, with the reason. */
  replaced: { key: string; was: string; now: string; why: string }[];
  /** Pairs record added. */
  added: string[];
}

/** `64M`, `1G`, `512k`, `65536` (bytes) to bytes; undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const scale = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const bytes = Number(m[1]) * scale;
  return bytes >= 1 && Number.isFinite(bytes) ? bytes : undefined;
}

/** The power of two nearest to `bytes` on a log scale (jemalloc's intervals are powers of two). */
export function nearestPowerOfTwo(bytes: number): { lg: number; bytes: number; exact: boolean } {
  const lg = Math.min(62, Math.max(0, Math.round(Math.log2(bytes))));
  return { lg, bytes: 2 ** lg, exact: 2 ** lg === bytes };
}

/** `--sample=<n>`: lg_prof_sample, 0 (every allocation) to 62. */
export function parseSample(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 62) {
    throw new UsageError(`--sample=${text}: expected lg_prof_sample, a whole number from 0 (every allocation) to 62; the default 19 samples every 512 KiB`);
  }
  return Number(text);
}

function pairs(conf: string | undefined): { key: string; value: string; raw: string }[] {
  if (!conf) return [];
  return conf
    .split(',')
    .filter((p) => p !== '')
    .map((raw) => {
      const colon = raw.indexOf(':');
      return colon < 0 ? { key: raw, value: '', raw } : { key: raw.slice(0, colon), value: raw.slice(colon + 1), raw };
    });
}

/**
 * The options for the run. `existing` is the user's value of the variable. Record's required pairs
 * (prof, prof_prefix, prof_final, and what a flag asked for) replace the user's; defaults
 * (lg_prof_interval) only fill a gap. jemalloc reads pairs left to right, the last one winning,
 * so each key is written once.
 */
export function buildMallocConf(existing: string | undefined, s: RecordSettings): BuiltConf {
  if (s.out.includes(',')) throw new UsageError(`the dump folder ${s.out} has a comma in its path, which jemalloc's options cannot carry: choose another --out`);
  const required: [string, string, string][] = [
    ['prof', 'true', 'profiling is what record is for'],
    ['prof_prefix', `${s.out}/jeprof`, 'record reads the dumps from its --out folder'],
    ['prof_final', 'true', 'record reports the dump written at exit'],
  ];
  if (s.leak) {
    required.push(['prof_leak', 'true', '--leak'], ['lg_prof_sample', '0', '--leak samples every allocation']);
  } else if (s.lgSample !== undefined) {
    required.push(['lg_prof_sample', String(s.lgSample), '--sample']);
  }
  if (s.lgInterval !== undefined) required.push(['lg_prof_interval', String(s.lgInterval), '--interval']);
  const defaults: [string, string][] = s.leak || s.lgInterval !== undefined ? [] : [['lg_prof_interval', String(DEFAULT_LG_INTERVAL)]];

  const out: BuiltConf = { value: '', kept: [], replaced: [], added: [] };
  const list = pairs(existing);
  const result: string[] = [];
  for (const p of list) {
    const want = required.find(([k]) => k === p.key);
    if (want && want[1] !== p.value) {
      out.replaced.push({ key: p.key, was: p.value, now: want[1], why: want[2] });
      result.push(`${p.key}:${want[1]}`);
    } else {
      out.kept.push(p.raw);
      result.push(p.raw);
    }
  }
  const have = new Set(list.map((p) => p.key));
  for (const [k, v] of [...required.map(([k, v]) => [k, v] as [string, string]), ...defaults]) {
    if (have.has(k)) continue;
    have.add(k);
    out.added.push(`${k}:${v}`);
    result.push(`${k}:${v}`);
  }
  out.value = result.join(',');
  return out;
}

/** The last value of `key` in `conf` when it is a whole number of 0 or more (jemalloc reads the last one). */
function confNumber(conf: string, key: string): number | undefined {
  const p = pairs(conf).filter((x) => x.key === key).pop();
  const n = p ? Number(p.value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The interval in effect: record's, else the user's lg_prof_interval, else none (-1 = off). */
export function effectiveLgInterval(conf: string): number | undefined {
  return confNumber(conf, 'lg_prof_interval');
}

/** The sampling in effect: record's, else the user's lg_prof_sample; undefined for jemalloc's default (19). */
export function effectiveLgSample(conf: string): number | undefined {
  return confNumber(conf, 'lg_prof_sample');
}
