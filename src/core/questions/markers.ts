// Finds the `TODO(architect)` questions the Coder (or a person) left in a file, in any language's
// comment syntax, so the CodeLens, the open-questions tree and Problems can offer them.
//
// One regex pass finds each literal `TODO(architect)`; only the text around a hit is looked at
// after that, so a 50,000-line file costs about as much as searching it once. A hit is a marker when:
//   1. a comment opener ends the text before it on its line: `//`, `#`, `--`, `;`, `/*`, `<!--`,
//      `"""` or `'''`, followed only by spaces (and `!`, `*`, `/`, `-` decorations such as `///`
//      or `/**`), and the code before that opener holds an even number of each quote character
//      (`"`, `'`, `` ` ``): an opener inside a string literal on that line is not a comment; or
//   2. it sits inside a `/* … */`, `<!-- … -->`, `"""…"""` or `'''…'''` that opened on an
//      earlier line and has not closed yet (the last opener before it comes after the last closer;
//      for docstrings, an odd number of triple quotes before it); or
//   3. it follows another marker inside that marker's question (several markers in one comment).
// Cheap on purpose, and wrong in rare cases: a string spanning lines that looks like a comment
// counts, and a line whose code has an odd apostrophe (a Rust lifetime) hides its marker.
// A `/*` or `"""` inside a string on an earlier line can also open a block that is not there.

export const MARKER = 'TODO(architect)';

export type CommentStyle =
  | { kind: 'line'; opener: string }
  | { kind: 'block'; open: '/*'; close: '*/' }
  | { kind: 'block'; open: '<!--'; close: '-->' }
  | { kind: 'block'; open: '"""'; close: '"""' }
  | { kind: 'block'; open: "'''"; close: "'''" };

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based column, in UTF-16 code units (as VS Code counts). */
  character: number;
}

export interface QuestionMarker {
  /** 0-based line of `TODO(architect)`. */
  line: number;
  /** 0-based column of `TODO(architect)`. */
  column: number;
  /** From `TODO(architect)` to the end of its question (the comment's closer and the line break excluded). */
  range: { start: Position; end: Position };
  /** Offsets of `range` in the text. */
  offsets: { start: number; end: number };
  /** The rest of the comment, whitespace collapsed; '' when the marker asks nothing. */
  question: string;
  style: CommentStyle;
  /** The text before the marker on its line (indentation and opener), to continue a line comment. */
  lead: string;
}

/** A comment opener ending the text before a marker, and the decoration that may follow it. */
const openerAtEnd = /(\/\/|\/\*|<!--|"""|'''|#|--|;)[!*/\-#;]*\s*$/;
const blockClosers = { '/*': '*/', '<!--': '-->', '"""': '"""', "'''": "'''" } as const;
type BlockOpener = keyof typeof blockClosers;
/** How far back a block opener on an earlier line is looked for: no real comment is longer. */
const blockLookBehind = 256 * 1024;

export function findMarkers(text: string): QuestionMarker[] {
  const markers: QuestionMarker[] = [];
  const blocks = new BlockIndex(text);
  const hits = /TODO\(architect\)/g;
  let line = 0;
  let lineStart = 0;
  let counted = 0;
  for (let hit = hits.exec(text); hit; hit = hits.exec(text)) {
    const at = hit.index;
    // Count the line breaks since the previous hit only: the whole scan stays one pass.
    for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < at; nl = text.indexOf('\n', nl + 1)) {
      line += 1;
      lineStart = nl + 1;
    }
    counted = at;
    const lead = text.slice(lineStart, at);
    const previous = markers.at(-1);
    const style = previous && previous.offsets.end > at && previous.offsets.start < at ? previous.style : styleOf(text, at, lead, blocks);
    if (!style) continue;
    if (previous && previous.offsets.end > at) truncate(text, previous, at);
    markers.push(marker(text, at, line, lineStart, lead, style));
  }
  return markers;
}

function styleOf(text: string, at: number, lead: string, blocks: BlockIndex): CommentStyle | undefined {
  const opener = openerAtEnd.exec(lead);
  if (opener?.[1] !== undefined && quotesBalanced(lead.slice(0, opener.index))) {
    const token = opener[1];
    return isBlockOpener(token) ? blockStyle(token) : { kind: 'line', opener: token };
  }
  const open = blocks.enclosing(at);
  return open ? blockStyle(open) : undefined;
}

const isBlockOpener = (token: string): token is BlockOpener => token in blockClosers;

function blockStyle(open: BlockOpener): CommentStyle {
  switch (open) {
    case '/*':
      return { kind: 'block', open, close: '*/' };
    case '<!--':
      return { kind: 'block', open, close: '-->' };
    case '"""':
      return { kind: 'block', open, close: '"""' };
    case "'''":
      return { kind: 'block', open, close: "'''" };
  }
}

/** Each quote character an even number of times, a backslash escaping the next character. */
function quotesBalanced(code: string): boolean {
  let double = 0;
  let single = 0;
  let back = 0;
  for (let i = 0; i < code.length; i += 1) {
    const c = code.charCodeAt(i);
    if (c === 92) i += 1; // backslash
    else if (c === 34) double += 1;
    else if (c === 39) single += 1;
    else if (c === 96) back += 1;
  }
  return double % 2 === 0 && single % 2 === 0 && back % 2 === 0;
}

