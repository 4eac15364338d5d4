// Reads what both artifacts open with: the `# Code Spec — <title>` / `# Code Report — <id>`
// heading and the `**Label:** value` lines under it.
import { outlineDocument, type DocumentOutline, type SectionDefinition } from './documentOutline.js';
import { Extraction, type FieldPath } from './extraction.js';
import { scanFields } from './labeledFields.js';
import { isToken, lexMarkdown, snippet, type Block, type MarkdownSource } from './markdownBlocks.js';
import type { ArtifactError } from './parseResult.js';

export const HEADER = 'Header';
export const TITLE = 'Title';

export interface HeaderField {
  /** labelKey() of the label. */
  key: string;
  label: string;
  /** The property of the parsed object. */
  path: string;
  /** May be left out (a field added to the seed's format later): absent, nothing is reported. */
  optional?: true;
}

export interface ArtifactKind<K extends string> {
  /** `Code Spec` or `Code Report`. */
  name: string;
  /** What follows the dash in the title, e.g. `<title>`. */
  placeholder: string;
  /** The property the title's text fills, and how errors name it. */
  titlePath: string;
  titleLabel: string;
  sections: readonly SectionDefinition<K>[];
  /** The properties a section fills, not reported again by the schema when it is missing. */
  sectionPaths: (key: K) => FieldPath[];
}

export type OpenedArtifact<K extends string> =
  | { ok: true; source: MarkdownSource; outline: DocumentOutline<K>; x: Extraction; title: string | undefined }
  | { ok: false; errors: ArtifactError[] };

/**
 * The common start of parsing: lex, outline, read the title, report missing sections. Fails
 * straight away, with one error, when the input is not this kind of artifact at all.
 */
export function openArtifact<K extends string>(markdown: unknown, kind: ArtifactKind<K>): OpenedArtifact<K> {
  if (typeof markdown !== 'string') return { ok: false, errors: [{ section: TITLE, line: 1, message: 'is missing: the input is not text' }] };
  let source: MarkdownSource;
  try {
    source = lexMarkdown(markdown);
  } catch (error) {
    return { ok: false, errors: [{ section: TITLE, line: 1, message: `is unreadable: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const outline = outlineDocument(source, kind.sections);
  const x = new Extraction();
  const title = readTitle(x, outline, kind);
  if (title.notThisKind) return { ok: false, errors: [title.notThisKind] };
  for (const { key, section, line, message } of outline.errors) {
    x.error(section, line, message, ...(outline.sections[key] ? [] : kind.sectionPaths(key)));
  }
  return { ok: true, source, outline, x, title: title.text };
}

interface ArtifactTitle {
  /** The text after the dash, trimmed; undefined when the heading is not this kind's. */
  text: string | undefined;
  /** The error to return alone when the input does not look like this kind of artifact at all. */
  notThisKind: ArtifactError | undefined;
}

/** Reads the title, and tells whether the input is this kind of artifact at all. */
function readTitle<K extends string>(x: Extraction, outline: DocumentOutline<K>, kind: ArtifactKind<K>): ArtifactTitle {
  const path = kind.titlePath;
  const pattern = new RegExp(`^${kind.name.split(' ').join('\\s*')}\\b\\s*[-–—:]?\\s*(.*)$`, 'i');
  const heading = outline.title && isToken(outline.title.token, 'heading') ? outline.title.token.text.trim() : undefined;
  const match = heading === undefined ? null : pattern.exec(heading);
  const expected = `# ${kind.name} — ${kind.placeholder}`;
  if (!match && Object.keys(outline.sections).length === 0) {
    const message = `is missing: this does not look like a ${kind.name} (expected a first line "${expected}" and its "##" sections)`;
    return { text: undefined, notThisKind: { section: TITLE, line: outline.title?.line ?? 1, message } };
  }
  if (!outline.title) {
    x.error(TITLE, 1, `is missing: the first line should be "${expected}"`, [path]);
  } else if (!match) {
    x.error(TITLE, outline.title.line, `must read "${expected}" (found "# ${snippet(heading ?? '')}")`, [path]);
  } else {
    x.locate([path], TITLE, outline.title.line, kind.titleLabel);
    return { text: (match[1] ?? '').trim(), notThisKind: undefined };
  }
  return { text: undefined, notThisKind: undefined };
}

/**
 * One `**Label:** value` line per field, in any order. Anything else in the header is reported
 * (listing the labels expected) rather than dropped, since nothing would keep it.
 */
export function readHeaderFields(
  x: Extraction,
  source: MarkdownSource,
  blocks: readonly Block[],
  fields: readonly HeaderField[],
  titleLine: number,
  target: Record<string, unknown>,
): void {
  const scan = scanFields(source, blocks, fields.map((f) => f.key));
  const expected = fields.map((f) => `**${f.label}:**`).join(', ');
  const stray = (line: number, text: string): void => x.error(HEADER, line, `has unexpected content "${snippet(text)}" (expected ${expected})`);
  for (const piece of scan.leading) stray(piece.line, source.text.slice(piece.start, piece.end));

  const lastLine = blocks.at(-1)?.endLine ?? titleLine;
  for (const { key, label, path, optional } of fields) {
    const found = scan.fields.filter((f) => f.key === key);
    const [field, ...duplicates] = found;
    if (!field) {
      if (optional) continue;
      x.error(HEADER, lastLine, `is missing **${label}:**`, [path]);
      continue;
    }
    for (const duplicate of duplicates) x.error(HEADER, duplicate.line, `has **${label}:** twice (first on line ${field.line})`, [path]);
    const [value = '', ...extraLines] = field.inline.split('\n');
    extraLines.forEach((line, i) => stray(field.line + 1 + i, line));
    for (const piece of field.body) stray(piece.line, source.text.slice(piece.start, piece.end));
    target[path] = value.trim();
    x.locate([path], HEADER, field.line, `**${label}:**`);
  }
}
