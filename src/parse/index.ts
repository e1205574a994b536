// Recognises a profile file's format from its header (jeprof's ReadProfileHeader) and reads it.
import { readSync } from 'node:fs';
import { ProfileFormatError } from '../model/errors.js';
import type { LocationTable } from '../model/locations.js';
import { readGperftoolsHeap } from './gperftools-heap.js';
import { readJemallocHeap } from './jemalloc-heap.js';
import { LineReader } from './lines.js';
import { readSymbolSection, type SymbolSection } from './symbolized.js';
import type { HeapFile, ParseOptions } from './types.js';

export type { HeapFile, ParseOptions } from './types.js';

/** True when the text is a symbolized profile (jeprof --raw output), which needs no program. */
export function isSymbolizedProfile(head: string): boolean {
  let rest = head;
  while (rest.startsWith('%')) rest = rest.slice(rest.indexOf('\n') + 1 || rest.length);
  return /^--- *symbol/.test(rest);
}

/** Parses profile text; throws ProfileFormatError naming the file and line when it is not one. */
export function parseProfileText(data: string, name: string, table: LocationTable, opts: ParseOptions = {}): HeapFile {
  return parseProfile(new LineReader(data), data.charCodeAt(0), name, table, opts);
}

/** Parses a profile streamed from an open file descriptor (memory grows with distinct stacks only). */
export function parseProfileFd(fd: number, name: string, table: LocationTable, opts: ParseOptions = {}): HeapFile {
  const first = Buffer.alloc(1);
  const n = readSync(fd, first, 0, 1, 0);
  return parseProfile(new LineReader('', fd), n === 0 ? NaN : first[0], name, table, opts);
}

function parseProfile(reader: LineReader, firstByte: number, name: string, table: LocationTable, opts: ParseOptions): HeapFile {
  if (Number.isNaN(firstByte)) throw new ProfileFormatError(name, 0, 'file is empty, not a heap profile');
  // jeprof: a first byte that is not printable ASCII means a binary (CPU) profile.
  if (firstByte < 0x20 || firstByte > 0x7e) {
    throw new ProfileFormatError(name, 1, 'binary data, not a heap profile (CPU profiles are not supported; expected heap_v2/<rate> or "heap profile:")');
  }
  const notices: string[] = [];
  let header = nextHeader(reader, notices);
  if (!header) throw new ProfileFormatError(name, reader.lineNumber, 'profile is empty: no header line after the % commands');
  let symbols: SymbolSection | undefined;
  if (/^--- *symbol/.test(header.text)) {
    symbols = readSymbolSection(reader);
    for (const n of symbols.notices) notices.push(n);
    header = nextHeader(reader, notices) ?? { text: '', number: reader.lineNumber };
  }
  if (/^--- *(heap|growth)/.test(header.text)) {
    header = nextHeader(reader, notices) ?? { text: '', number: reader.lineNumber };
  }
  let file: HeapFile;
  if (header.text.startsWith('heap profile:')) {
    file = readGperftoolsHeap(name, header, reader, table);
  } else if (header.text.startsWith('heap')) {
    file = readJemallocHeap(name, header, reader, table, opts);
  } else if (symbols) {
    throw new ProfileFormatError(name, header.number, `cannot recognize the profile section after the symbols: '${header.text.slice(0, 40)}'`);
  } else {
    throw new ProfileFormatError(name, header.number, `not a heap profile: expected 'heap_v2/<rate>' or 'heap profile:', found '${header.text.slice(0, 40)}'`);
  }
  file.notices = notices.concat(file.notices);
  file.symbols = symbols;
  return file;
}

/** Skips `%` command lines, collecting jeprof's notices for them, and returns the header line. */
function nextHeader(reader: LineReader, notices: string[]): { text: string; number: number } | undefined {
  for (let line = reader.next(); line; line = reader.next()) {
    const w = /^%warn\s+(.*)/.exec(line.text + '\n');
    if (w) notices.push(`WARNING: ${w[1]}`);
    else if (line.text.startsWith('%')) notices.push(`Ignoring unknown command from profile header: ${line.text}`);
    else return line;
  }
  return undefined;
}
