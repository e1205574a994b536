// Damaged-profile generators shared by the reliability tests: corpus seeds and fast-check mutations of them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = join(ROOT, 'fixtures', 'corpus');

/** Fixed seed so CI replays the same inputs; FUZZ_SEED=<n> explores others locally. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20250611);

export interface Seed {
  name: string;
  bytes: Buffer;
}

/** Every real dump (fixtures/corpus/<case>/jeprof.*.heap), symbolized ones, and every hand-made edge case (edges/*). */
export function corpusSeeds(): Seed[] {
  const out: Seed[] = [];
  for (const c of readdirSync(CORPUS).sort()) {
    let names: string[];
    try {
      names = readdirSync(join(CORPUS, c));
    } catch {
      continue;
    }
    for (const n of names.filter((x) => /^jeprof\..*\.heap$/.test(x)).sort()) out.push({ name: `${c}/${n}`, bytes: readFileSync(join(CORPUS, c, n)) });
  }
  // Symbolized profiles (what --raw writes): the real jeprof's symbol section for a case's final
  // dump, then that dump (jeprof 5.3 itself leaves the heap section empty).
  for (const c of readdirSync(CORPUS).sort()) {
    let tsv: string;
    try {
      tsv = readFileSync(join(CORPUS, c, 'refs', 'commands.tsv'), 'utf8');
    } catch {
      continue;
    }
    const raw = /^raw\t.*\s(\S+\.heap)$/m.exec(tsv);
    if (!raw) continue;
    const symbols = readFileSync(join(CORPUS, c, 'refs', 'raw.stdout'));
    out.push({ name: `${c}/symbolized:${raw[1]}`, bytes: Buffer.concat([symbols, readFileSync(join(CORPUS, c, raw[1]))]) });
  }
  const edges = join(CORPUS, 'edge-cases', 'edges');
  for (const n of readdirSync(edges).sort()) out.push({ name: `edges/${n}`, bytes: readFileSync(join(edges, n)) });
  return out;
}

/** Numbers that break naive parsing: past 2^53, 2^64, past a double (Infinity), negative, not digits. */
export const HOSTILE_NUMBERS = [
  '99999999999999999999999',
  '18446744073709551616', // 2^64
  '18446744073709551615',
  '9007199254740993', // 2^53 + 1
  '-5',
  '0',
  '9'.repeat(400), // Number() gives Infinity
  '1e308',
  'NaN',
  'Infinity',
  '0x',
  '00000000000000000000000000000000000000001',
  'ffffffffffffffffffffffffffffffffffff',
];

export const HEADERS = [
  'heap_v2/524288',
  'heap_v2/1',
  'heap_v2/0',
  'heap_v2/',
  'heap_v2/18446744073709551616',
  `heap_v2/${'9'.repeat(400)}`,
  'heap_v2/-5',
  'heap profile:     20:   111760 [    20:   111760] @ heap/1048576',
  'heap profile:     20:   111760 [    20:   111760] @ heap_v2/524288',
  'heap profile:     20:   111760 [    20:   111760] @ heapprofile',
  'heap profile:     20:   111760 [    20:   111760]',
  'heap profile:      0:        0 [     0:        0] @ heap/0',
  'heap profile: 99999999999999999999999: 1 [ 1: 1] @ growth',
  'heap',
  '%warn something odd',
  '%unknown command',
  '--- symbol',
  '--- heap',
  '--- heapz',
  'MAPPED_LIBRARIES:',
  '',
];

/** One damage step; positions are fractions of the current length so they fit any input. */
export type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; xor: number }
  | { op: 'number'; which: number; value: string }
  | { op: 'insert-text'; at: number; text: string }
  | { op: 'junk'; at: number; bytes: Uint8Array }
  | { op: 'remove-lines'; at: number; count: number }
  | { op: 'duplicate-lines'; at: number; count: number; times: number }
  | { op: 'remove-maps' }
  | { op: 'duplicate-maps' }
  | { op: 'crlf'; style: 'crlf' | 'cr' | 'mixed' }
  | { op: 'long-line'; at: number; unit: string; repeat: number }
  | { op: 'repeat-at'; at: number; line: string; repeat: number }
  | { op: 'header'; text: string }
  | { op: 'swap-lines'; a: number; b: number };

const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: frac }),
  fc.record({ op: fc.constant('flip' as const), at: frac, xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('number' as const), which: fc.nat(400), value: fc.constantFrom(...HOSTILE_NUMBERS) }),
  fc.record({
    op: fc.constant('insert-text' as const),
    at: frac,
    text: fc.oneof(
      fc.constantFrom('\n', ':', ' ', '@', '[', ']', 't*:', '\n@\n', '\nMAPPED_LIBRARIES:\n', '\n--- Memory map:\n', '\0', '\u00ff', '\ud800', '\u001b[31m', '\n%warn x\n', '\n  t1: 1: 0 [0: 0]\n'),
      fc.string({ maxLength: 40 }),
    ),
  }),
  fc.record({ op: fc.constant('junk' as const), at: frac, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ op: fc.constant('remove-lines' as const), at: frac, count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('duplicate-lines' as const), at: frac, count: fc.integer({ min: 1, max: 10 }), times: fc.integer({ min: 1, max: 50 }) }),
  fc.constant({ op: 'remove-maps' as const }),
  fc.constant({ op: 'duplicate-maps' as const }),
  fc.record({ op: fc.constant('crlf' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const) }),
  fc.record({
    op: fc.constant('long-line' as const),
    at: frac,
    unit: fc.constantFrom('x', '0x1 ', 'f', '9', '@ ', ' ', 'ab:cd '),
    // Mostly lines of a few KB, sometimes of a megabyte (those take ~100 ms each to parse).
    repeat: fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 100, max: 20_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 250_000 }) }),
  }),
  fc.record({
    op: fc.constant('repeat-at' as const),
    at: frac,
    line: fc.constantFrom('@', '@ 0x1', '@ 0x7ff74b6a2630 0x7ff74b6a2d21', 't*: 1: 1 [0: 0]', '  t2: 3: 48 [3: 48]', '@ zz', ''),
    repeat: fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 10, max: 2_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 20_000 }) }),
  }),
  fc.record({ op: fc.constant('header' as const), text: fc.constantFrom(...HEADERS) }),
  fc.record({ op: fc.constant('swap-lines' as const), a: frac, b: frac }),
);

