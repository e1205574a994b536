// Reads the symbol section of a symbolized profile (jeprof --raw, gperftools' /pprof/symbol):
//   --- symbol
//   binary=./server
//   0x00007efc14045304 __libc_start_main_impl
//   0x000055ac4ad971e2 inner--middle<00000000000011c2>     <- inline chain, `--` separated
//   ---
//   --- heap
//   heap_v2/1 ...
import type { LineReader } from './lines.js';

export interface SymbolSection {
  /** PC (caller-adjusted, hex without leading zeros) -> full names of its inline chain joined by `--`. */
  symbols: Map<string, string>;
  binary?: string;
  /** jeprof's notices for unknown `key=value` lines. */
  notices: string[];
}

export function readSymbolSection(reader: LineReader): SymbolSection {
  const symbols = new Map<string, string>();
  const notices: string[] = [];
  let binary: string | undefined;
  for (let line = reader.next(); line; line = reader.next()) {
    const t = line.text;
    const m = /^0x0*([0-9a-f]+)\s+(.+)/.exec(t);
    if (m) {
      symbols.set(m[1], m[2]);
    } else if (t.startsWith('---')) {
      break;
    } else {
      const kv = /^([a-z][^=]*)=(.*)$/.exec(t);
      if (!kv) continue;
      const key = kv[1].trim();
      const value = kv[2].trim();
      if (key === 'binary') binary = value;
      else notices.push(`Ignoring unknown variable in symbols list: '${key}' = '${value}'`);
    }
  }
  return { symbols, binary, notices };
}
