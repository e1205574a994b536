// callgrind format for KCachegrind and callgrind_annotate (jeprof --callgrind).
// Spec: https://valgrind.org/docs/manual/cl-format.html
import type { Location } from '../model/profile.js';
import type { Stack } from '../graph/stacks.js';
import { formatInt } from './printf.js';
import { printable } from './printable.js';

/** `file:line:function` of a PC's outermost frame; `??:0:unknown` when it has no symbol (ExtractSymbolLocation). */
function location(loc: Location): string {
  if (loc.lines.length === 0) return '??:0:unknown';
  let file = loc.lines[0].fileLine;
  if (file === '?') file = '??:0';
  return printable(`${file}:${loc.lines[0].func.name}`);
}

/** Self cost per leaf location and call cost per (caller -> callee) pair, summed over stacks. */
export function extractCalls(stacks: readonly Stack[]): Map<string, number> {
  const calls = new Map<string, number>();
  const add = (k: string, v: number) => calls.set(k, (calls.get(k) ?? 0) + v);
  for (const s of stacks) {
    if (s.locations.length === 0) continue;
    let destination = location(s.locations[0]);
    add(destination, s.value);
    for (let i = 1; i < s.locations.length; i++) {
      const source = location(s.locations[i]);
      add(`${source} -> ${destination}`, s.value);
      destination = source;
    }
  }
  return calls;
}

// jeprof's unanchored pattern. addr2line texts like `f.c:11 (discriminator 1)` or `:?` make it
// match oddly or not at all; jeprof then prints empty or shifted fields, and so do we.
const CALL = /([^:]+):(\d+):([^ ]+)( -> ([^:]+):(\d+):(.+))?/;

function compressed(key: string, value: string | undefined, map: Map<string, number>): string {
  const v = value ?? '';
  if (v.length <= 3) return `${key}=${v}\n`;
  const idx = map.get(v);
  if (idx !== undefined) return `${key}=(${idx})\n`;
  map.set(v, map.size + 1);
  return `${key}=(${map.size}) ${v}\n`;
}

/** Entries sorted by caller file, then caller line; jeprof leaves other ties in hash order, we sort by text. */
export function renderCallgrind(calls: Map<string, number>): string {
  const entries = [...calls].map(([call, value]) => ({ call, value, m: CALL.exec(call) }));
  entries.sort((a, b) => {
    const fa = a.m?.[1] ?? '';
    const fb = b.m?.[1] ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = Number(a.m?.[2] ?? 0);
    const lb = Number(b.m?.[2] ?? 0);
    if (la !== lb) return la - lb;
    return a.call < b.call ? -1 : a.call > b.call ? 1 : 0;
  });
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  let out = 'events: Hits\n\n';
  for (const { value, m } of entries) {
    const count = formatInt(value);
    out += compressed('fl', m?.[1], files);
    out += compressed('fn', m?.[3], fns);
    if (m?.[6] !== undefined) {
      out += compressed('cfl', m[5], files);
      out += compressed('cfn', m[7], fns);
      out += `calls=${count} ${m[6]}\n`;
    }
    out += `${m?.[2] ?? ''} ${count}\n\n`;
  }
  return out;
}
