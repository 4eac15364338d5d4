// Reads a section's body as free markdown or as a list of items; shared by both artifacts for
// Objective/Context/Summary (text) and Guardrails/Blockers/Deviations (items).
import type { Section } from './documentOutline.js';
import { isToken, type MarkdownSource } from './markdownBlocks.js';
import { isNone, listItems, normalizeMarkdown } from './markdownSyntax.js';

/** Everything between the heading and the next known section, as written. */
export function sectionText(source: MarkdownSource, section: Section): string {
  return normalizeMarkdown(source.text.slice(section.heading.end, section.end));
}

export interface SectionItem {
  text: string;
  line: number;
}

/**
 * Bullet items; "None." (or an empty section) is no items. Prose, or prose mixed with lists, is
 * kept whole as a single item rather than rejected or split, so nothing the author wrote is lost.
 */
export function sectionItems(source: MarkdownSource, section: Section): SectionItem[] {
  const blocks = section.blocks;
  const first = blocks[0];
  if (!first) return [];
  const text = sectionText(source, section);
  if (blocks.length === 1 && isToken(first.token, 'paragraph') && isNone(text)) return [];
  const items: SectionItem[] = [];
  for (const block of blocks) {
    if (!isToken(block.token, 'list')) return [{ text, line: first.line }];
    items.push(...listItems(block.token, block.line).map(({ text: itemText, line }) => ({ text: itemText, line })));
  }
  return items;
}
