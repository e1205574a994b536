// Folded stacks for flame graphs (jeprof --collapsed): `root;...;leaf <value>` per call stack.
import { locationHex } from '../model/address.js';
import type { Location } from '../model/profile.js';
import { rangesOf, type StackRanges } from '../graph/flat-stacks.js';
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
 * Output is handed on in pieces of about this many UTF-16 units (a 1 GB dump folds to 1.8 GB of
 * text). Small, so that a piece's lines and the piece itself die in the young generation: at 2^20
 * they outlived it, and the old generation grew to 4 times what lived (610 MB) between collections;
 * a 1 GB dump's report took 23.6 s and a peak RSS of 902 MiB, at 2^15 7.9 s and 462 MiB (2^14 and
 * 2^16: the same within noise, but a piece of 2^16 two-byte units is a large object again).
 */
const CHUNK_CHARS = 1 << 15;

/**
 * One line per stack of the filtered profile, un-merged (two stacks with the same names stay two
 * lines, as in jeprof), in pieces of text. jeprof prints them in Perl hash order, which changes
 * from run to run; ours are sorted (as strings, by UTF-16 unit) so the output is stable. No line
 * is made before it is written: the stacks are sorted as their lines would sort (FoldedOrder).
 */
export function* collapsedChunks(stacks: StackRanges): Generator<string> {
  const order = new FoldedOrder(stacks);
  const sorted = order.sorted();
  let chunk: string[] = [];
  let size = 0;
  for (let k = 0; k < sorted.length; k++) {
    const line = order.line(sorted[k]) + '\n';
    chunk.push(line);
    size += line.length;
    if (size >= CHUNK_CHARS) {
      yield chunk.join('');
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

/** collapsedChunks as one string (tests, small profiles). */
export function renderCollapsed(stacks: readonly Stack[] | StackRanges): string {
  return [...collapsedChunks(Array.isArray(stacks) ? rangesOf(stacks) : (stacks as StackRanges))].join('');
}

/**
 * Sorts stacks by their folded line, `T(root);...;T(leaf) value` where T(pc) is the PC's frames
 * joined by ';' (printable() escapes character by character, so it can apply per PC). Two lines
 * are compared PC by PC from the root: PCs of one text are skipped whole, and the first two texts
 * that differ decide, unless one is the start of the other (then the next character depends on
 * what follows, and the two lines are made and compared whole). Same PCs' texts to the end: the
 * shorter stack first (' ' sorts before ';'), then the value's digits as text.
 */
class FoldedOrder {
  /** Text number by location id (0: not yet known; else number + 1). */
  private textOf = new Int32Array(1024);
  private readonly texts: string[] = [];
  private readonly numbers = new Map<string, number>();

  constructor(private readonly s: StackRanges) {
    const { ids, starts, ends } = s;
    for (let i = 0; i < s.count; i++) for (let k = starts[i]; k < ends[i]; k++) this.text(ids[k]);
  }

  /** The text number of location `id`. */
  private text(id: number): number {
    if (id >= this.textOf.length) {
      const bigger = new Int32Array(Math.max(id + 1, 2 * this.textOf.length));
      bigger.set(this.textOf);
      this.textOf = bigger;
    }
    let t = this.textOf[id] - 1;
    if (t < 0) {
      const text = printable(frameNames(this.s.location(id)).join(';'));
      t = this.numbers.get(text) ?? -1;
      if (t < 0) {
        t = this.texts.length;
        this.texts.push(text);
        this.numbers.set(text, t);
      }
      this.textOf[id] = t + 1;
    }
    return t;
  }

  /** Stack i's folded line. */
  line(i: number): string {
    const { ids, starts, ends, values } = this.s;
    const parts: string[] = [];
    for (let k = ends[i] - 1; k >= starts[i]; k--) parts.push(this.texts[this.textOf[ids[k]] - 1]);
    return `${parts.join(';')} ${formatInt(values[i])}`;
  }

  /** Stack numbers in the order of their lines. */
  sorted(): Int32Array {
    const order = new Int32Array(this.s.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order.sort((a, b) => this.compare(a, b));
  }

  private compare(a: number, b: number): number {
    const { ids, starts, ends, values } = this.s;
    // A stack with no frames is ' ' and its value, to be compared with the other's first character.
    if (starts[a] === ends[a] || starts[b] === ends[b]) return byText(this.line(a), this.line(b));
    const textOf = this.textOf;
    let ka = ends[a] - 1;
    let kb = ends[b] - 1;
    for (; ka >= starts[a] && kb >= starts[b]; ka--, kb--) {
      const ta = textOf[ids[ka]] - 1;
      const tb = textOf[ids[kb]] - 1;
      if (ta === tb) continue;
      const x = this.texts[ta];
      const y = this.texts[tb];
      if (x.startsWith(y) || y.startsWith(x)) return byText(this.line(a), this.line(b));
      return x < y ? -1 : 1;
    }
    const moreA = ka >= starts[a];
    const moreB = kb >= starts[b];
    // One line ends where the other goes on: ' ' comes before ';'.
    if (moreA !== moreB) return moreA ? 1 : -1;
    return byText(formatInt(values[a]), formatInt(values[b]));
  }
}

const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
