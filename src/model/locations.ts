// Gives each distinct address one Location, shared by every sample and every profile of a run.
import type { Location } from './profile.js';

export class LocationTable {
  private readonly byAddress = new Map<bigint, Location>();
  readonly all: Location[] = [];

  /** The Location for `address`, created on first use. */
  get(address: bigint): Location {
    let loc = this.byAddress.get(address);
    if (!loc) {
      loc = { id: this.all.length + 1, address, lines: [] };
      this.byAddress.set(address, loc);
      this.all.push(loc);
    }
    return loc;
  }

  /** The Location numbered `id` (ids count from 1 in creation order). */
  byId(id: number): Location {
    return this.all[id - 1];
  }

  find(address: bigint): Location | undefined {
    return this.byAddress.get(address);
  }
}
