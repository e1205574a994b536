// The differential view's table: per function, flat and cum in the current profile and the base.
import type { StringTable } from '../../model/string-table.js';
import type { HtmlStack } from './types.js';
import type { WireDelta } from './wire.js';

interface Sums {
  flat: number[];
  cum: number[];
}

/**
 * Flat and cum per function name in `cur` and in `base`, allocator frames trimmed as the top
 * table trims them; a name counts once per stack in cum however often it recurs. Only functions
 * that changed, by |cum delta| descending, then |flat delta|, then name.
 */
export function deltaRows(cur: readonly HtmlStack[], base: readonly HtmlStack[], table: StringTable): WireDelta {
  const names: string[] = [];
  const ids = new Map<string, number>();
  const sums: Sums[] = [
    { flat: [], cum: [] },
    { flat: [], cum: [] },
  ];
  /** Per name, the last stack that counted it in cum. */
  const seen: number[] = [];
  let stackNo = 0;
  [cur, base].forEach((stacks, s) => {
    for (const st of stacks) {
      stackNo++;
      const keep = st.frames.length - st.allocatorDepth;
      for (let d = 0; d < keep; d++) {
        let id = ids.get(st.frames[d]);
        if (id === undefined) {
          id = names.length;
          names.push(st.frames[d]);
          ids.set(st.frames[d], id);
          for (const x of sums) {
            x.flat.push(0);
            x.cum.push(0);
          }
          seen.push(0);
        }
        if (seen[id] !== stackNo) {
          seen[id] = stackNo;
          sums[s].cum[id] += st.value;
        }
        if (d === keep - 1) sums[s].flat[id] += st.value;
      }
    }
  });
  const [c, b] = sums;
  const changed: number[] = [];
  for (let id = 0; id < names.length; id++) if (c.flat[id] !== b.flat[id] || c.cum[id] !== b.cum[id]) changed.push(id);
  const cumDelta = (id: number) => Math.abs(c.cum[id] - b.cum[id]);
  const flatDelta = (id: number) => Math.abs(c.flat[id] - b.flat[id]);
  changed.sort((x, y) => cumDelta(y) - cumDelta(x) || flatDelta(y) - flatDelta(x) || (names[x] < names[y] ? -1 : names[x] > names[y] ? 1 : 0));
  return {
    name: changed.map((id) => table.index(names[id])),
    flatCur: changed.map((id) => c.flat[id]),
    flatBase: changed.map((id) => b.flat[id]),
    cumCur: changed.map((id) => c.cum[id]),
    cumBase: changed.map((id) => b.cum[id]),
  };
}
