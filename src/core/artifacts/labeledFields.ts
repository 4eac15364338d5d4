// Reads `**Label:** value` fields out of a run of blocks. Labels are found line by line inside
// paragraphs (the seed stacks several on consecutive lines); a field owns everything after its
// label up to the next known label, so multi-paragraph values and code blocks stay attached.
import type { Token } from 'marked';
import { isToken, type Block, type MarkdownSource } from './markdownBlocks.js';

/** A block, or some lines cut from a paragraph (then `token` is undefined). */
export interface Piece {
  token: Token | undefined;
  start: number;
  end: number;
  line: number;
}

export interface LabeledField {
  /** labelKey() of the label: `Spec ID` and `spec-id` are both `specid`. */
  key: string;
  /** As written, without the colon. */
  label: string;
  line: number;
  /** The rest of the label's line plus the following lines of the same paragraph. */
  inline: string;
  /** Later blocks (or paragraph parts) up to the next known label. */
  body: Piece[];
  /** The value's offsets in the source: from just after the label to the end of its last part. */
  start: number;
  end: number;
}

export interface FieldScan {
  /** Content before the first known label. */
  leading: Piece[];
  fields: LabeledField[];
}

// `**Label:**` or `**Label**:`, with or without a space after; the colon is what makes a label.
const LABEL = /^ {0,3}\*\*([^*\n]+?)\*\*[ \t]*(:?)[ \t]*/;

function labelKey(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function matchLabel(line: string): { label: string; key: string; length: number } | undefined {
  const match = LABEL.exec(line);
  if (!match) return undefined;
  const inner = (match[1] ?? '').trim();
  const colonInside = inner.endsWith(':');
  if (!colonInside && match[2] !== ':') return undefined;
  const label = colonInside ? inner.slice(0, -1).trim() : inner;
  return { label, key: labelKey(label), length: match[0].length };
}

export function scanFields(source: MarkdownSource, blocks: readonly Block[], knownKeys: readonly string[]): FieldScan {
  const leading: Piece[] = [];
  const fields: LabeledField[] = [];
  let current: LabeledField | undefined;

  const addPiece = (piece: Piece): void => {
    if (current) {
      current.body.push(piece);
      current.end = piece.end;
    } else {
      leading.push(piece);
    }
  };

  for (const block of blocks) {
    if (!isToken(block.token, 'paragraph')) {
      addPiece({ token: block.token, start: block.start, end: block.end, line: block.line });
      continue;
    }
    const lines = source.text.slice(block.start, block.end).split('\n');
    let offset = block.start;
    let inLabelParagraph = false;
    let loose: Piece | undefined;
    for (const line of lines) {
      const label = matchLabel(line);
      if (label && knownKeys.includes(label.key)) {
        if (loose) addPiece(loose);
        loose = undefined;
        current = {
          key: label.key,
          label: label.label,
          line: source.lineAt(offset),
          inline: line.slice(label.length),
          body: [],
          start: offset + label.length,
          end: offset + line.length,
        };
        fields.push(current);
        inLabelParagraph = true;
      } else if (current && inLabelParagraph) {
        current.inline += `\n${line}`;
        current.end = offset + line.length;
      } else if (loose) {
        loose.end = offset + line.length;
      } else {
        loose = { token: undefined, start: offset, end: offset + line.length, line: source.lineAt(offset) };
      }
      offset += line.length + 1;
    }
    if (loose) {
      // A paragraph with no labels at all is passed on whole, token included.
      addPiece(loose.start === block.start && loose.end === block.end ? { ...loose, token: block.token } : loose);
    }
  }
  for (const field of fields) field.inline = field.inline.trim();
  return { leading, fields };
}
