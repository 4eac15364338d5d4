// Lexes markdown with marked and remembers where each top-level block sits in the source, so
// parsers can report 1-based line numbers and slice values out exactly as they were written.
import { Lexer, type MarkedToken, type Token } from 'marked';

export interface Block {
  token: Token;
  /** Offsets into MarkdownSource.text: [start, end) of the block without surrounding blank lines. */
  start: number;
  end: number;
  line: number;
  endLine: number;
}

export interface MarkdownSource {
  /** The input with CRLF/CR turned into LF and any BOM removed; every offset refers to this. */
  text: string;
  /** Top-level blocks, without blank space and HTML comments (invisible when rendered). */
  blocks: Block[];
  lineAt(offset: number): number;
}

export function lexMarkdown(input: string): MarkdownSource {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') lineStarts.push(i + 1);
  }
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };

  // Explicit options so a global marked.setOptions elsewhere cannot change how artifacts parse.
  const tokens = new Lexer({ gfm: true, pedantic: false, breaks: false }).lex(text);
  const blocks: Block[] = [];
  let cursor = 0;
  for (const token of tokens) {
    // marked only normalises line endings, so the raws tile the text; indexOf is a safety net.
    const at = text.startsWith(token.raw, cursor) ? cursor : text.indexOf(token.raw, cursor);
    if (at < 0) continue;
    cursor = at + token.raw.length;
    if (token.type === 'space' || isComment(token)) continue;
    const leading = token.raw.length - token.raw.replace(/^\s*\n/, '').length;
    const start = at + leading;
    const end = at + token.raw.replace(/\s+$/, '').length;
    blocks.push({ token, start, end, line: lineAt(start), endLine: lineAt(Math.max(start, end - 1)) });
  }
  return { text, blocks, lineAt };
}

export type TokenOf<T extends MarkedToken['type']> = Extract<MarkedToken, { type: T }>;

/** Narrows a token by its type (marked's Token union includes a catch-all generic token). */
export function isToken<T extends MarkedToken['type']>(token: Token, type: T): token is TokenOf<T> {
  return token.type === type;
}

function isComment(token: Token): boolean {
  return token.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(token.raw);
}

/** The first line of a block, shortened, for quoting in error messages. */
export function snippet(text: string): string {
  const first = text.trim().split('\n')[0] ?? '';
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}
