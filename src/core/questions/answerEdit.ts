// What "Apply answer" writes: the marker and its question become the Architect's decision, in the
// same comment (so in the file's comment style: `// Architect: …`, `# Architect: …`, inside the
// same `/* */` or docstring), and optionally the answer's one code block is inserted below it.
// Offsets in, offsets out: the adapter turns them into one WorkspaceEdit.
import { codeBlocksOf } from '../prompts/questionPrompts.js';
import type { QuestionMarker } from './markers.js';

export interface TextReplacement {
  start: number;
  end: number;
  text: string;
}

/** Most characters of the decision written into the file; the whole answer stays in the thread. */
export const DECISION_LIMIT = 2_000;

/** The answer's prose: code blocks out, blank lines collapsed, bounded. */
export function decisionText(answer: string): string {
  const prose = answer
    .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n\1[ \t]*$/gm, '')
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line, index, lines) => line !== '' || (index > 0 && lines[index - 1] !== ''))
    .join('\n')
    .trim();
  return prose.length > DECISION_LIMIT ? `${prose.slice(0, DECISION_LIMIT)}…` : prose;
}

/**
 * The edits that resolve `marker` in `text` with `answer`. With `withCode`, the answer's single
 * code block goes on the lines after the comment; throws when there is not exactly one.
 */
export function answerReplacements(text: string, marker: QuestionMarker, answer: string, withCode: boolean): TextReplacement[] {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = safeInComment(decisionText(answer) || '(no decision given)', marker).split('\n');
  const continuation = continuationLead(marker);
  const decision = [`Architect: ${lines[0] ?? ''}`, ...lines.slice(1).map((line) => (line === '' ? continuation.trimEnd() : `${continuation}${line}`))].join(eol);
  const edits: TextReplacement[] = [{ start: marker.offsets.start, end: marker.offsets.end, text: decision }];
  if (!withCode) return edits;
  const blocks = codeBlocksOf(answer);
  if (blocks.length !== 1) throw new Error(`The answer has ${blocks.length} code blocks; "Apply answer with its code" needs exactly one.`);
  const code = blocks[0] ?? '';
  // After the comment's last line: its closer (if any) stays where it is.
  const lineEnd = text.indexOf('\n', marker.offsets.end);
  const insertAt = lineEnd === -1 ? text.length : lineEnd + 1;
  const indent = /^[ \t]*/.exec(marker.lead)?.[0] ?? '';
  const codeLines = code.split(/\r?\n/);
  const indented = codeLines.every((line) => line === '' || line.startsWith(indent)) ? codeLines : codeLines.map((line) => (line === '' ? line : indent + line));
  const block = indented.join(eol) + eol;
  edits.push({ start: insertAt, end: insertAt, text: lineEnd === -1 ? eol + block : block });
  return edits;
}

/** What starts each further line of the decision, so it stays inside the comment. */
function continuationLead(marker: QuestionMarker): string {
  const indent = /^[ \t]*/.exec(marker.lead)?.[0] ?? '';
  if (marker.style.kind === 'line') {
    const opener = /(\S+)\s*$/.exec(marker.lead)?.[1] ?? marker.style.opener;
    return `${indent}${opener} `;
  }
  // A JSDoc-style ` * ` line keeps its star; otherwise the text lines up under the decision.
  if (/^[ \t]*\*+[ \t]*$/.test(marker.lead)) return marker.lead;
  return `${indent}  `;
}

/** The comment's closer cannot appear inside the decision, or the comment would end early. */
function safeInComment(decision: string, marker: QuestionMarker): string {
  if (marker.style.kind === 'line') return decision;
  switch (marker.style.close) {
    case '*/':
      return decision.replace(/\*\//g, '*\\/');
    case '-->':
      return decision.replace(/-->/g, '--\\>');
    case '"""':
      return decision.replace(/"""/g, '\\"\\"\\"');
    case "'''":
      return decision.replace(/'''/g, "\\'\\'\\'");
  }
}