function lineStarts(b: Buffer): number[] {
  const out = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) out.push(i + 1);
  return out;
}

/** Byte range [start, end) of `count` whole lines starting at line index `first`. */
function lineRange(b: Buffer, at: number, count: number): [number, number] {
  const starts = lineStarts(b);
  const first = Math.floor(at * starts.length);
  const start = starts[first] ?? b.length;
  const end = starts[first + count] ?? b.length;
  return [start, end];
}

export function applyMutation(b: Buffer, m: Mutation): Buffer {
  const pos = (f: number) => Math.floor(f * (b.length + 1));
  switch (m.op) {
    case 'truncate':
      return b.subarray(0, pos(m.at));
    case 'flip': {
      if (b.length === 0) return b;
      const c = Buffer.from(b);
      const i = Math.min(b.length - 1, pos(m.at));
      c[i] ^= m.xor;
      return c;
    }
    case 'number': {
      const text = b.toString('latin1');
      const runs = [...text.matchAll(/\d+/g)];
      if (runs.length === 0) return b;
      const r = runs[m.which % runs.length];
      return Buffer.concat([b.subarray(0, r.index), Buffer.from(m.value, 'latin1'), b.subarray(r.index! + r[0].length)]);
    }
    case 'insert-text': {
      const p = pos(m.at);
      return Buffer.concat([b.subarray(0, p), Buffer.from(m.text, 'utf8'), b.subarray(p)]);
    }
    case 'junk': {
      const p = pos(m.at);
      return Buffer.concat([b.subarray(0, p), Buffer.from(m.bytes), b.subarray(p)]);
    }
    case 'remove-lines': {
      const [s, e] = lineRange(b, m.at, m.count);
      return Buffer.concat([b.subarray(0, s), b.subarray(e)]);
    }
    case 'duplicate-lines': {
      const [s, e] = lineRange(b, m.at, m.count);
      const chunk = b.subarray(s, e);
      return Buffer.concat([b.subarray(0, e), ...Array.from({ length: m.times }, () => chunk), b.subarray(e)]);
    }
    case 'remove-maps': {
      const i = b.indexOf('MAPPED_LIBRARIES:');
      return i < 0 ? b : b.subarray(0, i);
    }
    case 'duplicate-maps': {
      const i = b.indexOf('MAPPED_LIBRARIES:');
      return i < 0 ? b : Buffer.concat([b, Buffer.from('\n'), b.subarray(i)]);
    }
    case 'crlf': {
      const t = b.toString('latin1');
      const out = m.style === 'crlf' ? t.replace(/\n/g, '\r\n') : m.style === 'cr' ? t.replace(/\n/g, '\r') : t.replace(/\n/g, (_s, off: number) => (off % 3 === 0 ? '\r\n' : off % 3 === 1 ? '\n\r' : '\n'));
      return Buffer.from(out, 'latin1');
    }
    case 'long-line': {
      const [s] = lineRange(b, m.at, 0);
      return Buffer.concat([b.subarray(0, s), Buffer.from(m.unit.repeat(m.repeat) + '\n', 'latin1'), b.subarray(s)]);
    }
    case 'repeat-at': {
      const [s] = lineRange(b, m.at, 0);
      return Buffer.concat([b.subarray(0, s), Buffer.from((m.line + '\n').repeat(m.repeat), 'latin1'), b.subarray(s)]);
    }
    case 'header': {
      const nl = b.indexOf(0x0a);
      return Buffer.concat([Buffer.from(m.text, 'latin1'), nl < 0 ? Buffer.from('\n') : b.subarray(nl)]);
    }
    case 'swap-lines': {
      const t = b.toString('latin1').split('\n');
      const i = Math.floor(m.a * t.length);
      const j = Math.floor(m.b * t.length);
      [t[i], t[j]] = [t[j], t[i]];
      return Buffer.from(t.join('\n'), 'latin1');
    }
  }
}

/** A corpus seed damaged by one to four mutations. */
export function mutatedProfileArb(seeds: Seed[]): fc.Arbitrary<{ seed: string; mutations: Mutation[] }> {
  return fc.record({ seed: fc.constantFrom(...seeds.map((s) => s.name)), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) });
}

/** The bytes of a seed after its mutations (kept out of the arbitrary so counterexamples print short). */
export function mutate(seeds: Seed[], input: { seed: string; mutations: Mutation[] }): Buffer {
  const s = seeds.find((x) => x.name === input.seed)!;
  return input.mutations.reduce<Buffer>((b, m) => applyMutation(b, m), s.bytes);
}

/** Describes an input for a failure message without printing megabytes. */
export function describeInput(seed: string, mutations: Mutation[]): string {
  return `${seed} + ${JSON.stringify(mutations, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}...(${v.length})` : v))}`;
}
