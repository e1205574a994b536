// The made-up `calc` program of fixtures/bin/calc.json: its samples and source files, for the
// --list and --disasm tests.
import type { FlatCum } from '../../src/graph/build.js';
import { perlLines, type SourceReader } from '../../src/report/routines.js';

export const MB = 1048576;

/** Source files by path; any other path reads as missing, the way jeprof reports it. */
export function sources(files: Record<string, string>): SourceReader {
  return (p) => (p in files ? { lines: perlLines(files[p]) } : { error: 'No such file or directory' });
}

/**
 * Two stacks, leaf first: malloc called from compute (0x401012, in the call at 0x401010) under main
 * (0x401094), 3 MB; and one from helper (0x401052) under compute (0x401008) under main, 1 MB.
 */
export function calcSamples(): FlatCum {
  return {
    flat: new Map([
      ['0000000000401012', 3 * MB],
      ['0000000000401052', 1 * MB],
    ]),
    cum: new Map([
      ['0000000000401012', 3 * MB],
      ['0000000000401094', 4 * MB],
      ['0000000000401052', 1 * MB],
      ['0000000000401008', 1 * MB],
    ]),
  };
}
