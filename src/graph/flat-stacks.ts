// Stacks as ranges of location ids in one Int32Array: the analysis's per-frame passes then read
// integers in order instead of chasing a Location object per frame (a million frames in a 24k-stack dump).
import { giveInts, takeInts } from '../model/int-recycler.js';
import type { Location } from '../model/profile.js';
import type { Stack } from './stacks.js';

export class FlatStacks {
  /** Every stack's location ids end to end, leaf first. */
  readonly ids: Int32Array;
  /** Stack i is ids[starts[i] .. starts[i + 1]). */
  readonly starts: Int32Array;
  /** Location by id, for every id in `ids`. */
  readonly byId: Location[] = [];
  private released = false;

  constructor(stacks: readonly Stack[]) {
    let frames = 0;
    for (let i = 0; i < stacks.length; i++) frames += stacks[i].locations.length;
    this.ids = takeInts(frames);
    this.starts = new Int32Array(stacks.length + 1);
    const ids = this.ids;
    const byId = this.byId;
    let at = 0;
    for (let i = 0; i < stacks.length; i++) {
      const locs = stacks[i].locations;
      this.starts[i] = at;
      for (let j = 0; j < locs.length; j++) {
        const l = locs[j];
        const id = l.id;
        if (byId[id] === undefined) byId[id] = l;
        ids[at++] = id;
      }
    }
    this.starts[stacks.length] = at;
  }

  get count(): number {
    return this.starts.length - 1;
  }

  /** Done reading: the ids array goes to the next table made (see takeInts). */
  release(): void {
    if (this.released) return;
    this.released = true;
    giveInts(this.ids);
  }
}
