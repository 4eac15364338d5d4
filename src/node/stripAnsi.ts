// Removes terminal escape sequences from captured command output. The terminal gets the raw
// stream (colours are useful there); the captured text goes to the model and the Code Report,
// where `\x1b[31m` is only noise. Written here rather than pulled in as a package: it is one
// regex over the ECMA-48 grammar.

/**
 * Three shapes, tried in this order at each ESC:
 * - CSI, `ESC [`: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte
 *   0x40–0x7E. Colours (`ESC[1;31m`), cursor moves, erase-line from progress bars.
 * - String commands, `ESC ]` (OSC), `ESC P` (DCS), `ESC X`, `ESC ^`, `ESC _`: a body ended by BEL
 *   or ST (`ESC \`). Window titles and OSC 8 hyperlinks. The body excludes ESC and BEL so the
 *   match stays linear; an unterminated one falls through to the next shape and only its
 *   introducer is removed.
 * - Any other escape: intermediates 0x20–0x2F, then one final byte 0x30–0x7E (`ESC 7`, `ESC =`,
 *   `ESC ( B`).
 * 8-bit C1 forms (a lone U+009B as CSI) are left alone: tools emit the 7-bit forms.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_ESCAPE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]/g;

export function stripAnsi(text: string): string {
  // Cheap path: most output has no escapes at all.
  return text.includes('\x1b') ? text.replace(ANSI_ESCAPE, '') : text;
}
