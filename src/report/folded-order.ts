// Orders stacks as their folded lines (jeprof --collapsed) sort, by UTF-16 unit, without making the lines.
import type { StackRanges } from '../graph/flat-stacks.js';
import { presorted } from './folded-presort.js';
import type { FoldedTexts } from './folded-texts.js';
import { formatInt } from './printf.js';

const SEMICOLON = 59;
const SPACE = 32;

/**
 * A line is `T(root);...;T(leaf) value`. Two lines are compared PC by PC from the root: PCs of one
 * text are skipped whole, and the first two texts that differ decide by their ranks, unless one is
 * the start of the other: then the character after the shorter one in its line (';', or ' ' at
 * the leaf) against the longer one's there, and only when those are equal too are the two lines
 * made and compared whole. Same PCs' texts to the end: the shorter stack first (' ' sorts before
 * ';'), then the value's digits as text.
 */
export class FoldedOrder {
  constructor(
    private readonly s: StackRanges,
    private readonly texts: FoldedTexts,
  ) {}

  /** Stack i's folded line. */
  line(i: number): string {
    const { ids, starts, ends, values } = this.s;
    const parts: string[] = [];
    for (let k = ends[i] - 1; k >= starts[i]; k--) parts.push(this.texts.text(ids[k]));
    return `${parts.join(';')} ${formatInt(values[i])}`;
  }

  /** Stack numbers in the order of their lines (`exact`: see presorted; tests lower it). */
  sorted(exact?: number): Int32Array {
    return presorted(this.s, this.texts, (a, b) => this.compare(a, b), exact);
  }

  private compare(a: number, b: number): number {
    const { ids, starts, ends, values } = this.s;
    // A stack with no frames is ' ' and its value, to be compared with the other's first character.
    if (starts[a] === ends[a] || starts[b] === ends[b]) return byText(this.line(a), this.line(b));
    const rankOf = this.texts.rankOf;
    let ka = ends[a] - 1;
    let kb = ends[b] - 1;
    for (; ka >= starts[a] && kb >= starts[b]; ka--, kb--) {
      const ra = rankOf[ids[ka]];
      const rb = rankOf[ids[kb]];
      if (ra === rb) continue;
      if (this.texts.starts(ra, rb)) return this.afterStart(a, ka, b, kb);
      return ra < rb ? -1 : 1;
    }
    const moreA = ka >= starts[a];
    const moreB = kb >= starts[b];
    // One line ends where the other goes on: ' ' comes before ';'.
    if (moreA !== moreB) return moreA ? 1 : -1;
    return byText(formatInt(values[a]), formatInt(values[b]));
  }

  /** Lines a and b, alike up to their texts at frames ka and kb, one of which starts the other. */
  private afterStart(a: number, ka: number, b: number, kb: number): number {
    const { ids, starts } = this.s;
    const x = this.texts.text(ids[ka]);
    const y = this.texts.text(ids[kb]);
    const aShorter = x.length < y.length;
    const next = (aShorter ? ka > starts[a] : kb > starts[b]) ? SEMICOLON : SPACE;
    const there = aShorter ? y.charCodeAt(x.length) : x.charCodeAt(y.length);
    if (next === there) return byText(this.line(a), this.line(b));
    return next < there === aShorter ? -1 : 1;
  }
}

const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
