// Tests dumpProfile (src/model/dump.ts): the canonical sorted text used by parser goldens.
import { describe, expect, it } from 'vitest';
import { dumpProfile } from '../../src/model/dump.js';
import { emptyHeapProfile, type Location } from '../../src/model/profile.js';

describe('dumpProfile', () => {
  it('prints types, period, sorted samples with labels, and mappings', () => {
    const a: Location = { id: 1, address: 0x10n, lines: [] };
    const b: Location = { id: 2, address: 0x7f0000000020n, lines: [] };
    const p = emptyHeapProfile(524288);
    p.locations = [a, b];
    p.samples = [
      { locations: [b, a], values: [0, 0, 2, 20], labels: new Map([['thread', '1']]) },
      { locations: [a, b], values: [0, 0, 1, 10], labels: new Map() },
    ];
    p.mappings = [{ id: 1, start: 0x400000n, limit: 0x401000n, offset: 0x1000n, file: '/bin/x' }];
    expect(dumpProfile(p)).toBe(
      [
        'sample types: alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes (default inuse_space)',
        'period: 524288',
        'samples: 2',
        // sorted as strings: '0 0 1 10 @' < '0 0 2 20 {'
        '0 0 1 10 @ 0000000000000010 00007f0000000020',
        '0 0 2 20 {thread=1} @ 00007f0000000020 0000000000000010',
        'mappings: 1',
        '0000000000400000-0000000000401000 0000000000001000 /bin/x',
        '',
      ].join('\n'),
    );
  });
});
