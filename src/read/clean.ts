/** Terminal noise that CI logs keep: colour codes and carriage-return progress overwrites. */

// CSI sequences (colours, "erase line" \x1b[0K) and OSC hyperlinks.
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\))/g;

/** Most lines hold neither: one scan lets them through untouched. */
const NOISE = /[\r\x1b]/;

export function cleanLine(raw: string): string {
  if (!NOISE.test(raw)) return raw;
  let text = raw;
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  // A bare CR inside a line overwrote what was before it on a terminal: keep what was shown last.
  const cr = text.lastIndexOf('\r');
  if (cr !== -1) text = text.slice(cr + 1);
  if (text.includes('\x1b')) text = text.replace(ANSI, '');
  return text;
}
