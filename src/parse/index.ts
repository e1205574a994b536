// Recognises a profile file's format from its first bytes (a list of formats tried in turn) and
// reads it; jeprof's text formats by their header, as jeprof's ReadProfileHeader.
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

/** Where a profile's bytes come from: an open file (streamed) or text already in memory. */
export type ProfileSource = { fd: number } | { text: string };

/**
 * A profile format: whether a file's first bytes are it, and how to read it. Formats are tried in
 * turn (pprof's parseLegacy and speedscope's importers do the same), so reading another format is
 * one more entry in FORMATS.
 */
export interface ProfileFormat {
  name: string;
  sniff(head: Uint8Array): boolean;
  /** Reads the whole profile; ProfileFormatError when it is this format but broken. */
  read(source: ProfileSource, name: string, table: LocationTable, opts: ParseOptions): HeapFile;
}

/**
 * jeprof's text profiles: jemalloc's heap_v2, gperftools' `heap profile:`, and symbolized ones
 * (jeprof --raw), each maybe after `%` command lines. jeprof takes a first byte that is not
 * printable ASCII for a binary (CPU) profile.
 */
const JEPROF_TEXT: ProfileFormat = {
  name: 'jeprof text',
  sniff: (head) => head.length > 0 && head[0] >= 0x20 && head[0] <= 0x7e,
  read: (source, name, table, opts) => parseText('fd' in source ? new LineReader('', source.fd, undefined, opts.runStacks) : new LineReader(source.text), name, table, opts),
};

export const FORMATS: ProfileFormat[] = [JEPROF_TEXT];

/** The format of a file whose first bytes are `head`, or a ProfileFormatError saying it is none. */
function formatOf(head: Uint8Array, name: string): ProfileFormat {
  if (head.length === 0) throw new ProfileFormatError(name, 0, 'file is empty, not a heap profile');
  const f = FORMATS.find((x) => x.sniff(head));
  if (!f) throw new ProfileFormatError(name, 1, 'binary data, not a heap profile (CPU profiles are not supported; expected heap_v2/<rate> or "heap profile:")');
  return f;
}

/** How many first bytes the formats look at. */
const HEAD_BYTES = 64;

/** Parses profile text; throws ProfileFormatError naming the file and line when it is not one. */
export function parseProfileText(data: string, name: string, table: LocationTable, opts: ParseOptions = {}): HeapFile {
  // UTF-8, so a first character past ASCII is not printable ASCII, as jeprof sees its first byte.
  return formatOf(Buffer.from(data.slice(0, HEAD_BYTES), 'utf8'), name).read({ text: data }, name, table, opts);
}

/** Parses a profile streamed from an open file descriptor (memory grows with distinct stacks only). */
export function parseProfileFd(fd: number, name: string, table: LocationTable, opts: ParseOptions = {}): HeapFile {
  const head = Buffer.alloc(HEAD_BYTES);
  const n = readSync(fd, head, 0, HEAD_BYTES, 0);
  return formatOf(head.subarray(0, n), name).read({ fd }, name, table, opts);
}

function parseText(reader: LineReader, name: string, table: LocationTable, opts: ParseOptions): HeapFile {
  const total = reader.sizeHint;
  if (opts.onProgress && total > 0) reader.onRead = (offset) => opts.onProgress!(offset, total);
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
