// Turns each frame into the key of the requested granularity (jeprof's TranslateStack), with
// jeprof's `name@addr` renaming of same-named functions that nm told apart.
import { hex16, locationHex } from '../model/address.js';
import { AddressIndex } from '../model/address-index.js';
import { FlatStacks, type LocationsById } from './flat-stacks.js';
import type { Func, Location } from '../model/profile.js';
import { grownToHold } from '../model/grow.js';

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
  // PCs share their Func objects (one per function and file): each is looked at once, in the
  // order of the PC that first has it, which is all the outcome depends on.
  const funcs: Func[] = [];
  const met = new Set<Func>();
  // Indexed, not for-of: this runs once per run over every PC, mostly before V8 optimises it,
  // and unoptimised for-of makes an iterator result per element.
  for (let i = 0; i < locations.length; i++) {
    const loc = locations[i];
    if (loc.lines.length === 0) continue;
    const f = loc.lines[0].func;
    if (met.has(f)) continue;
    met.add(f);
    funcs.push(f);
    if (!TAGGED.test(f.systemName)) continue;
    const prev = seenOnce.get(f.name);
    if (prev !== undefined && prev !== f.systemName) seenMore.add(f.name);
    else seenOnce.set(f.name, f.systemName);
  }
  const out = new Map<string, string>();
  for (const { name: short, systemName: full } of funcs) {
    if (out.has(full) || !seenMore.has(short)) continue;
    const m = TAG.exec(full);
    if (m) out.set(full, `${short}@${m[1]}`);
  }
  return out;
}

/**
 * disambiguationMap over a series' dumps, one after another: the map is a function of the set of
 * the dumps' functions (first frame level of each PC), not of their order, unless two of them
 * share a full name under different short names (then the first met wins). So a dump whose set
 * is the last one's, with no such pair, has the last one's map: computed once, not per dump.
 */
export class SeriesRenames {
  /** By location id: its first level's function number + 1, -1 for an unnamed PC, 0 not yet seen. */
  private funcOf = new Int32Array(1024);
  private readonly numbers = new Map<Func, number>();
  private readonly funcs: Func[] = [];
  /** seen[f] === stamp: function f is in the current dump's set. */
  private seen = new Int32Array(256);
  private stamp = 0;
  /** The last dump's set (inLast[f] = 1) and size, and its map when that holds for any order. */
  private inLast = new Uint8Array(256);
  private lastSet: number[] = [];
  private lastMap?: Map<string, string>;
  private current: number[] = [];
  /** Each short name's first nm-tagged full name among all the functions met so far. */
  private readonly taggedFull = new Map<string, string>();
  /** Whether two functions met so far share a short name under different tagged full names. */
  private collides = false;
  /** The map of a dump whose functions cannot collide: shared, so dumps share their numbering. */
  private readonly none = new Map<string, string>();

  renamesOf(locations: readonly Location[]): Map<string, string> {
    const stamp = ++this.stamp;
    const current = this.current;
    current.length = 0;
    let same = this.lastMap !== undefined;
    for (let i = 0; i < locations.length; i++) {
      const f = this.funcNumber(locations[i]);
      if (f < 0 || this.seen[f] === stamp) continue;
      this.seen[f] = stamp;
      current.push(f);
      if (same && this.inLast[f] === 0) same = false;
    }
    if (same && current.length === this.lastSet.length) return this.lastMap!;
    // No two functions of the whole series collide, so no dump's set can: its map is empty. The
    // sets of a growing process's dumps differ now and then, and each was a disambiguationMap.
    if (!this.collides) return this.none;
    const map = disambiguationMap(locations);
    for (const f of this.lastSet) this.inLast[f] = 0;
    for (const f of current) this.inLast[f] = 1;
    this.current = this.lastSet;
    this.lastSet = current;
    this.lastMap = this.orderFree(current) ? map : undefined;
    return map;
  }

  /** No two functions of the set share a full name under different short names. */
  private orderFree(set: readonly number[]): boolean {
    const shortOf = new Map<string, string>();
    for (const f of set) {
      const { name, systemName } = this.funcs[f];
      const had = shortOf.get(systemName);
      if (had === undefined) shortOf.set(systemName, name);
      else if (had !== name) return false;
    }
    return true;
  }

