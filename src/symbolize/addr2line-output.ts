// Parses `addr2line -f -C [-i]` output: two lines per frame (function, file:line), innermost
// inlined frame first. With -i, jeprof sends `_fini`'s address after every address and treats
// the `_fini` answer as the end of that address's frames. parseAddressedAnswers reads `-a` output,
// which gives the same frames with `_fini` asked about only once.

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
 * The frames of each address from `addr2line -a -f -C -i` output whose first answer is the
 * separator's (`_fini`), exactly as parseAddr2LineLines reads the stream jeprof would have got
 * (each answer followed by the separator's lines), pairs straddling answers included. One pass over
 * the text: no array of lines, no array per answer, no rebuilt stream (about 200,000 array
 * slots for a big program's answers).
 */
export function parseAddressedAnswers(text: string, count: number): Addr2LineFrame[][] {
  const out: Addr2LineFrame[][] = Array.from({ length: count }, () => []);
  let sep: string[] | undefined;
  let answers = 0;
  let index = 0;
  let pendingFunc: string | undefined;
  let done = false;
  const feed = (line: string) => {
    if (pendingFunc === undefined) {
      pendingFunc = line;
      return;
    }
    const func = withoutCR(pendingFunc);
    pendingFunc = undefined;
    if (func === '_fini') {
      index++;
      return;
    }
    if (index >= count) {
      done = true;
      return;
    }
    const place = withoutCR(line);
    out[index].push({ func, fileLine: place.includes('\\') ? place.replace(/\\/g, '/') : place });
  };
  const feedSep = () => {
    for (let k = 0; k < sep!.length && !done; k++) feed(sep![k]);
  };
  let at = 0;
  const end = text.length > 0 && text.charCodeAt(text.length - 1) === 10 ? text.length - 1 : text.length;
  while (at <= end && !done && end > 0) {
    let nl = text.indexOf('\n', at);
    if (nl < 0 || nl > end) nl = end;
    const line = text.slice(at, nl);
    at = nl + 1;
    if (line.charCodeAt(0) === 48 && line.charCodeAt(1) === 120 && ADDRESS_LINE.test(line)) {
      // A new answer: the one before it (if a real one) is followed by the separator's lines.
      if (answers > 1) feedSep();
      answers++;
      if (answers === 1) sep = [];
      continue;
    }
    if (answers === 0) continue;
    if (answers === 1) sep!.push(line);
    else feed(line);
  }
  if (answers > 1 && !done) feedSep();
  // A function line left without its file:line pairs with an empty one (lines[i + 1] ?? '').
  if (pendingFunc !== undefined && !done) feed('');
  return out;
}

const ADDRESS_LINE = /^0x[0-9a-f]+\r?$/;
