// toPprof on a hand-made model: pprof's Line order, mapping ends, the exact-value and name
// fields written only where pprof's own fields cannot carry jeprof's data, and int64 rounding.
import { describe, expect, it } from 'vitest';
import type { Func, Location, Mapping } from '../../src/model/profile.js';
import { HEAP_SAMPLE_TYPES } from '../../src/model/profile.js';
import { exportStacksOf, pprofPieces, roundValue, toPprof } from '../../src/pprof/to-pprof.js';
import { gzipSync } from 'node:zlib';
import { decodePprof, gzipMembers } from '../helpers/pprof-message.js';

const mapping: Mapping = { id: 1, start: 0x1000n, limit: 0x2000n, offset: 0x100n, file: '/bin/app' };
const outer: Func = { id: 1, name: 'outer', systemName: 'outer(int)<0000000000001100>', filename: 'a.c' };
const inl: Func = { id: 2, name: 'inl', systemName: 'inl', filename: 'a.h' };
const leaf: Location = { id: 1, address: 0x1234n, mapping, lines: [{ func: outer, line: 10, fileLine: 'a.c:10' }, { func: inl, line: 3, fileLine: 'a.h:3 (discriminator 2)' }] };
const caller: Location = { id: 2, address: 0x1300n, mapping, lines: [{ func: outer, line: 20, fileLine: 'a.c:20' }], text: '0000000000001300' };

describe('toPprof', () => {
  // Read back with the library's own decoder: the streaming writer must write what it reads.
  const input: Parameters<typeof toPprof>[0] = {
    sampleTypes: HEAP_SAMPLE_TYPES,
    defaultSampleType: 'inuse_objects',
    period: 524288,
    kind: 'heap',
    program: '/bin/app',
    locations: [leaf, caller],
    reports: [{ thread: '7', stacks: exportStacksOf([{ locationIds: [1, 2], values: [2, 2048, 1.5, 1536.25] }, { locationIds: [2], values: [1, 64, 1, 64] }], 4), totals: [3, 2112, 2.5, 1600.25] }],
    mainMapping: mapping,
    buildId: () => 'abcdef',
    mangledName: (f) => (f === outer ? '_Z5outeri' : undefined),
    comments: ['jeprof-ts test'],
    timeNanos: 5n,
  };
  const p = decodePprof(toPprof(input));
  const s = (i: bigint | number) => p.stringTable[Number(i)];

  it('cuts its bytes into pieces between samples, whose concatenation is the whole, and gzips them as members of one file', () => {
    const whole = toPprof(input);
    // A cut after every frame: one before the second sample, so two pieces (the last holds the rest).
    const pieces = [...pprofPieces(input, 1)];
    expect(pieces.length).toBe(2);
    expect(Buffer.compare(Buffer.concat(pieces), whole)).toBe(0);
    // The first piece ends with the first sample whole: the sample's field is the last thing in it.
    expect(decodePprof(pieces[0]).sample.length).toBe(1);
    // Each piece gzipped alone, the members one after the other: one gzip file, read as the whole.
    const file = Buffer.concat(pieces.map((x) => gzipSync(x)));
    expect(gzipMembers(file)).toBe(2);
    expect(decodePprof(file)).toEqual(p);
    // Without a cut, one piece.
    expect([...pprofPieces(input)].length).toBe(1);
  });

  it('writes pprof fields as pprof reads them', () => {
    expect(p.sampleType.map((t) => `${s(t.type)}/${s(t.unit)}`)).toEqual(['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes']);
    expect(s(p.defaultSampleType)).toBe('inuse_objects');
    expect([s(p.periodType!.type), s(p.periodType!.unit), p.period]).toEqual(['space', 'bytes', 524288n]);
    const m = p.mapping[0];
    expect([m.memoryStart, m.memoryLimit, m.fileOffset, s(m.filename), s(m.buildId)]).toEqual([0x1000n, 0x2000n, 0x100n, '/bin/app', 'abcdef']);
    expect([m.hasFunctions, m.hasFilenames, m.hasLineNumbers, m.hasInlineFrames]).toEqual([true, true, true, true]);
    // Innermost first: the inlined callee, then the function the address is in.
    expect(p.location[0].line.map((l) => [s(p.function[l.functionId - 1].name), l.line])).toEqual([['inl', 3], ['outer(int)', 10]]);
    const f = p.function.find((x) => s(x.name) === 'outer(int)')!;
    expect([s(f.systemName), s(f.filename), s(f.jeprofFullName), f.jeprofShortName]).toEqual(['_Z5outeri', 'a.c', 'outer(int)<0000000000001100>', 0n]);
    // A name with no linker name known says its full name there.
    expect(s(p.function.find((x) => s(x.name) === 'inl')!.systemName)).toBe('inl');
    expect(p.sample[0].label.map((l) => [s(l.key), l.num])).toEqual([['thread', 7n]]);
    expect(p.comment.map(s)).toEqual(['jeprof-ts test']);
    expect(p.timeNanos).toBe(5n);
  });

  it("carries jeprof's data where pprof's fields cannot, and only there", () => {
    // 1.5 objects and 1536.25 bytes round to 2 and 1536; the doubles go along.
    expect(p.sample[0].value).toEqual([2n, 2048n, 2n, 1536n]);
    expect(p.sample[0].jeprofValue).toEqual([2, 2048, 1.5, 1536.25]);
    // Whole numbers: the integers are exact.
    expect(p.sample[1].jeprofValue).toEqual([]);
    // addr2line's discriminator is not `file:line`; `a.c:10` is.
    expect(p.location[0].line.map((l) => (l.jeprofFileLine === 0 ? '' : s(l.jeprofFileLine)))).toEqual(['a.h:3 (discriminator 2)', '']);
    expect(s(p.location[1].jeprofText)).toBe('0000000000001300');
    expect(p.jeprofTotal.map((t) => [s(t.thread), t.value])).toEqual([['7', [3, 2112, 2.5, 1600.25]]]);
    expect(s(p.jeprofKind)).toBe('heap');
  });

  it('rounds halves away from zero and clamps to int64', () => {
    expect([2.5, -2.5, 0.49, -0.5, 1e300, -Infinity, NaN].map(roundValue)).toEqual([3n, -3n, 0n, -1n, 2n ** 63n - 1n, -(2n ** 63n - 1n), 0n]);
  });
});
