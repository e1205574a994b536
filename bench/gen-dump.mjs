// Writes a big valid heap_v2 dump whose exact totals it knows, for the bench's scale rows and the
// streaming test (issue 22): the return addresses and MAPPED_LIBRARIES are a real dump's (the bench's
// large program, bench/out/large, whose functions each call any other through three call sites,
// so any sequence of its call sites is a call chain it can make).
//   node bench/gen-dump.mjs <real.heap> <out.heap> <stacks> <bytes> [--seed N] [--cut F] [--distinct N]
// Every stack is the real dump's allocator frames, the return address of one malloc call, 0 to 119
// call-site return addresses, and the real dump's own outermost frames (main, libc, _start): depths
// up to 128. Counts use heap_v2/1 (lg_prof_sample:0) and objects of 48 to 1,024 bytes, where
// jeprof's unsampling factor 1/(1 - e^(-size)) is exactly 1: the totals are exact integers.
// Prints, and writes to <out.heap>.json, the stack count, the totals and the --text Total line;
// with --cut F, also a length to cut the file to (inside the stack line found at F of the
// file) and the totals of the complete stacks before that cut. With --distinct N, the stacks are N
// distinct ones written again and again (a stream whose memory must stay flat: test/reliability).
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real dump's addresses by role: allocator frames, malloc call sites, other call sites, outermost frames. */
function realFrames(text) {
  const maps = text.indexOf('MAPPED_LIBRARIES:');
  const stacks = [...text.slice(0, maps).matchAll(/^@ (.*)$/gm)].map((m) => m[1].trim().split(/\s+/));
  // The allocator's frames (jemalloc's, libc's) are the leading frames every stack shares.
  let lead = stacks[0].length;
  for (const s of stacks) while (lead > 0 && s.slice(0, lead).join(' ') !== stacks[0].slice(0, lead).join(' ')) lead--;
  // The outermost ones likewise, from the other end (main's call site, libc's start, _start).
  let tail = stacks[0].length;
  const end = (s, n) => s.slice(s.length - n).join(' ');
  for (const s of stacks) while (tail > 0 && end(s, tail) !== end(stacks[0], tail)) tail--;
  const mallocSites = new Set();
  const callSites = new Set();
  for (const s of stacks) {
    if (s.length <= lead + tail) continue;
    mallocSites.add(s[lead]);
    for (let i = lead + 1; i < s.length - tail; i++) callSites.add(s[i]);
  }
  return { lead: stacks[0].slice(0, lead), tail: stacks[0].slice(stacks[0].length - tail), mallocSites: [...mallocSites], callSites: [...callSites], maps: text.slice(maps) };
}

/**
 * Writes the dump `out` from the real dump `real`: `nStacks` stacks (`distinct` different ones
 * when given), about `targetBytes` bytes; returns what the generator knows of it.
 */
