// Reads what `jeprof --text` printed (the goldens in fixtures/series-refs) back into numbers: each
// block's Total and every row's flat and cum, as jeprof's %d printed them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERIES_REFS = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'fixtures', 'series-refs');

export interface JeprofTextBlock {
  /** `t2` for `Total (t2): ...`, undefined for a plain Total line. */
  thread?: string;
  total: number;
  rows: { name: string; flat: number; cum: number }[];
}

const TOTAL = /^Total(?: \(([^)]*)\))?: (\d+) (?:B|objects)$/;
const ROW = /^ *(-?\d+) +-?[\d.]+% +-?[\d.]+% +(-?\d+) +-?[\d.]+% (.*)$/;

export function parseJeprofText(text: string): JeprofTextBlock[] {
  const blocks: JeprofTextBlock[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const t = TOTAL.exec(line);
    if (t) {
      blocks.push({ thread: t[1], total: Number(t[2]), rows: [] });
      continue;
    }
    const r = ROW.exec(line);
    if (!r || blocks.length === 0) throw new Error(`not a jeprof --text line: ${JSON.stringify(line)}`);
    blocks[blocks.length - 1].rows.push({ name: r[3], flat: Number(r[1]), cum: Number(r[2]) });
  }
  return blocks;
}

/** The golden named `name` in fixtures/series-refs, parsed. */
export function seriesRef(name: string): JeprofTextBlock[] {
  return parseJeprofText(readFileSync(join(SERIES_REFS, `${name}.stdout`), 'utf8'));
}

/** jeprof's `%d` of a double: truncated toward zero. */
export const printedByJeprof = (v: number): number => Math.trunc(v);