  /** disambiguationMap's collision test, over every function met (see renamesOf). */
  private noteTagged(func: Func): void {
    if (this.collides || !TAGGED.test(func.systemName)) return;
    const had = this.taggedFull.get(func.name);
    if (had === undefined) this.taggedFull.set(func.name, func.systemName);
    else if (had !== func.systemName) this.collides = true;
  }

  private funcNumber(loc: Location): number {
    const id = loc.id;
    if (id >= this.funcOf.length) this.funcOf = grownToHold(this.funcOf, id);
    let f = this.funcOf[id];
    if (f === 0) {
      if (loc.lines.length === 0) {
        f = -1;
      } else {
        const func = loc.lines[0].func;
        let n = this.numbers.get(func);
        if (n === undefined) {
          n = this.funcs.length;
          this.numbers.set(func, n);
          this.funcs.push(func);
          this.noteTagged(func);
          if (n >= this.seen.length) {
            this.seen = grownToHold(this.seen, n);
            this.inLast = grownToHold(this.inLast, n);
          }
        }
        f = n + 1;
      }
      this.funcOf[id] = f;
    }
    return f < 0 ? -1 : f - 1;
  }
}

/**
 * Where a report key came from: the first PC (Location) and frame level it was made from, level
 * -1 for an unnamed PC. Rows carry it so reports can say which function, file, line, address and
 * mapping a row is, instead of parsing their own display text.
 */
export interface KeyOrigin {
  location: Location;
  /** Index into location.lines (outermost first), -1 when the PC has no symbol record. */
  level: number;
}

export interface TranslateContext {
  granularity: Granularity | 'address-only';
  /** Full name -> `short@addr`, from disambiguationMap. */
  renames: Map<string, string>;
  /** jeprof's ShortIdFor: numbers callers of Callback...::Run frames, first come first numbered. */
  runIds: Map<string, number>;
  /**
   * Keys and PC translations from an earlier analysis to reuse (trend's dumps, one after another).
   * Only valid under the same granularity and renames: a PC's keys are cached with them. Run#
   * frames are never cached, so each analysis numbers them with its own runIds, as jeprof does.
   */
  numbering?: KeyNumbering;
}

const HIGH_ADDRESS = 0x7fffffffffffffffn;
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
const HEX16 = /^[0-9a-f]{16}$/;
/** Granularities whose key for an unnamed PC is its address text alone. */
const ADDRESS_KEYED = new Set<TranslateContext['granularity']>(['functions', 'files', 'address-only']);
const RUN = /Callback.*::Run$/;

/** Numbers distinct key strings 0, 1, 2, ... so stacks can be handled as integer lists. */
export class KeyNumbering {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  /**
   * The key ids of each location, by location id, filled by translateStackIds: 0 not yet known,
   * -1 a Callback...::Run frame (named after its caller, so not cacheable), else 1 + where its
   * ids start in `cached`. Ids only mean something within the numbering that made them, so the
   * cache lives here; typed arrays, as a million frames read it.
   */
  at = new Int32Array(1024);
  count = new Int32Array(1024);
  readonly cached = new IntList();
  /** learn()'s list of one PC's keys, emptied and refilled for each. */
  private readonly scratch: string[] = [];
  /**
   * Keys that are an address's hex16 text, by address (id + 1): an unnamed PC's key. Tens of
   * thousands of those went through the Map, at some 400 ns each for fresh strings.
   */
  private readonly byAddress = new AddressIndex();
  /** Set once some key that is not an address key looks like one (16 hex digits). */
  private hexLikeNames = false;
  /** Where each key (by id) was first made from; set by learn() and the Run# path, not by idsOf. */
  private readonly originLoc: (Location | undefined)[] = [];
  private readonly originLevel: number[] = [];
  /** How many Callback...::Run frames translateStackIds has translated (their keys are never cached). */
  runFrames = 0;
  /** frameKeys' levels for the keys it pushes, in step with them. */
  private readonly levels: number[] = [];

  /** Notes where key `id` came from, the first time it is made from a PC. */
  private noteOrigin(id: number, loc: Location, level: number): void {
    if (this.originLoc[id] !== undefined) return;
    while (this.originLoc.length < id) {
      this.originLoc.push(undefined);
      this.originLevel.push(0);
    }
    this.originLoc[id] = loc;
    this.originLevel[id] = level;
  }

