// The places binutils 2.40 and jeprof look for debug files, against the lists strace shows
// addr2line opening (Debian 12) and jeprof's DebuggingLibrary, written out by hand.
import { describe, expect, it } from 'vitest';
import { altLinkCandidates, bfdDebugCandidates, jeprofDebugCandidates } from '../../src/symbolize/debug-search.js';

const ID = '2d9899b42999ea7f6ac5af19796b12ab2bcacd31';

describe('bfdDebugCandidates', () => {
  it('build id first (relative to the working folder, then the roots), then the debuglink (from the file\'s folder)', () => {
    // `strace addr2line -f -e ./app` in /tmp/dw, with no debug file anywhere.
    expect(bfdDebugCandidates('./app', { buildId: ID, debugLink: 'app.debug' }, '/tmp/dw')).toEqual([
      '/tmp/dw/.build-id/2d/9899b42999ea7f6ac5af19796b12ab2bcacd31.debug',
      '/tmp/dw/.debug/.build-id/2d/9899b42999ea7f6ac5af19796b12ab2bcacd31.debug',
      '/usr/lib/debug/.build-id/2d/9899b42999ea7f6ac5af19796b12ab2bcacd31.debug',
      '/usr/lib/debug/usr/.build-id/2d/9899b42999ea7f6ac5af19796b12ab2bcacd31.debug',
      '/usr/lib/x86_64-linux-gnu/debug/.build-id/2d/9899b42999ea7f6ac5af19796b12ab2bcacd31.debug',
      '/tmp/dw/app.debug',
      '/tmp/dw/.debug/app.debug',
      '/usr/lib/debug/tmp/dw/app.debug',
      '/usr/lib/debug/usr/tmp/dw/app.debug',
      '/usr/lib/x86_64-linux-gnu/debug/tmp/dw/app.debug',
    ]);
  });

  it('the build-id places do not move with the file; a file with neither note has none', () => {
    expect(bfdDebugCandidates('/srv/x/lib.so', { buildId: ID }, '/home/me')[0]).toBe('/home/me/.build-id/2d/9899b42999ea7f6ac5af19796b12ab2bcacd31.debug');
    expect(bfdDebugCandidates('/srv/x/lib.so', {}, '/home/me')).toEqual([]);
    expect(bfdDebugCandidates('/srv/x/lib.so', undefined, '/home/me')).toEqual([]);
  });
});

describe('altLinkCandidates', () => {
  it("a relative alt link from the debug file's folder (Fedora's ../../.dwz/ layout)", () => {
    const c = altLinkCandidates('/usr/lib/debug/.build-id/2d/9899.debug', '../../.dwz/x.debug', '/');
    expect(c[0]).toBe('/usr/lib/debug/.build-id/2d/../../.dwz/x.debug');
    expect(c).toHaveLength(5);
  });

  it('an absolute alt link is glued to each folder, as BFD does (strace: .//abs/path)', () => {
    expect(altLinkCandidates('/tmp/wk/app.dbg', '/tmp/wk/alt.debug', '/')[0]).toBe('/tmp/wk//tmp/wk/alt.debug');
  });
});

describe('jeprofDebugCandidates', () => {
  it('by path, then by path + .debug; by build id only with --debug-syms-by-id; none for a relative path', () => {
    expect(jeprofDebugCandidates('/srv/app', ID, false)).toEqual(['/usr/lib/debug/srv/app', '/usr/lib/debug/srv/app.debug']);
    expect(jeprofDebugCandidates('/srv/app', ID, true)[2]).toBe('/usr/lib/debug/.build-id/2d/9899b42999ea7f6ac5af19796b12ab2bcacd31.debug');
    expect(jeprofDebugCandidates('app', ID, true)).toEqual([]);
  });
});
