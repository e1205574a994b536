// trend --json and top --json against the real jeprof: for every dump of two real series, each
// row's value (flat, cum with --cum, objects, lines) and each dump's Total equal what
// `jeprof --text --show_bytes` printed for that dump alone (fixtures/series-refs), up to its %d.
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SeriesRow } from '../../src/graph/series.js';
import { runCli } from '../helpers/capture.js';
import { CORPUS, installCase, OPT_ROOT } from '../helpers/corpus.js';
import { printedByJeprof, seriesRef, type JeprofTextBlock } from '../helpers/jeprof-text.js';
import { assertSchema } from '../helpers/schemas.js';

/** A row of the JSON document: the series row with its display name for a key. */
type TrendRow = Omit<SeriesRow, 'key' | 'origin'> & { name: string };
interface TrendDoc {
  schema: string;
  unit: string;
  sampleType: string;
  profiles: { file: string; pid?: number; seq?: number; total: number }[];
  total: TrendRow;
  rows: TrendRow[];
}
interface TopDoc {
  schema: string;
  unit: string;
  total: number;
  rows: { name: string; flat: number; cum: number }[];
  threads?: { thread: string; total: number; rows: { name: string; flat: number; cum: number }[] }[];
}

const SERIES = { 'seed-leak': /^jeprof\.7069\.\d+\.[imfu]\d*\.heap$/, threads: /^jeprof\.30138\.\d+\.[imfu]\d*\.heap$/ } as const;
type Case = keyof typeof SERIES;

/** The case's dumps in sequence order (the order jemalloc wrote them). */
function dumpsOf(c: Case): string[] {
  const seq = (f: string) => Number(f.split('.')[2]);
  return readdirSync(`${CORPUS}/${c}`).filter((f) => SERIES[c].test(f)).sort((a, b) => seq(a) - seq(b));
}

async function json<T>(c: Case, args: string[], schema: string): Promise<T> {
  const r = await runCli(args, { cwd: `${OPT_ROOT}/${c}` });
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as T;
  assertSchema(schema, doc);
  return doc;
}

/** Every row jeprof printed has our value (truncated as its %d does), and every row we have that it did not print is 0. */
function expectSameRows(ours: Map<string, number>, ref: JeprofTextBlock, pick: 'flat' | 'cum', where: string): void {
  const theirs = new Map(ref.rows.map((r) => [r.name, r[pick]]));
  for (const [name, v] of theirs) // A row that is 0 in every dump is left out of the series.
  for (const [name, v] of theirs) expect(printedByJeprof(ours.get(name) ?? 0), `${where}: ${pick} of ${name}`).toBe(v);
  for (const [name, v] of ours) if (!theirs.has(name)) expect(v, `${where}: ${name} is not in jeprof's report`).toBe(0);
}

beforeAll(() => {
  for (const c of Object.keys(SERIES)) installCase(c);
});

describe.each(Object.keys(SERIES) as Case[])('trend --json on the %s series equals jeprof, dump by dump', (c) => {
  const dumps = dumpsOf(c);
  const app = `${OPT_ROOT}/${c}/app`;
  // Given in reverse: trend puts them back in sequence order.
  const args = (...extra: string[]) => ['trend', '--json', '--no-trim-allocator', ...extra, app, ...[...dumps].reverse()];

  it('orders the dumps by sequence number and names pid and seq', async () => {
    const doc = await json<TrendDoc>(c, args(), 'trend-1');
    expect(doc.profiles.map((p) => p.file)).toEqual(dumps);
    expect(doc.profiles.map((p) => p.seq)).toEqual(dumps.map((d) => Number(d.split('.')[2])));
    expect(new Set(doc.profiles.map((p) => p.pid))).toEqual(new Set([Number(dumps[0].split('.')[1])]));
  });

  for (const [mode, extra, ref, pick] of [
    ['flat bytes', [], 'bytes', 'flat'],
    ['cum bytes (--cum)', ['--cum'], 'bytes', 'cum'],
    ['flat objects (--inuse_objects)', ['--inuse_objects'], 'objects', 'flat'],
    ['flat lines (--lines)', ['--lines'], 'lines', 'flat'],
    ['cum lines (--lines --cum)', ['--lines', '--cum'], 'lines', 'cum'],
  ] as const) {
    it(`${mode}: each dump's rows and Total`, async () => {
      const doc = await json<TrendDoc>(c, args(...extra), 'trend-1');
      expect(doc.unit).toBe(ref === 'objects' ? 'objects' : 'bytes');
      dumps.forEach((d, i) => {
        const [block] = seriesRef(`${c}-${ref}-${d}`);
        expect(printedByJeprof(doc.profiles[i].total), `${d}: Total`).toBe(block.total);
        expect(printedByJeprof(doc.total.values[i]), `${d}: Total row`).toBe(block.total);
        expectSameRows(new Map(doc.rows.map((r) => [r.name, r.values[i]])), block, pick, d);
      });
      // Real series, real values: the test compares something.
      expect(doc.rows.length).toBeGreaterThan(pick === 'cum' ? 10 : 1);
      for (const r of doc.rows) {
        expect(r.first).toBe(r.values[0]);
        expect(r.last).toBe(r.values[r.values.length - 1]);
        expect(r.growth).toBeCloseTo(r.last - r.first, 6);
      }
    });
  }
});