  /** The origin of the key named `key`, if a PC made it. */
  originOf(key: string): KeyOrigin | undefined {
    let id = this.ids.get(key);
    if (id === undefined && key.length === 16 && HEX16.test(key)) {
      const v = parseInt(key, 16);
      if (v <= Number.MAX_SAFE_INTEGER) id = this.byAddress.get(v) - 1;
    }
    const loc = id === undefined || id < 0 ? undefined : this.originLoc[id];
    return loc && { location: loc, level: this.originLevel[id!] };
  }

  idsOf(keys: readonly string[]): number[] {
    return keys.map((k) => this.idOf(k));
  }

  idOf(k: string): number {
    let id = this.ids.get(k);
    if (id === undefined) {
      // The same text as an address key must be the same key.
      if (k.length === 16 && HEX16.test(k)) {
        this.hexLikeNames = true;
        const v = parseInt(k, 16);
        const same = v <= Number.MAX_SAFE_INTEGER ? this.byAddress.get(v) - 1 : -1;
        if (same >= 0) {
          this.ids.set(k, same);
          return same;
        }
      }
      id = this.names.length;
      this.ids.set(k, id);
      this.names.push(k);
    }
    return id;
  }

  /** idOf(key), noting that `loc`'s frame `level` made it. */
  idOfFrom(key: string, loc: Location, level: number): number {
    const id = this.idOf(key);
    this.noteOrigin(id, loc, level);
    return id;
  }

  /** idOf(hex16(address)), without a Map lookup when no other key looks like an address. */
  addressKey(address: bigint): number {
    if (address > MAX_EXACT) return this.idOf(hex16(address));
    const v = Number(address);
    let id = this.byAddress.get(v) - 1;
    if (id >= 0) return id;
    const text = hex16(address);
    if (this.hexLikeNames) id = this.ids.get(text) ?? -1;
    if (id < 0) {
      id = this.names.length;
      this.names.push(text);
    }
    this.byAddress.set(v, id + 1);
    return id;
  }

  /** Translates `loc` once and caches its ids (or -1 for a Run frame): the new `at` value. */
  learn(loc: Location, ctx: TranslateContext): number {
    const id = loc.id;
    if (id >= this.at.length) {
      this.at = grownToHold(this.at, id);
      this.count = grownToHold(this.count, id);
    }
    let at: number;
    if (loc.address > HIGH_ADDRESS) {
      at = 1 + this.cached.n;
      this.count[id] = 0;
    } else if (loc.lines.length === 0 && ADDRESS_KEYED.has(ctx.granularity)) {
      // An unnamed PC's one key is its address text (frameKeys would say the same).
      at = 1 + this.cached.n;
      const key = loc.text === undefined ? this.addressKey(loc.address) : this.idOf(loc.text);
      this.noteOrigin(key, loc, -1);
      this.cached.push(key);
      this.count[id] = 1;
    } else {
      const keys = this.scratch;
      keys.length = 0;
      this.levels.length = 0;
      if (!frameKeys(loc, ctx, undefined, keys, this.levels)) {
        at = -1;
      } else {
        at = 1 + this.cached.n;
        for (let j = 0; j < keys.length; j++) {
          const key = this.idOf(keys[j]);
          this.noteOrigin(key, loc, this.levels[j]);
          this.cached.push(key);
        }
        this.count[id] = keys.length;
      }
    }
    this.at[id] = at;
    return at;
  }
}

/**
 * Keys for one stack, leaf first, inline levels innermost first. Addresses above
 * 0x7fffffffffffffff are dropped (jeprof: "fake entries on RH9"). Translating many stacks, pass
 * one `numbering`: each location is then translated once.
 */
export function translateStack(locations: readonly Location[], ctx: TranslateContext, numbering = new KeyNumbering()): string[] {
  const out = new IntList();
  const flat = new FlatStacks([{ locations: [...locations], value: 0 }]);
  translateStackIds(flat.ids, flat.starts[0], flat.ends[0], flat, ctx, numbering, out);
  flat.release();
  return Array.from(out.ids.subarray(0, out.n), (id) => numbering.names[id]);
}

