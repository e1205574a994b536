// jemalloc's named per-thread header rows are not counts and not damage.
import { describe, expect, it } from 'vitest';
import { LocationTable } from '../../src/model/locations.js';
import { parseProfileText } from '../../src/parse/index.js';

describe('thread names in heap_v2 rows', () => {
  it('skips named header rows silently, and warns when one appears inside a stack', () => {
    const text = ['heap_v2/1', '  t*: 2: 20 [0: 0]', '  t1: 2: 20 [0: 0] parser', '@ 0x10 0x20', '  t*: 2: 20 [0: 0]', '  t1: 2: 20 [0: 0] parser', ''].join('\n');
    const f = parseProfileText(text, 'x.heap', new LocationTable());
    // Only the t* row of the stack counts; the named t1 row is ignored as jeprof's pattern does.
    expect(f.profile.samples.map((s) => [...s.labels.values()].join(''))).toEqual(['']);
    expect(f.warnings.filter((w) => w.includes('thread name'))).toEqual(['x.heap:6: per-thread row with a thread name inside a stack; ignored, as jeprof does']);
    expect(f.warnings.some((w) => w.includes(':3:'))).toBe(false);
  });
});
