// Tests jsonForScript (src/report/html/escape.ts): JSON no symbol name can break out of a <script> element with.
import { expect, it } from 'vitest';
import { jsonForScript } from '../../../src/report/html/escape.js';

const HOSTILE = ['</script><script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<!-- x -->', 'a & b &amp; c', `"quotes' and \\backslashes\\"`, 'line\u2028para\u2029end', 'operator<<(std::ostream&, Foo const&)'];

it('writes <, >, &, U+2028 and U+2029 as \\u escapes and reads back unchanged', () => {
  const out = jsonForScript({ names: HOSTILE });
  expect(out).not.toMatch(/[<>&\u2028\u2029]/);
  expect(out).toContain('\\u003c/script\\u003e');
  expect(out).toContain('a \\u0026 b');
  expect(out).toContain('line\\u2028para\\u2029end');
  expect(JSON.parse(out)).toEqual({ names: HOSTILE });
  // Also a JavaScript literal with the same value.
  expect(new Function(`return ${out};`)()).toEqual({ names: HOSTILE });
});
