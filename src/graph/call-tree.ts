// The paths of stacks for flame graphs, in the order that builds their call tree (one node per
// distinct call path from the root) with no lookup. The sibling of the call graph
// (call-graph.ts), which merges paths by key.
import { giveInts, takeInts } from '../model/int-recycler.js';
import { StringTable } from '../model/string-table.js';

/** A stack as the tree takes it: frame names root first, its value, and how many innermost frames are the allocator's. */
export interface TreeStack {
  frames: readonly string[];
  /** Bytes or objects, >= 0. */
  value: number;
  /** How many innermost frames (the end of `frames`) are the allocator's own. */
  allocatorDepth: number;
  /**
   * The same frames as numbers into sortedPaths' `frameNames`, when the maker has them: a number
   * is looked up in an array, a name in a hash table (a million frames on a 24,000-stack dump).
   * With them, sortedPaths never reads `frames`, which the maker may then make only when asked.
   */
  frameIds?: ArrayLike<number>;
}

/**
 * The stacks of some value of one or more series (one profile, or current and base), each as its
 * path of name ids from the root, and the order of their paths: a flame graph's tree is these
 * paths merged by prefix (see buildTrees in report/html/flame-tree.ts).
 */
export interface SortedPaths {
  /** Name by name id. */
  names: readonly string[];
  /** Path k, root first. */
  idsOf: ArrayLike<number>[];
  /** Path k's stack's value, allocator depth and series: columns, read in path order (at random). */
  valueOf: Float64Array;
  allocatorDepthOf: Int32Array;
  seriesOf: Int32Array;
  /**
   * The paths' numbers ordered by path, name id by name id, a path before those it starts; equal
   * paths in the series' order. Paths that share a caller path are then next to each other: a
   * path leaves the one before it at some depth, and below that depth all its nodes are new.
   */
  order: Int32Array;
  /** Per series, the stacks' sum in their order (the page compares it with the total). */
  rootValue: number[];
  /** Gives back what the paths were copied into, if they were: they are not read after. */
  release(): void;
}

/**
 * The series' stacks as SortedPaths. Taking the stacks in path order, a tree is built with no
 * node ever looked up: a (parent, name) -> child hash table made every frame a random probe, on
 * the 250 MB dump's 14 million frames 2 s and 600 MB of the html report. When every stack has
 * frame ids and no two frame names are equal (the report's key numbering), the ids are the
 * paths as they are; otherwise the paths are copied, numbered by name.
 */
export function sortedPaths(series: readonly (readonly TreeStack[])[], frameNames?: readonly string[]): SortedPaths {
  let frames = 0;
  let valued = 0;
  let allIds = frameNames !== undefined;
  for (const stacks of series) {
    for (const s of stacks) {
      checkStack(s, frameNames);
      frames += depthOf(s, frameNames);
      if (s.value !== 0) valued++;
      if (!s.frameIds) allIds = false;
    }
  }
  const idsOf: ArrayLike<number>[] = new Array<ArrayLike<number>>(valued);
  const valueOf = new Float64Array(valued);
  const allocatorDepthOf = new Int32Array(valued);
  const seriesOf = new Int32Array(valued);
  const rootValue = series.map(() => 0);
  const direct = allIds && new Set(frameNames).size === frameNames!.length;
  const copy = direct ? undefined : new PathCopy(frames, frameNames);
  let k = 0;
  for (let s = 0; s < series.length; s++) {
    for (const stack of series[s]) {
      if (stack.value === 0) continue;
      rootValue[s] += stack.value;
      idsOf[k] = copy ? copy.add(stack) : stack.frameIds!;
      valueOf[k] = stack.value;
      allocatorDepthOf[k] = stack.allocatorDepth;
      seriesOf[k] = s;
      k++;
    }
  }
  // The 1 GB dump's paths are 64 million ids: copied, they were 256 MB more at the html report's peak.
  const names = copy ? copy.names : frameNames!;
  return { names, idsOf, valueOf, allocatorDepthOf, seriesOf, order: pathOrder(idsOf), rootValue, release: () => copy?.release() };
}

/** Paths copied into one array, each name numbered once, as met: for stacks by name, or frame ids that share names. */
class PathCopy {
  private readonly table = new StringTable();
  /** By frame id: 1 + the name id, 0 not yet met. */
  private readonly byFrameId: Int32Array;
  // Recycled: every slot up to the last path's end is written.
  private readonly seq: Int32Array;
  private at = 0;

  constructor(
    frames: number,
    private readonly frameNames: readonly string[] | undefined,
  ) {
    this.byFrameId = new Int32Array(frameNames?.length ?? 0);
    this.seq = takeInts(frames);
  }

  add(stack: TreeStack): Int32Array {
    const from = this.at;
    // With ids, the names are never read here (a stack may make them only when asked).
    const fids = this.frameNames ? stack.frameIds : undefined;
    if (fids) {
      for (let d = 0; d < fids.length; d++) {
        const f = fids[d];
        let id = this.byFrameId[f] - 1;
        if (id < 0) this.byFrameId[f] = (id = this.table.index(this.frameNames![f])) + 1;
        this.seq[this.at++] = id;
      }
    } else {
      for (const name of stack.frames) this.seq[this.at++] = this.table.index(name);
    }
    return this.seq.subarray(from, this.at);
  }

  get names(): readonly string[] {
    return this.table.strings;
  }

  release(): void {
    giveInts(this.seq);
  }
}

function pathOrder(idsOf: readonly ArrayLike<number>[]): Int32Array {
  const order = new Int32Array(idsOf.length);
  for (let k = 0; k < order.length; k++) order[k] = k;
  return order.sort((a, b) => {
    const pa = idsOf[a];
    const pb = idsOf[b];
    const n = pa.length < pb.length ? pa.length : pb.length;
    for (let d = 0; d < n; d++) {
      const x = pa[d] - pb[d];
      if (x !== 0) return x;
    }
    return pa.length - pb.length || a - b;
  });
}

/** How many frames the tree reads of `s`: its ids when it has them and names are given, else its names. */
function depthOf(s: TreeStack, frameNames: readonly string[] | undefined): number {
  return frameNames && s.frameIds ? s.frameIds.length : s.frames.length;
}

function checkStack(s: TreeStack, frameNames: readonly string[] | undefined): void {
  if (frameNames && s.frameIds) {
    for (let d = 0; d < s.frameIds.length; d++) {
      const f = s.frameIds[d];
      if (!(f >= 0 && f < frameNames.length)) throw new RangeError(`frame id ${f} is not one of the ${frameNames.length} frame names`);
    }
  }
  if (!Number.isFinite(s.value) || s.value < 0) throw new RangeError(`a stack's value must be a finite number >= 0, not ${s.value}`);
  const n = depthOf(s, frameNames);
  if (!Number.isInteger(s.allocatorDepth) || s.allocatorDepth < 0 || s.allocatorDepth > n) {
    throw new RangeError(`allocatorDepth ${s.allocatorDepth} is not between 0 and the stack's ${n} frames`);
  }
}