export function generateDump({ real, out, nStacks, targetBytes, seed = 7, cutAt, distinct }) {
  const frames = realFrames(readFileSync(real, 'latin1'));
  if (frames.mallocSites.length === 0 || frames.callSites.length === 0) throw new Error(`gen-dump: ${real} has no program frames between its allocator and outermost frames`);
  const MAX_CALLS = 128 - frames.lead.length - 1 - frames.tail.length;

  // xorshift32: the same file for the same arguments.
  let state = seed >>> 0 || 1;
  const rand = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };

  // Calls per stack uniform in [0, kMax], kMax set so the file comes out near its target size:
  // a frame is 15 bytes of text ('0x' + 12 digits + a space), a count row about 24.
  const fixedFrames = frames.lead.length + 1 + frames.tail.length;
  const perStackFixed = 2 + 15 * fixedFrames + 3 * 24;
  const kMean = Math.max(0, (targetBytes / nStacks - perStackFixed) / 15);
  const kMax = Math.min(MAX_CALLS, Math.round(2 * kMean));

  const fd = openSync(out, 'w');
  const CHUNK = 1 << 22;
  let buf = '';
  let written = 0;
  const flush = () => {
    written += writeSync(fd, buf, null, 'latin1');
    buf = '';
  };
  const totals = { stacks: 0, inuseObjects: 0, inuseSpace: 0, frames: 0, maxDepth: 0 };
  let cut;
  const cutByte = cutAt === undefined ? undefined : Math.floor(cutAt * targetBytes);
  buf += `heap_v2/1\n  t*: 0: 0 [0: 0]\n`;
  const lead = frames.lead.join(' ');
  const tail = frames.tail.join(' ');
  /** With `distinct`, stack i is stack i % distinct again: its line and depth, kept. */
  const kept = [];
  for (let i = 0; i < nStacks; i++) {
    let line;
    let k;
    if (distinct !== undefined && i >= distinct) {
      ({ line, k } = kept[i % distinct]);
    } else {
      // One stack in 1,000 is as deep as the dump format here allows (128 frames).
      k = i % 1000 === 999 ? MAX_CALLS : rand() % (kMax + 1);
      const parts = [lead, frames.mallocSites[rand() % frames.mallocSites.length]];
      for (let j = 0; j < k; j++) parts.push(frames.callSites[rand() % frames.callSites.length]);
      parts.push(tail);
      line = `@ ${parts.join(' ')}\n`;
      if (distinct !== undefined) kept.push({ line, k });
    }
    if (cutByte !== undefined && cut === undefined && written + buf.length + line.length > cutByte) {
      // Cut inside this stack line: every stack before it is complete, this one has no counts.
      cut = { bytes: written + buf.length + Math.floor(line.length / 2), stacks: totals.stacks, inuseObjects: totals.inuseObjects, inuseSpace: totals.inuseSpace };
    }
    buf += line;
    // 1 to 3 threads' rows, which add up to the all-threads row.
    const threads = 1 + (rand() % 3);
    let objects = 0;
    let space = 0;
    let rows = '';
    for (let t = 0; t < threads; t++) {
      const n = 1 + (rand() % 40);
      const size = 48 + (rand() % 977);
      objects += n;
      space += n * size;
      rows += `  t${(i + 5 * t) % 16}: ${n}: ${n * size} [0: 0]\n`;
    }
    buf += `  t*: ${objects}: ${space} [0: 0]\n${rows}`;
    totals.stacks++;
    totals.inuseObjects += objects;
    totals.inuseSpace += space;
    totals.frames += fixedFrames + k;
    totals.maxDepth = Math.max(totals.maxDepth, fixedFrames + k);
    if (buf.length >= CHUNK) flush();
  }
  buf += frames.maps.endsWith('\n') ? frames.maps : frames.maps + '\n';
  flush();
  closeSync(fd);

  /**
   * jeprof's --text Total line for inuse_space: megabytes with one decimal, as Perl's %.1f rounds
   * (the exact value, ties to even: toFixed would round 0.25 up).
   */
  function totalLine(bytes) {
    const d = 1048576n;
    const n = BigInt(bytes) * 10n;
    let q = n / d;
    const r2 = 2n * (n % d);
    if (r2 > d || (r2 === d && q % 2n === 1n)) q++;
    return `Total: ${q / 10n}.${q % 10n} MB`;
  }
  const result = { file: out, bytes: written, ...totals, distinct: distinct ?? totals.stacks, totalLine: totalLine(totals.inuseSpace), seed, real };
  if (cut) Object.assign(result, { cut: { ...cut, totalLine: totalLine(cut.inuseSpace) } });
  writeFileSync(`${out}.json`, JSON.stringify(result, null, 2) + '\n');
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    if (i < 0) return dflt;
    const v = argv[i + 1];
    argv.splice(i, 2);
    return Number(v);
  };
  const seed = opt('--seed', 7);
  const cutAt = opt('--cut', undefined);
  const distinct = opt('--distinct', undefined);
  const [real, out, stacks, bytes] = argv;
  if (!real || !out || !stacks || !bytes) {
    process.stderr.write('usage: node bench/gen-dump.mjs <real.heap> <out.heap> <stacks> <bytes> [--seed N] [--cut F] [--distinct N]\n');
    process.exit(2);
  }
  const result = generateDump({ real, out, nStacks: Number(stacks), targetBytes: Number(bytes), seed, cutAt, distinct });
  process.stdout.write(JSON.stringify(result) + '\n');
}