/** A growable list of ints that is emptied by setting n = 0 (a JS array would drop its storage). */
export class IntList {
  ids = new Int32Array(64);
  n = 0;

  push(v: number): void {
    if (this.n === this.ids.length) this.ids = grownToHold(this.ids, this.n);
    this.ids[this.n++] = v;
  }
}

/**
 * translateStack of the stack whose location ids are ids[from..to) (`byId` maps them to their
 * Locations), each key as its number in `numbering`, appended to `out`.
 */
export function translateStackIds(ids: ArrayLike<number>, from: number, to: number, byId: LocationsById, ctx: TranslateContext, numbering: KeyNumbering, out: IntList): void {
  const cached = numbering.cached;
  for (let k = from; k < to; k++) {
    const id = ids[k];
    let at = id < numbering.at.length ? numbering.at[id] : 0;
    if (at === 0) at = numbering.learn(byId.location(id), ctx);
    if (at > 0) {
      const end = at - 1 + numbering.count[id];
      for (let j = at - 1; j < end; j++) out.push(cached.ids[j]);
      continue;
    }
    translateRunFrame(ids, from, k, byId, ctx, numbering, out);
  }
}

/**
 * The keys of frame k of the stack ids[from..), a Callback...::Run frame (whose keys are never
 * cached, see KeyNumbering.at): named after its caller, the frame before it in this stack.
 */
export function translateRunFrame(ids: ArrayLike<number>, from: number, k: number, byId: LocationsById, ctx: TranslateContext, numbering: KeyNumbering, out: IntList): void {
  numbering.runFrames++;
  const keys: string[] = [];
  const levels: number[] = [];
  const loc = byId.location(ids[k]);
  frameKeys(loc, ctx, k > from ? locationHex(byId.location(ids[k - 1])) : '0', keys, levels);
  for (let j = 0; j < keys.length; j++) out.push(numbering.idOfFrom(keys[j], loc, levels[j]));
}

/**
 * Appends the keys of one PC to `out`, innermost inline level first, and each key's level (index
 * into loc.lines, -1 for an unnamed PC) to `outLevels`. Returns false when a level
 * is a Callback...::Run frame and `caller` is not given (the name depends on the caller).
 * The caller's list, not a new one: learn() asks once per PC, 20,000 times on a big dump.
 */
function frameKeys(loc: Location, ctx: TranslateContext, caller: string | undefined, out: string[], outLevels: number[]): boolean {
  if (ctx.granularity === 'address-only') {
    out.push(locationHex(loc));
    outLevels.push(loc.lines.length > 0 ? 0 : -1);
    return true;
  }
  const levels = loc.lines.length > 0 ? loc.lines : undefined;
  // Named frames mostly never print their address: its text is made only when a key needs it
  // (inline `hex ??=`, not a closure: that was a closure and its context per PC).
  let hex: string | undefined;
  const n = levels ? levels.length : 1;
  for (let j = n - 1; j >= 0; j--) {
    let func = levels ? levels[j].func.name : (hex ??= locationHex(loc));
    const fileLine = levels ? levels[j].fileLine : '';
    const full = levels ? levels[j].func.systemName : (hex ??= locationHex(loc));
    func = ctx.renames.get(full) ?? func;
    if (j > 0) func = `${func} (inline)`;
    if (RUN.test(func)) {
      if (caller === undefined) return false;
      let id = ctx.runIds.get(caller);
      if (id === undefined) {
        id = ctx.runIds.size + 1;
        ctx.runIds.set(caller, id);
      }
      func = `Run#${id}`;
    }
    outLevels.push(levels ? j : -1);
    switch (ctx.granularity) {
      case 'addresses':
        out.push(`${(hex ??= locationHex(loc))} ${func} ${fileLine}`);
        break;
      case 'lines':
        out.push(func === '??' && fileLine === '??:0' ? (hex ??= locationHex(loc)) : `${func} ${fileLine}`);
        break;
      case 'functions':
        out.push(func === '??' ? (hex ??= locationHex(loc)) : func);
        break;
      case 'files':
        out.push(fileLine === '??:0' || fileLine === '' ? (hex ??= locationHex(loc)) : fileLine.replace(/:\d+$/, ''));
        break;
    }
  }
  return true;
}
