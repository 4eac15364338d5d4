// Splits a lexed artifact into its title, the header between the title and the first section,
// and the known `##` sections. Unknown `##` headings stay inside the section they appear in, so
// free-form sections (Objective, Context) may use their own headings.
import { isToken, type Block, type MarkdownSource } from './markdownBlocks.js';
import type { ArtifactError } from './parseResult.js';

export interface SectionDefinition<K extends string> {
  key: K;
  /** The short name errors use, e.g. `Guardrails`. */
  name: string;
  /** The heading as the seed writes it, e.g. `Guardrails — Do NOT`. */
  heading: string;
  /** Tested against normalizeHeading(text), so case, punctuation and dashes do not matter. */
  matches: (normalized: string) => boolean;
  required: boolean;
}

export interface Section {
  heading: Block;
  /** Blocks after the heading, up to the next known section. */
  blocks: Block[];
  /** Last line of the section's content (the heading line when it is empty). */
  endLine: number;
  /** Offset where the section's text ends: the next known section's heading, or the end. */
  end: number;
}

export interface DocumentOutline<K extends string> {
  /** The first `#` heading before any known section, if there is one. */
  title: Block | undefined;
  /** Blocks before the title (or before the first section when there is no title). */
  beforeTitle: Block[];
  /** Blocks between the title and the first known section. */
  header: Block[];
  sections: Partial<Record<K, Section>>;
  /** Missing and repeated sections, each with the key of the section concerned. */
  errors: (ArtifactError & { key: K })[];
}

/** Lowercase words only: `Guardrails — Do NOT` becomes `guardrails do not`. */
export function normalizeHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function outlineDocument<K extends string>(
  source: MarkdownSource,
  definitions: readonly SectionDefinition<K>[],
): DocumentOutline<K> {
  const errors: (ArtifactError & { key: K })[] = [];
  const sections: Partial<Record<K, Section>> = {};
  let title: Block | undefined;
  const beforeTitle: Block[] = [];
  const header: Block[] = [];
  let current: Section | undefined;

  for (const block of source.blocks) {
    const definition = sectionOf(block, definitions);
    if (definition) {
      const existing = sections[definition.key];
      if (current) current.end = block.start;
      current = { heading: block, blocks: [], endLine: block.endLine, end: source.text.length };
      if (existing) {
        errors.push({ key: definition.key, section: definition.name, line: block.line, message: `appears twice (first on line ${existing.heading.line})` });
      } else {
        sections[definition.key] = current;
      }
    } else if (current) {
      current.blocks.push(block);
      current.endLine = block.endLine;
    } else if (!title && isToken(block.token, 'heading') && block.token.depth === 1) {
      title = block;
    } else {
      (title ? header : beforeTitle).push(block);
    }
  }

  // A missing section is reported where it should have started: after the nearest section
  // that comes before it in the seed's order, or after the header.
  const headerEnd = header.at(-1)?.endLine ?? title?.endLine ?? beforeTitle.at(-1)?.endLine ?? 1;
  let previousEnd = headerEnd;
  for (const definition of definitions) {
    const section = sections[definition.key];
    if (section) {
      previousEnd = section.endLine;
    } else if (definition.required) {
      errors.push({ key: definition.key, section: definition.name, line: previousEnd, message: `is missing: add a "## ${definition.heading}" section` });
    }
  }
  return { title, beforeTitle, header, sections, errors };
}

function sectionOf<K extends string>(block: Block, definitions: readonly SectionDefinition<K>[]): SectionDefinition<K> | undefined {
  if (!isToken(block.token, 'heading') || block.token.depth !== 2) return undefined;
  const normalized = normalizeHeading(block.token.text);
  return definitions.find((d) => d.matches(normalized));
}
