// The text each PC adds to a folded line (jeprof --collapsed), made once per distinct text, with its rank among the texts.
import { locationHex } from '../model/address.js';
import type { Location } from '../model/profile.js';
import type { StackRanges } from '../graph/flat-stacks.js';
import { printable } from './printable.js';
import { grownToHold } from '../model/grow.js';

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
 * T(pc), the PC's frames joined by ';' (printable() escapes character by character, so it can
 * apply per PC), for every PC of the stacks. A 250 MB dump's 14 million frames have 5,000 texts:
 * each is ranked once, so that ordering lines compares integers where it compared strings.
 */
export class FoldedTexts {
  /** The distinct texts, by text number. */
  readonly strings: string[] = [];
  /** Text number by location id, plus 1 (0: a location no stack has). */
  textOf = new Int32Array(1024);
  /**
   * Rank of a location's text by location id, in the strings' order (UTF-16 units); equal ranks,
   * equal texts. Two texts' ranks order them, unless one is the start of the other (`starts`).
   */
  rankOf = new Int32Array(0);
  /** By rank: the highest rank of a text that starts with this one (a sorted list keeps them together). */
  lastExtension = new Int32Array(0);
  /**
   * By location id: the rank of the first text of its family, the texts linked to it by starting
   * one another. Texts of two families are ordered as their families are (a family's ranks are
   * consecutive), and no line-long comparison is needed between them.
   */
  familyOf = new Int32Array(0);
  /** By location id: 1 when its text is alone in its family (its family's rank is its own). */
  aloneOf = new Uint8Array(0);
  /** By text number: its UTF-8 bytes. */
  bytes: Uint8Array[] = [];

  constructor(private readonly s: StackRanges) {
    const { ids, starts, ends } = s;
    const numbers = new Map<string, number>();
    for (let i = 0; i < s.count; i++) for (let k = starts[i]; k < ends[i]; k++) this.number(ids[k], numbers);
    this.rank();
  }

  /** Numbers location `id`'s text, if not yet. */
  private number(id: number, numbers: Map<string, number>): void {
    if (id >= this.textOf.length) this.textOf = grownToHold(this.textOf, id);
    if (this.textOf[id] !== 0) return;
    const text = printable(frameNames(this.s.location(id)).join(';'));
    let t = numbers.get(text);
    if (t === undefined) {
      t = this.strings.length;
      this.strings.push(text);
      numbers.set(text, t);
    }
    this.textOf[id] = t + 1;
  }

  private rank(): void {
    const strings = this.strings;
    const byRank = strings.map((_, t) => t).sort((a, b) => (strings[a] < strings[b] ? -1 : strings[a] > strings[b] ? 1 : 0));
    const rankOfText = new Int32Array(strings.length);
    for (let r = 0; r < byRank.length; r++) rankOfText[byRank[r]] = r;
    this.rankOf = new Int32Array(this.textOf.length);
    for (let id = 0; id < this.textOf.length; id++) if (this.textOf[id] !== 0) this.rankOf[id] = rankOfText[this.textOf[id] - 1];
    // The texts a text starts are those open on the stack (each starts the next): a text that the
    // top one does not start closes it.
    const last = new Int32Array(byRank.length);
    const family = new Int32Array(byRank.length);
    const open: number[] = [];
    for (let r = 0; r < byRank.length; r++) {
      while (open.length > 0 && !strings[byRank[r]].startsWith(strings[byRank[open[open.length - 1]]])) last[open.pop()!] = r - 1;
      family[r] = open.length > 0 ? family[open[0]] : r;
      open.push(r);
    }
    for (const r of open) last[r] = byRank.length - 1;
    this.lastExtension = last;
    this.familyOf = new Int32Array(this.textOf.length);
    this.aloneOf = new Uint8Array(this.textOf.length);
    for (let id = 0; id < this.textOf.length; id++) {
      if (this.textOf[id] === 0) continue;
      const r = this.rankOf[id];
      this.familyOf[id] = family[r];
      this.aloneOf[id] = family[r] === r && last[r] === r ? 1 : 0;
    }
    this.bytes = strings.map((x) => Buffer.from(x, 'utf8'));
  }

  /** Location `id`'s text. */
  text(id: number): string {
    return this.strings[this.textOf[id] - 1];
  }

  /** Whether of two different texts, by rank, one is the start of the other. */
  starts(ra: number, rb: number): boolean {
    return ra < rb ? rb <= this.lastExtension[ra] : ra <= this.lastExtension[rb];
  }
}