function marker(text: string, at: number, line: number, lineStart: number, lead: string, style: CommentStyle): QuestionMarker {
  const questionStart = at + MARKER.length;
  let end: number;
  if (style.kind === 'line') {
    const nl = text.indexOf('\n', questionStart);
    end = nl === -1 ? text.length : nl;
  } else {
    const close = text.indexOf(style.close, questionStart);
    end = close === -1 ? text.length : close;
  }
  end = trimEnd(text, questionStart, end);
  const found: QuestionMarker = {
    line,
    column: at - lineStart,
    range: { start: { line, character: at - lineStart }, end: positionAfter(text, line, lineStart, at, end) },
    offsets: { start: at, end },
    question: questionText(text.slice(questionStart, end)),
    style,
    lead,
  };
  return found;
}

/** The previous marker's question ends where the next marker in the same comment begins. */
function truncate(text: string, previous: QuestionMarker, at: number): void {
  const end = trimEnd(text, previous.offsets.start + MARKER.length, at);
  const lineStart = previous.offsets.start - previous.column;
  previous.offsets = { start: previous.offsets.start, end };
  previous.range = { start: previous.range.start, end: positionAfter(text, previous.line, lineStart, previous.offsets.start, end) };
  previous.question = questionText(text.slice(previous.offsets.start + MARKER.length, end));
}

/** Back over white space (a CR before a line break included), never before `floor`. */
function trimEnd(text: string, floor: number, end: number): number {
  let at = end;
  while (at > floor && isSpace(text.charCodeAt(at - 1))) at -= 1;
  return at;
}

/** Space, tab, CR, LF, vertical tab or form feed. */
const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/** The position of offset `to`, counting lines from a known line start. */
function positionAfter(text: string, line: number, lineStart: number, from: number, to: number): Position {
  let current = line;
  let start = lineStart;
  for (let nl = text.indexOf('\n', from); nl !== -1 && nl < to; nl = text.indexOf('\n', nl + 1)) {
    current += 1;
    start = nl + 1;
  }
  return { line: current, character: to - start };
}

/** The words of a question: the leading colon or dash dropped, each line's `*` decoration too. */
function questionText(raw: string): string {
  if (!raw.includes('\n')) return raw.replace(/^\s*[:\-–—]\s*/, '').replace(/\s+/g, ' ').trim();
  return raw
    .split('\n')
    .map((part) => part.replace(/^\s*(\*+(?!\/)|#+|\/\/+|--+|;+)?\s*/, ''))
    .join(' ')
    .replace(/^\s*[:\-–—]\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The block comment or docstring a hit sits in, found by looking back from it. Hits come in
 * text order, so each token's search resumes where the previous one stopped: the whole file is
 * looked through at most once per token, however many markers it holds.
 */
class BlockIndex {
  private readonly nearest = new Map<string, { searchedTo: number; last: number | undefined }>();
  private readonly counted = new Map<string, { count: number; last: number | undefined; next: number }>();

  constructor(private readonly text: string) {}

  /** The opener of the block comment or docstring that `at` sits in, if one is open there. */
  enclosing(at: number): BlockOpener | undefined {
    let best: { open: BlockOpener; from: number } | undefined;
    for (const open of ['/*', '<!--'] as const) {
      const opened = this.lastBefore(open, at);
      if (opened === undefined || at - opened > blockLookBehind) continue;
      const closed = this.lastBefore(blockClosers[open], at);
      if ((closed === undefined || closed < opened) && (!best || opened > best.from)) best = { open, from: opened };
    }
    for (const open of ['"""', "'''"] as const) {
      // A docstring's opener and closer are the same token: inside one after an odd number of them.
      const { count, last } = this.countBefore(open, at);
      if (count % 2 === 1 && last !== undefined && at - last <= blockLookBehind && (!best || last > best.from)) best = { open, from: last };
    }
    return best?.open;
  }

  /** Where `token` last starts before `at`; searches only the text after the previous query. */
  private lastBefore(token: string, at: number): number | undefined {
    let memo = this.nearest.get(token);
    if (!memo) {
      // A token the file never holds (`<!--` in TypeScript) costs one fast forward search, once.
      const first = this.text.indexOf(token);
      memo = first === -1 ? { searchedTo: Infinity, last: undefined } : { searchedTo: first, last: undefined };
      this.nearest.set(token, memo);
    }
    const from = Math.max(0, memo.searchedTo - token.length + 1);
    if (at > from) {
      // A slice is a view in V8, and lastIndexOf stops at the nearest occurrence.
      const found = this.text.slice(from, at).lastIndexOf(token);
      if (found !== -1) memo.last = from + found;
      memo.searchedTo = at;
    }
    return memo.last;
  }

  /** How many times `token` occurs (not overlapping) before `at`, and where the last one starts. */
  private countBefore(token: string, at: number): { count: number; last: number | undefined } {
    let memo = this.counted.get(token);
    if (!memo) {
      memo = { count: 0, last: undefined, next: this.text.indexOf(token) };
      this.counted.set(token, memo);
    }
    while (memo.next !== -1 && memo.next + token.length <= at) {
      memo.count += 1;
      memo.last = memo.next;
      // Past the whole token, so `""""""` reads as an opener and a closer.
      memo.next = this.text.indexOf(token, memo.next + token.length);
    }
    return memo;
  }
}
