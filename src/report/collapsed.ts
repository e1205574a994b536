// Folded stacks for flame graphs (jeprof --collapsed): `root;...;leaf <value>` per call stack.
import { locationHex } from '../model/address.js';
import type { Location } from '../model/profile.js';
import type { Stack } from '../graph/stacks.js';
import { formatInt } from './printf.js';
import { printable } from './printable.js';

/**
 * A PC's frames, outermost first: full (nm-tagged) names, inlined levels suffixed `[inline]`;
 * an unknown function shows its file:line, an unnamed PC its 16-hex address (ExtractSymbolNameInlineStack).
 */
function frameNames(loc: Location): string[] {
  if (loc.lines.length === 0) return [locationHex(loc)];
  return loc.lines.map((l, i) => {
    let file = l.fileLine;
    if (file === '?' || file === ':0') file = '??:0';
    const fn = l.func.systemName === '??' ? file : l.func.systemName;
    return i === 0 ? fn : `${fn}[inline]`;
  });
}

/**
 * One line per stack of the filtered profile, un-merged (two stacks with the same names stay two
 * lines, as in jeprof). jeprof prints them in Perl hash order, which changes from run to run; ours
 * are sorted so the output is stable.
 */
export function collapsedLines(stacks: readonly Stack[]): string[] {
  return stacks.map((s) => {
    const names: string[] = [];
    for (let i = s.locations.length - 1; i >= 0; i--) names.push(...frameNames(s.locations[i]));
    return `${printable(names.join(';'))} ${formatInt(s.value)}`;
  });
}

export function renderCollapsed(stacks: readonly Stack[]): string {
  const lines = collapsedLines(stacks).sort();
  return lines.map((l) => l + '\n').join('');
}
