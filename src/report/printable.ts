// Keeps terminal control characters from profile contents (symbol names, paths) off the screen:
// an ESC in a function name must not recolour or rewrite the user's terminal.

// C0 controls except tab, DEL, and C1 controls (which some terminals also obey).
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** `\x1b`-style escapes for control characters; other text is unchanged (so real names print as jeprof prints them). */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}
