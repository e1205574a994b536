// JSON that is safe inside a <script> element: no name from a binary can end the element.

const UNSAFE = /[<>&\u2028\u2029]/g;

/**
 * JSON.stringify with <, >, & and U+2028/U+2029 written as \u escapes: the HTML parser then never
 * sees `</script`, `<!--` or a character reference, and the text is still the same JSON (and a
 * valid JavaScript literal, where U+2028/9 once ended a line). JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