describe('top --json equals jeprof --text --show_bytes', () => {
  const cases: [string, Case, string[]][] = [
    ['seed-leak-bytes-jeprof.7069.8.f.heap', 'seed-leak', ['app', 'jeprof.7069.8.f.heap']],
    ['seed-leak-base-i0-i7', 'seed-leak', ['--base=jeprof.7069.0.i0.heap', 'app', 'jeprof.7069.7.i7.heap']],
    ['seed-leak-focus', 'seed-leak', ['--focus=leak_some', 'app', 'jeprof.7069.8.f.heap']],
    ['seed-leak-lines-jeprof.7069.5.i5.heap', 'seed-leak', ['--lines', 'app', 'jeprof.7069.5.i5.heap']],
    ['threads-objects-jeprof.30138.10.f.heap', 'threads', ['--inuse_objects', 'app', 'jeprof.30138.10.f.heap']],
    ['threads-files', 'threads', ['--files', 'app', 'jeprof.30138.10.f.heap']],
    ['threads-thread2-base', 'threads', ['--thread=2', '--base=jeprof.30138.0.i0.heap', 'app', 'jeprof.30138.8.i8.heap']],
  ];
  it.each(cases)('%s', async (ref, c, args) => {
    const doc = await json<TopDoc>(c, ['top', '--json', ...args], 'top-1');
    const blocks = seriesRef(ref);
    const ours = doc.threads ?? [{ thread: null, total: doc.total, rows: doc.rows }];
    expect(ours.length).toBe(blocks.length);
    ours.forEach((t, i) => {
      expect(printedByJeprof(t.total)).toBe(blocks[i].total);
      // In the text report's order, every row, nothing more.
      expect(t.rows.map((r) => r.name)).toEqual(blocks[i].rows.map((r) => r.name));
      expect(t.rows.map((r) => [printedByJeprof(r.flat), printedByJeprof(r.cum)])).toEqual(blocks[i].rows.map((r) => [r.flat, r.cum]));
    });
  });

  it('--thread=*: one report per thread, in jeprof order', async () => {
    const doc = await json<TopDoc>('threads', ['top', '--json', '--thread=*', 'app', 'jeprof.30138.10.f.heap'], 'top-1');
    const blocks = seriesRef('threads-thread-star');
    expect(doc.threads!.length).toBe(blocks.length);
    expect(blocks.length).toBeGreaterThan(2);
    doc.threads!.forEach((t, i) => {
      expect(`t${t.thread}`).toBe(blocks[i].thread);
      expect(printedByJeprof(t.total)).toBe(blocks[i].total);
      expect(t.rows.map((r) => [r.name, printedByJeprof(r.flat), printedByJeprof(r.cum)])).toEqual(blocks[i].rows.map((r) => [r.name, r.flat, r.cum]));
    });
  });

  it('an empty report (alloc_objects: jemalloc keeps no allocation counts) is total 0 and no rows, as jeprof prints nothing', async () => {
    expect(seriesRef('seed-leak-alloc-objects')).toEqual([]);
    const doc = await json<TopDoc>('seed-leak', ['top', '--json', '--alloc_objects', 'app', 'jeprof.7069.8.f.heap'], 'top-1');
    expect(doc.total).toBe(0);
    expect(doc.rows).toEqual([]);
  });

  it('--json is the top report only: with another mode it is a usage error', async () => {
    const flag = await runCli(['--collapsed', '--json', 'app', 'jeprof.7069.8.f.heap'], { cwd: `${OPT_ROOT}/seed-leak` });
    expect([flag.code, flag.stdout]).toEqual([1, '']);
    expect(flag.stderr).toBe("jeprof-ts: --json is for the top report (--text), not --collapsed; trend, check and doctor take it too (see 'jeprof-ts --help')\n");
    const sub = await runCli(['collapsed', '--json', 'app', 'jeprof.7069.8.f.heap'], { cwd: `${OPT_ROOT}/seed-leak` });
    expect(sub.code).toBe(1);
    expect(sub.stderr).toBe("jeprof-ts: unknown option '--json' (see 'jeprof-ts collapsed --help')\n");
  });

  it('the program may be left out: the first dump names it, one stderr line says so', async () => {
    const r = await runCli(['top', '--json', 'jeprof.7069.8.f.heap'], { cwd: `${OPT_ROOT}/seed-leak` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`jeprof-ts: program ${OPT_ROOT}/seed-leak/app (the first dump's map names it; give the program first to use another)\n`);
    const doc = JSON.parse(r.stdout) as TopDoc;
    expect(doc.rows.map((x) => x.name)).toEqual(seriesRef('seed-leak-bytes-jeprof.7069.8.f.heap')[0].rows.map((x) => x.name));
  });
});
