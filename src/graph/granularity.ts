// Turns each frame into the key of the requested granularity (jeprof's TranslateStack), with
// jeprof's `name@addr` renaming of same-named functions that nm told apart.
import { locationHex } from '../model/address.js';
import type { Location } from '../model/profile.js';

export type Granularity = 'functions' | 'lines' | 'addresses' | 'files';

const TAGGED = /<[0-9a-fA-F]+>$/;
const TAG = /<0*([^>]*)>$/;

/**
 * jeprof's FillFullnameToShortnameMap: when one short name stands for two or more different
 * nm-tagged full names (first frame level of any PC), each such full name displays as
 * `short@<address without leading zeros>`.
 */
export function disambiguationMap(locations: readonly Location[]): Map<string, string> {
  const seenOnce = new Map<string, string>();
  const seenMore = new Set<string>();
  const records: { short: string; full: string }[] = [];
  // Indexed, not for-of: this runs once per run over every PC, mostly before V8 optimises it,
  // and unoptimised for-of makes an iterator result per element.
  for (let i = 0; i < locations.length; i++) {
    const loc = locations[i];
    if (loc.lines.length === 0) continue;
    const f = loc.lines[0].func;
    records.push({ short: f.name, full: f.systemName });
    if (!TAGGED.test(f.systemName)) continue;
    const prev = seenOnce.get(f.name);
    if (prev !== undefined && prev !== f.systemName) seenMore.add(f.name);
    else seenOnce.set(f.name, f.systemName);
  }
  const out = new Map<string, string>();
  for (const { short, full } of records) {
    if (out.has(full) || !seenMore.has(short)) continue;
    const m = TAG.exec(full);
    if (m) out.set(full, `${short}@${m[1]}`);
  }
  return out;
}

export interface TranslateContext {
  granularity: Granularity | 'address-only';
  /** Full name -> `short@addr`, from disambiguationMap. */
  renames: Map<string, string>;
  /** jeprof's ShortIdFor: numbers callers of Callback...::Run frames, first come first numbered. */
  runIds: Map<string, number>;
}

const HIGH_ADDRESS = 0x7fffffffffffffffn;
const RUN = /Callback.*::Run$/;

/** Numbers distinct key strings 0, 1, 2, ... so stacks can be handled as integer lists. */
export class KeyNumbering {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  /**
   * Key ids per location id, filled by translateStackIds: ids only mean something within the
   * numbering that made them, so the cache lives here.
   */
  readonly byLocation: (number[] | undefined)[] = [];
  idsOf(keys: readonly string[]): number[] {
    return keys.map((k) => {
      let id = this.ids.get(k);
      if (id === undefined) {
        id = this.names.length;
        this.ids.set(k, id);
        this.names.push(k);
      }
      return id;
    });
  }
}

/**
 * Keys for one stack, leaf first, inline levels innermost first. Addresses above
 * 0x7fffffffffffffff are dropped (jeprof: "fake entries on RH9"). Translating many stacks, pass
 * one `numbering`: each location is then translated once.
 */
export function translateStack(locations: readonly Location[], ctx: TranslateContext, numbering = new KeyNumbering()): string[] {
  const out = new IntList();
  translateStackIds(locations, ctx, numbering, out);
  return Array.from(out.ids.subarray(0, out.n), (id) => numbering.names[id]);
}

/** A growable list of ints that is emptied by setting n = 0 (a JS array would drop its storage). */
export class IntList {
  ids = new Int32Array(64);
  n = 0;

  push(v: number): void {
    if (this.n === this.ids.length) {
      const bigger = new Int32Array(this.n * 2);
      bigger.set(this.ids);
      this.ids = bigger;
    }
    this.ids[this.n++] = v;
  }
}

/**
 * translateStack with each key as its number in `numbering`, appended to `out`; `from` skips the
 * stack's first frames (the stack then starts at `from`, as if sliced there).
 */
export function translateStackIds(locations: readonly Location[], ctx: TranslateContext, numbering: KeyNumbering, out: IntList, from = 0): void {
  const cache = numbering.byLocation;
  for (let i = from; i < locations.length; i++) {
    const loc = locations[i];
    let ids = cache[loc.id];
    if (ids === undefined) {
      if (loc.address > HIGH_ADDRESS) {
        ids = [];
      } else {
        const keys = frameKeys(loc, ctx, undefined);
        if (keys === undefined) {
          // A Callback...::Run frame: named after its caller, so not cacheable.
          for (const id of numbering.idsOf(frameKeys(loc, ctx, i > from ? locationHex(locations[i - 1]) : '0')!)) out.push(id);
          continue;
        }
        ids = numbering.idsOf(keys);
      }
      cache[loc.id] = ids;
    }
    for (let j = 0; j < ids.length; j++) out.push(ids[j]);
  }
}

/**
 * The keys of one PC, innermost inline level first. Returns undefined when a level is a
 * Callback...::Run frame and `caller` is not given (the name depends on the caller).
 */
function frameKeys(loc: Location, ctx: TranslateContext, caller: string | undefined): string[] | undefined {
  if (ctx.granularity === 'address-only') return [locationHex(loc)];
  const levels = loc.lines.length > 0 ? loc.lines : undefined;
  // Named frames mostly never print their address: make its text only when a key needs it.
  let hex: string | undefined;
  const a = () => (hex ??= locationHex(loc));
  const n = levels ? levels.length : 1;
  const out: string[] = [];
  for (let j = n - 1; j >= 0; j--) {
    let func = levels ? levels[j].func.name : a();
    const fileLine = levels ? levels[j].fileLine : '';
    const full = levels ? levels[j].func.systemName : a();
    func = ctx.renames.get(full) ?? func;
    if (j > 0) func = `${func} (inline)`;
    if (RUN.test(func)) {
      if (caller === undefined) return undefined;
      let id = ctx.runIds.get(caller);
      if (id === undefined) {
        id = ctx.runIds.size + 1;
        ctx.runIds.set(caller, id);
      }
      func = `Run#${id}`;
    }
    switch (ctx.granularity) {
      case 'addresses':
        out.push(`${a()} ${func} ${fileLine}`);
        break;
      case 'lines':
        out.push(func === '??' && fileLine === '??:0' ? a() : `${func} ${fileLine}`);
        break;
      case 'functions':
        out.push(func === '??' ? a() : func);
        break;
      case 'files':
        out.push(fileLine === '??:0' || fileLine === '' ? a() : fileLine.replace(/:\d+$/, ''));
        break;
    }
  }
  return out;
}
