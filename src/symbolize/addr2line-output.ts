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
  const frames = new FrameLists(count, withSeparator);
  for (let i = 0; i < lines.length && !frames.done; i += 2) frames.pair(lines[i], lines[i + 1] ?? '');
  return frames.out;
}

/** jeprof's reading of (function, file:line) line pairs into one frame list per address. */
class FrameLists {
  readonly out: Addr2LineFrame[][];
  /** Set once the answers go past the last address: the rest is ignored. */
  done = false;
  private index = 0;

  constructor(
    private readonly count: number,
    private readonly withSeparator: boolean,
  ) {
    this.out = Array.from({ length: count }, () => []);
  }

  pair(funcLine: string, placeLine: string): void {
    const func = withoutCR(funcLine);
    if (this.withSeparator && func === '_fini') {
      this.index++;
      return;
    }
    if (this.index >= this.count) {
      this.done = true;
      return;
    }
    this.out[this.index].push(frameOf(func, placeLine));
    if (!this.withSeparator) this.index++;
  }
}

/** The line without one trailing \r (what /\r$/ removes). */
function withoutCR(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** A frame as jeprof keeps it: `func` (its \r already dropped) and the file:line line, \r dropped, backslashes made slashes. */
function frameOf(func: string, placeLine: string): Addr2LineFrame {
  const place = withoutCR(placeLine);
  // Tests first: the replacement made a new string per line, and almost no line needs it.
  return { func, fileLine: place.includes('\\') ? place.replace(/\\/g, '/') : place };
}

/**
 * `addr2line -a` output read answer by answer, each answer's address checked against the one
 * asked at its place: the frames of each of `asked` (innermost first), undefined from the first
 * answer that is missing, cut short or not an answer at all (a run that died partway, a wrapper
 * printing something else). Only for such output, and for runs without -i (one frame an answer),
 * which jeprof reads answer by answer too.
 */
export function answersByAddress(text: string, asked: readonly bigint[]): (Addr2LineFrame[] | undefined)[] {
  const out: (Addr2LineFrame[] | undefined)[] = asked.map(() => undefined);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  for (let k = 0; k < asked.length && i < lines.length; k++) {
    if (!isAddressLine(lines[i]) || BigInt(withoutCR(lines[i])) !== asked[k]) break;
    i++;
    const frames: Addr2LineFrame[] = [];
    while (i + 1 < lines.length && !isAddressLine(lines[i])) {
      frames.push(frameOf(withoutCR(lines[i]), lines[i + 1]));
      i += 2;
    }
    // An answer has at least one frame, and a lone line left is half of one: the run stopped there.
    if (frames.length === 0 || (i < lines.length && !isAddressLine(lines[i]))) break;
    out[k] = frames;
  }
  return out;
}

/**
 * The number of answers in `addr2line -a` output: lines that are an address. Found by searching
 * for `0x` at line starts and testing only those lines (a big program's output is megabytes).
 */
export function answerCount(text: string): number {
  let n = 0;
  let at = 0;
  while (at < text.length) {
    // `at` is the start of a line.
    if (text.charCodeAt(at) === 48 && text.charCodeAt(at + 1) === 120) {
      let nl = text.indexOf('\n', at);
      if (nl < 0) nl = text.length;
      if (isAddressLine(text.slice(at, nl))) n++;
      at = nl + 1;
      continue;
    }
    const next = text.indexOf('\n0x', at);
    if (next < 0) break;
    at = next + 1;
  }
  return n;
}

const ADDRESS_LINE = /^0x[0-9a-f]+\r?$/;

/** An `addr2line -a` answer's first line: the address asked. */
function isAddressLine(line: string): boolean {
  return line.charCodeAt(0) === 48 && line.charCodeAt(1) === 120 && ADDRESS_LINE.test(line);
}

/**
 * The frames of each address from `addr2line -a -f -C -i` output whose first answer is the
 * separator's (`_fini`), exactly as parseAddr2LineLines reads the stream jeprof would have got
 * (each answer followed by the separator's lines), pairs straddling answers included. One pass over
 * the text: no array of lines, no array per answer, no rebuilt stream (about 200,000 array
 * slots for a big program's answers).
 */
export function parseAddressedAnswers(text: string, count: number): Addr2LineFrame[][] {
  const frames = new FrameLists(count, true);
  let sep: string[] | undefined;
  let answers = 0;
  let pendingFunc: string | undefined;
  const feed = (line: string) => {
    if (pendingFunc === undefined) {
      pendingFunc = line;
    } else {
      frames.pair(pendingFunc, line);
      pendingFunc = undefined;
    }
  };
  const feedSep = () => {
    for (let k = 0; k < sep!.length && !frames.done; k++) feed(sep![k]);
  };
  let at = 0;
  const end = text.length > 0 && text.charCodeAt(text.length - 1) === 10 ? text.length - 1 : text.length;
  while (at <= end && !frames.done && end > 0) {
    let nl = text.indexOf('\n', at);
    if (nl < 0 || nl > end) nl = end;
    const line = text.slice(at, nl);
    at = nl + 1;
    if (isAddressLine(line)) {
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
  if (answers > 1 && !frames.done) feedSep();
  // A function line left without its file:line pairs with an empty one (lines[i + 1] ?? '').
  if (pendingFunc !== undefined && !frames.done) feed('');
  return frames.out;
}


/**
 * parseAddressedAnswers for output whose answers (after the separator's) came in another order
 * than jeprof's: the address at jeprof's position i was answered `at[i]`-th. jeprof reads inline
 * answers as one stream, the separator's lines after each, so an answer that is itself `_fini`
 * (or cut short, or a separator answer of more than one frame) shifts every answer after it in
 * its order: such output is replayed in jeprof's order. Other output, almost all of it, is read
 * answer by answer (a property test holds both to parseAddressedAnswers).
 */
export function parseReorderedAnswers(text: string, at: readonly number[]): Addr2LineFrame[][] {
  const answers: Addr2LineFrame[][] = [];
  let clean = true;
  let sepLines = 0;
  let seen = 0;
  let current: Addr2LineFrame[] | undefined;
  let pendingFunc: string | undefined;
  let pos = 0;
  const end = text.length > 0 && text.charCodeAt(text.length - 1) === 10 ? text.length - 1 : text.length;
  while (clean && pos <= end && end > 0) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    const line = text.slice(pos, nl);
    pos = nl + 1;
    if (isAddressLine(line)) {
      if (pendingFunc !== undefined) clean = false;
      seen++;
      if (seen > 1) answers.push((current = []));
      continue;
    }
    if (seen === 0) continue;
    if (seen === 1) {
      sepLines++;
      if (sepLines === 1 && withoutCR(line) !== '_fini') clean = false;
    } else if (pendingFunc === undefined) {
      if (withoutCR(line) === '_fini') clean = false;
      pendingFunc = line;
    } else {
      current!.push(frameOf(withoutCR(pendingFunc), line));
      pendingFunc = undefined;
    }
  }
  if (pendingFunc !== undefined || sepLines !== 2 || at.some((k) => k >= answers.length)) clean = false;
  return clean ? at.map((k) => answers[k]) : replayed(text, at);
}

/** parseReorderedAnswers the long way: jeprof's stream rebuilt in its order, then read. */
function replayed(text: string, at: readonly number[]): Addr2LineFrame[][] {
  // Each answer's lines, the separator's first.
  const answers: string[][] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (isAddressLine(line)) answers.push([]);
    else if (answers.length > 0) answers[answers.length - 1].push(line);
  }
  const sep = answers[0] ?? [];
  const stream: string[] = [];
  for (let i = 0; i < at.length; i++) {
    const a = answers[at[i] + 1];
    // A run cut short: the stream jeprof reads ends where the answers do.
    if (!a) break;
    for (const l of a) stream.push(l);
    for (const l of sep) stream.push(l);
  }
  return parseAddr2LineLines(stream, at.length, true);
}
