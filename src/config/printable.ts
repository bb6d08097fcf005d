/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts colour and
 * cursor sequences, NUL, CR and LF rewrite lines), DEL, C1 controls, the bidirectional
 * marks that reorder what follows, line separators, the BOM, and lone surrogates (which
 * print as nothing useful).
 */
export const UNPRINTABLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Text from a configuration file (a key, a path, a file name) made safe to print: every
 * character above is shown as a visible escape (`\x1b`, `\u202e`, `\n`), so a key written
 * with a terminal escape reads as what it is instead of recolouring the terminal.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => {
    const named = NAMED[character];
    if (named !== undefined) return named;
    const code = character.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
