// The small markdown constructs both artifacts write and read back: fenced blocks, code spans,
// bullet lists, `**Label:** value` lines, table cells and "None." placeholders.
import type { Tokens } from 'marked';

/** A fenced block whose fence is longer than any backtick run inside, so any text round-trips. */
export function fencedBlock(content: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

/**
 * The content of a code block exactly as written. marked's `text` adds a newline when the content
 * ends with a blank line, so fenced blocks are cut from the raw source instead.
 */
export function readCodeBlock(token: Tokens.Code): { language: string; content: string } {
  if (token.codeBlockStyle === 'indented') return { language: '', content: token.text };
  const lines = token.raw.replace(/\n+$/, '').split('\n');
  const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[0] ?? '');
  if (!open) return { language: token.lang ?? '', content: token.text };
  const indent = (open[1] ?? '').length;
  const fence = open[2] ?? '```';
  const language = (open[3] ?? '').trim().split(/\s+/)[0] ?? '';
  let body = lines.slice(1);
  const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
  if (body.length > 0 && closing.test(body[body.length - 1] ?? '')) body = body.slice(0, -1);
  const dedent = new RegExp(`^ {0,${indent}}`);
  return { language, content: body.map((line) => line.replace(dedent, '')).join('\n') };
}

export function codeSpan(text: string): string {
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** `` `path` `` becomes `path`; text without backticks is returned trimmed. */
export function unwrapCodeSpan(text: string): string {
  const trimmed = text.trim();
  const match = /^(`+)([\s\S]*?)\1$/.exec(trimmed);
  if (!match || (match[2] ?? '').includes(match[1] ?? '`')) return trimmed;
  return stripCodeSpanPadding(match[2] ?? '');
}

/** Splits a leading code span off text: `` `name` — rest `` gives name and ` — rest`. */
export function leadingCodeSpan(text: string): { code: string; rest: string } | undefined {
  const open = /^`+/.exec(text);
  if (!open) return undefined;
  const ticks = open[0];
  let index = ticks.length;
  for (;;) {
    const close = text.indexOf(ticks, index);
    if (close < 0) return undefined;
    // A closing run must be exactly as long as the opening one.
    if (text[close + ticks.length] !== '`') {
      return { code: stripCodeSpanPadding(text.slice(ticks.length, close)), rest: text.slice(close + ticks.length) };
    }
    index = close + ticks.length;
    while (text[index] === '`') index++;
  }
}

function stripCodeSpanPadding(inner: string): string {
  return inner.length > 2 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '' ? inner.slice(1, -1) : inner;
}

/** `- item` lines; later lines of an item are indented so they stay inside it. */
export function bulletList(items: readonly string[]): string {
  return items
    .map((item) => {
      const [first = '', ...rest] = item.split('\n');
      // `- ---` would be a rule, not an item: start such an item on the line after its bullet.
      if (THEMATIC_BREAK.test(first)) return `-\n${indent([first, ...rest])}`;
      return `- ${first}${rest.length > 0 ? `\n${indent(rest)}` : ''}`;
    })
    .join('\n');
}

const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;

function indent(lines: readonly string[]): string {
  return lines.map((line) => (line === '' ? line : `  ${line}`)).join('\n');
}

// A value starting with a code block or a table row cannot share the label's line: the fence or
// table would swallow the label. Anything else stays on the label's line, where it is plain text.
const BLOCK_START = /^(?: {4}|\t| {0,3}(?:```|~~~|\|))/;

/** `**Label:** value`, or the label alone followed by a blank line when the value is a block. */
export function labeledValue(label: string, value: string): string {
  if (value === '') return `**${label}:**`;
  return BLOCK_START.test(value) ? `**${label}:**\n\n${value}` : `**${label}:** ${value}`;
}

/** Code as written, minus trailing spaces on each line and blank lines around it. */
export function normalizeCode(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/^\n+/, '')
    .replace(/\n+$/, '');
}

/** As normalizeCode, and the first line loses its indent unless that makes it an indented code block. */
export function normalizeMarkdown(text: string): string {
  return normalizeCode(text).replace(/^[ \t]+(?=\S)/, (spaces) => (spaces.length >= 4 ? spaces : ''));
}

/** "None", "None." or "None — implemented exactly as specified." */
export function isNone(markdown: string): boolean {
  return /^none\s*(?:[.!]|[-–—:][^\n]*)?$/i.test(markdown.trim());
}

export function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export interface ListItem {
  text: string;
  checked: boolean | undefined;
  line: number;
}

/** The items of a list with their own line numbers; `checked` is undefined for plain bullets. */
export function listItems(token: Tokens.List, firstLine: number): ListItem[] {
  const items: ListItem[] = [];
  let cursor = 0;
  for (const item of token.items) {
    const at = token.raw.indexOf(item.raw, cursor);
    const offset = at < 0 ? cursor : at;
    cursor = offset + item.raw.length;
    const line = firstLine + countNewlines(token.raw.slice(0, offset));
    let text = normalizeMarkdown(item.text);
    let checked = item.task ? item.checked === true : undefined;
    // `- [x]name` without the space marked wants is still a checkbox.
    const box = checked === undefined ? /^\[([ xX])\]\s*/.exec(text) : null;
    if (box) {
      checked = box[1] !== ' ';
      text = text.slice(box[0].length);
    }
    items.push({ text, checked, line });
  }
  return items;
}

function countNewlines(text: string): number {
  let count = 0;
  for (const char of text) if (char === '\n') count++;
  return count;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** What markdown needs after `streamed` for an open code fence to be closed; empty when none is open. */
export function closingFence(streamed: string): string {
  let open: string | undefined;
  for (const line of streamed.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (!fence) continue;
    if (open === undefined) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = undefined;
  }
  return open === undefined ? '' : `\n${open}\n`;
}

/**
 * Free text from a model (a Coder's summary, a blocker, the Architect's reasons) made unable to
 * change the structure of the document it is put in: a line that would open a section (a `#` or
 * `##` heading, or a setext underline) is escaped to show as text, and a code fence it leaves
 * open is closed, so it cannot swallow the sections after it. `###` and deeper stay headings.
 */
export function inertText(text: string): string {
  const escaped = text
    .replace(/^( {0,3})(#{1,2})(?=[ \t]|$)/gm, '$1\\$2')
    .replace(/^( {0,3})(=+|-{2,})[ \t]*$/gm, '$1\\$2');
  return `${escaped}${closingFence(escaped).trimEnd()}`;
}
