// Gives each distinct address one Location, shared by every sample and every profile of a run.
import { AddressIndex, highHalf, joinHalves } from './address-index.js';
import type { Line, Location } from './profile.js';

export class LocationTable {
  /** Addresses up to 2^53 (all of user space) by their double value; the rest by BigInt. */
  // Sized for a few thousand PCs: a big dump's 20,000 then cost two rehashes instead of six.
  private readonly small = new AddressIndex(1 << 14);
  private readonly big = new Map<bigint, Location>();
  /** Leaves spelled with upper-case digits, by their text (see Location.text). */
  private readonly cased = new Map<string, Location>();
  readonly all: Location[] = [];

  /** The Location for `address`, created on first use. */
  get(address: bigint): Location {
    if (address <= MAX_EXACT) return this.byId(this.idOf(Number(address)));
    let loc = this.big.get(address);
    if (!loc) {
      loc = this.add(address);
      this.big.set(address, loc);
    }
    return loc;
  }

  /** The id of the Location for an address given as a double no larger than 2^53 - 1. */
  idOf(address: number): number {
    return this.idOfHalves(highHalf(address), address | 0);
  }

  /** idOf for the address whose high and low 32 bits are `hi` (below 2^21) and `lo` (as int32). */
  idOfHalves(hi: number, lo: number): number {
    let id = this.small.getHalves(hi, lo);
    if (id === 0) {
      id = this.add(BigInt(joinHalves(hi, lo))).id;
      this.small.setHalves(hi, lo, id);
    }
    return id;
  }

  /** The Location of a leaf spelled `text` (16 digits, some upper case) for `address`, created on first use. */
  getCased(address: bigint, text: string): Location {
    let loc = this.cased.get(text);
    if (!loc) {
      loc = this.add(address, text);
      this.cased.set(text, loc);
    }
    return loc;
  }

  private add(address: bigint, text?: string): Location {
    // `mapping` and `text` have their slots from the start: set later, they would give each of
    // 20,000 Locations a separate property store. Unsymbolized PCs share one empty list (lines
    // are replaced, never pushed to).
    const loc: Location = { id: this.all.length + 1, address, mapping: undefined, lines: NO_LINES, text };
    this.all.push(loc);
    return loc;
  }

  /** The Location numbered `id` (ids count from 1 in creation order). */
  byId(id: number): Location {
    return this.all[id - 1];
  }

  /** The Location of a leaf spelled `text` (see getCased), if the dumps had one. */
  findCased(text: string): Location | undefined {
    return this.cased.get(text);
  }

  find(address: bigint): Location | undefined {
    if (address <= MAX_EXACT) {
      const id = this.small.get(Number(address));
      return id === 0 ? undefined : this.byId(id);
    }
    return this.big.get(address);
  }
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
/** The lines of every PC not yet symbolized; frozen, so code that pushed to it would fail loudly. */
const NO_LINES: Line[] = Object.freeze([]) as unknown as Line[];
