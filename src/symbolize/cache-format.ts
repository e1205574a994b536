// The symbol cache entry on disk: addr2line's frames and the nm names per address, as a list of
// texts referred to by number, a text repeated by neighbouring answers stored once. The plain form
// (a JSON object per address) was 2.8 MB for a 20,000-address program and took longer to parse
// than to re-read.
import type { Addr2LineFrame } from './addr2line-output.js';

/** jeprof's nm name for a file address: [short, full]; 0 no routine holds it; null no table. */
export type CachedName = [string, string] | 0 | null;

export interface StoredAnswers {
  /** The texts, repeats among neighbouring answers once; the lists below refer to them by index. */
  strings: string[];
  /** The frames' keys (`<file address hex>`, `|i` added when asked with -i), space-separated. */
  frameKeys: string;
  /** Per key: its number of frames, then a function and a file:line index per frame. */
  frameRefs: number[];
  names?: {
    /** The `_fini` address in hex, '' when none. */
    sep: string;
    keys: string;
    /** Per key: short and full name indices; -1 -1 for 0, -2 -2 for null. */
    refs: number[];
  };
}

const UNKNOWN = -1;
/** How many of the last texts stored are searched for a repeat (see store()). */
const RECENT = 8;
const NONE = -2;

/**
 * An entry's answers. A warm run usually asks for exactly the addresses stored, in the same
 * (sorted) order: then answers are read straight from the stored lists, and the maps by address
 * are built only when a run asks for something else.
 */
export class Answers {
  private frames?: Map<string, Addr2LineFrame[]>;
  private names?: Map<string, CachedName>;
  /** The `_fini` address in hex ('' none); undefined until names were looked up. */
  sep?: string;

  constructor(private readonly stored?: StoredAnswers) {
    this.sep = stored?.names?.sep;
  }

  private text(i: number): string {
    const t = this.stored!.strings[i];
    if (typeof t !== 'string') throw new Error('cache entry refers to a missing text');
    return t;
  }

  /** Frames per key, undefined where none are stored. */
  framesOf(keys: readonly string[]): (Addr2LineFrame[] | undefined)[] {
    const s = this.stored;
    if (!this.frames && s && keys.join(' ') === s.frameKeys) return this.framesOfStored(keys.length);
    const m = this.frameMap();
    return keys.map((k) => m.get(k));
  }

  setFrames(key: string, frames: Addr2LineFrame[]): void {
    this.frameMap().set(key, frames);
  }

  /** Names per key, or undefined when any key has none stored. */
  namesOf(keys: readonly string[]): CachedName[] | undefined {
    const s = this.stored?.names;
    if (!this.names && s && keys.join(' ') === s.keys) {
      return keys.map((_, i) => this.name(s.refs[2 * i], s.refs[2 * i + 1]));
    }
    const m = this.nameMap();
    if (!keys.every((k) => m.has(k))) return undefined;
    return keys.map((k) => m.get(k)!);
  }

  /** Names for keys[i] = names[i]: two lists, not a pair per key (20,000 for a big program). */
  setNames(sep: string, keys: readonly string[], names: readonly CachedName[]): void {
    const m = this.nameMap();
    for (let i = 0; i < keys.length; i++) m.set(keys[i], names[i]);
    this.sep = sep;
  }

  private name(a: number, b: number): CachedName {
    return a === UNKNOWN ? 0 : a === NONE ? null : [this.text(a), this.text(b)];
  }

  private frameMap(): Map<string, Addr2LineFrame[]> {
    if (!this.frames) {
      this.frames = new Map();
      const s = this.stored;
      if (s) {
        const keys = s.frameKeys === '' ? [] : s.frameKeys.split(' ');
        const lists = this.framesOfStored(keys.length);
        keys.forEach((k, i) => this.frames!.set(k, lists[i]));
      }
    }
    return this.frames;
  }

  private framesOfStored(count: number): Addr2LineFrame[][] {
    const s = this.stored!;
    const out: Addr2LineFrame[][] = [];
    let p = 0;
    for (let k = 0; k < count; k++) {
      const n = s.frameRefs[p++];
      const list: Addr2LineFrame[] = [];
      for (let j = 0; j < n; j++, p += 2) list.push({ func: this.text(s.frameRefs[p]), fileLine: this.text(s.frameRefs[p + 1]) });
      out.push(list);
    }
    return out;
  }

