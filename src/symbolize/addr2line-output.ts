// Parses `addr2line -f -C [-i]` output: two lines per frame (function, file:line), innermost
// inlined frame first. With -i, jeprof sends `_fini`'s address after every address and treats
// the `_fini` answer as the end of that address's frames. splitAddressedOutput reads `-a` output,
// from which that same stream can be rebuilt without asking addr2line about `_fini` every time.

export interface Addr2LineFrame {
  /** Demangled function name, `??` when unknown. */
  func: string;
  /** `file:line` exactly as printed: `main.cpp:31 (discriminator 3)`, `??:0`, `??:?`, `:?`. */
  fileLine: string;
}

/**
 * Splits the output into one frame list per input address (innermost first). Without a separator
 * every pair is one address. Answers missing at the end (tool died) leave the tail empty.
 */
export function parseAddr2LineOutput(text: string, count: number, withSeparator: boolean): Addr2LineFrame[][] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return parseAddr2LineLines(lines, count, withSeparator);
}

/** parseAddr2LineOutput on the output's lines (without the final empty one). */
export function parseAddr2LineLines(lines: readonly string[], count: number, withSeparator: boolean): Addr2LineFrame[][] {
  const out: Addr2LineFrame[][] = Array.from({ length: count }, () => []);
  let index = 0;
  for (let i = 0; i < lines.length; i += 2) {
    const func = withoutCR(lines[i]);
    const place = withoutCR(lines[i + 1] ?? '');
    // Tests first: the replacements made a new string per line, and almost no line needs them.
    const fileLine = place.includes('\\') ? place.replace(/\\/g, '/') : place;
    if (withSeparator && func === '_fini') {
      index++;
      continue;
    }
    if (index >= count) break;
    out[index].push({ func, fileLine });
    if (!withSeparator) index++;
  }
  return out;
}

/** The line without one trailing \r (what /\r$/ removes). */
function withoutCR(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/**
 * `addr2line -a` output (each answer led by its address as `0x` and hex digits) cut into answers:
 * the lines of each, in input order. The address lines cannot be mistaken for the others: a
 * function name never starts with a digit and a file:line always holds a colon.
 */
export function splitAddressedOutput(text: string): string[][] {
  const out: string[][] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (line.charCodeAt(0) === 48 && line.charCodeAt(1) === 120 && /^0x[0-9a-f]+\r?$/.test(line)) out.push([]);
    else if (out.length > 0) out[out.length - 1].push(line);
  }
  return out;
}
