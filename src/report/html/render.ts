// renderHtmlReport: one self-contained HTML document (data, script and styles inline, no requests).
import { jsonForScript } from './escape.js';
import { PAGE_SCRIPT, PAGE_SCRIPT_HASH, PAGE_STYLE, PAGE_STYLE_HASH } from './page-assets.generated.js';
import { pageData } from './page-data.js';
import type { HtmlReportInput } from './types.js';

/**
 * The page may run its one script and use its one stylesheet, both pinned by hash, and nothing
 * else: no request of any kind (default-src 'none' covers fetch, images, fonts, frames), no other
 * inline script or event handler attribute, no <base> or form target. The JSON data element is
 * not a script to the browser, so it needs no hash.
 */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; script-src '${PAGE_SCRIPT_HASH}'; style-src '${PAGE_STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

/**
 * The report as one HTML document. Nothing from the input is written as markup: every name,
 * path and label travels in the JSON data element (escaped by jsonForScript) and the page puts
 * it in the document as text.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const data = jsonForScript(pageData(input));
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">\n` +
    '<meta name="referrer" content="no-referrer">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<title>Heap profile</title>\n' +
    `<style>${PAGE_STYLE}</style>\n</head>\n<body>\n<main id="app"><noscript>This report needs JavaScript.</noscript></main>\n` +
    `<script type="application/json" id="jeprof-data">${data}</script>\n` +
    `<script>${PAGE_SCRIPT}</script>\n</body>\n</html>\n`
  );
}