  private nameMap(): Map<string, CachedName> {
    if (!this.names) {
      this.names = new Map();
      const s = this.stored?.names;
      if (s) {
        const keys = s.keys === '' ? [] : s.keys.split(' ');
        keys.forEach((k, i) => this.names!.set(k, this.name(s.refs[2 * i], s.refs[2 * i + 1])));
      }
    }
    return this.names;
  }

  /** The stored form, each text once. */
  store(): StoredAnswers {
    const strings: string[] = [];
    // Repeats are found among the last few texts stored, not in a Map of all of them: answers come
    // by address, so a function's PCs and their names follow one another, and that is where texts
    // repeat (inline levels take a few places). A Map took a cold run 25 to 40 ms for 40,000 texts.
    const recent = new Array<string>(RECENT).fill('');
    const recentAt = new Int32Array(RECENT).fill(-1);
    let next = 0;
    const ref = (s: string) => {
      for (let k = 0; k < RECENT; k++) if (recentAt[k] >= 0 && recent[k] === s) return recentAt[k];
      const i = strings.length;
      strings.push(s);
      recent[next] = s;
      recentAt[next] = i;
      next = (next + 1) % RECENT;
      return i;
    };
    // forEach and indexed loops: a for-of step in code V8 has not optimised yet (this runs once
    // per run) makes an iterator result, 100,000 of them for a big program.
    const frameKeys: string[] = [];
    const frameRefs: number[] = [];
    this.frameMap().forEach((list, key) => {
      frameKeys.push(key);
      frameRefs.push(list.length);
      for (let j = 0; j < list.length; j++) frameRefs.push(ref(list[j].func), ref(list[j].fileLine));
    });
    const out: StoredAnswers = { strings, frameKeys: frameKeys.join(' '), frameRefs };
    if (this.sep !== undefined) {
      const keys: string[] = [];
      const refs: number[] = [];
      this.nameMap().forEach((n, key) => {
        keys.push(key);
        if (n === 0) refs.push(UNKNOWN, UNKNOWN);
        else if (n === null) refs.push(NONE, NONE);
        else refs.push(ref(n[0]), ref(n[1]));
      });
      out.names = { sep: this.sep, keys: keys.join(' '), refs };
    }
    return out;
  }

  /** Checks that a stored entry adds up, without decoding it; throws when it does not. */
  check(): this {
    const s = this.stored;
    if (!s) return this;
    const okRef = (i: unknown) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < s.strings.length;
    if (!Array.isArray(s.strings) || typeof s.frameKeys !== 'string' || !Array.isArray(s.frameRefs)) throw new Error('cache entry is not in this format');
    let p = 0;
    for (let k = wordCount(s.frameKeys); k > 0; k--) {
      const n = s.frameRefs[p++];
      if (!Number.isInteger(n) || n < 0) throw new Error('cache entry frames do not add up');
      for (let j = 0; j < 2 * n; j++) if (!okRef(s.frameRefs[p++])) throw new Error('cache entry refers to a missing text');
    }
    if (p !== s.frameRefs.length) throw new Error('cache entry frames do not add up');
    const names = s.names;
    if (names) {
      if (typeof names.sep !== 'string' || typeof names.keys !== 'string' || !Array.isArray(names.refs)) throw new Error('cache entry is not in this format');
      if (wordCount(names.keys) * 2 !== names.refs.length) throw new Error('cache entry names do not add up');
      for (let i = 0; i < names.refs.length; i += 2) {
        const a = names.refs[i];
        if (!(a === UNKNOWN || a === NONE ? names.refs[i + 1] === a : okRef(a) && okRef(names.refs[i + 1]))) throw new Error('cache entry refers to a missing text');
      }
    }
    return this;
  }
}

/** The number of space-separated keys in `keys`, counted without splitting (20,000 strings for a big program). */
function wordCount(keys: string): number {
  if (keys === '') return 0;
  let n = 1;
  for (let i = keys.indexOf(' '); i >= 0; i = keys.indexOf(' ', i + 1)) n++;
  return n;
}
