// The Code Spec: the Architect's handoff to the Coder (seed, "Code Spec Format"). The schema is
// the model; renderCodeSpec writes the seed's layout and parseCodeSpec reads it back, tolerating
// the ways people and models drift from it when writing by hand. One file of ~420 lines on
// purpose: the schema, the writer and the reader are one format, and a change to one of them
// without the others is the bug this file exists to prevent (the shared machinery, headers,
// fields and sections, already lives beside it).
import * as z from 'zod';
import { formatSpecIndex } from './batch.js';
import type { DocumentOutline, Section, SectionDefinition } from './documentOutline.js';
import { HEADER, openArtifact, readHeaderFields, type ArtifactKind, type HeaderField } from './artifactHeader.js';
import type { Extraction, FieldPath } from './extraction.js';
import { scanFields, type LabeledField } from './labeledFields.js';
import { isToken, snippet, type Block, type MarkdownSource } from './markdownBlocks.js';
import {
  bulletList,
  codeSpan,
  fencedBlock,
  isNone,
  labeledValue,
  leadingCodeSpan,
  listItems,
  normalizeCode,
  normalizeMarkdown,
  readCodeBlock,
  unwrapCodeSpan,
} from './markdownSyntax.js';
import type { ParseResult } from './parseResult.js';
import { modelTiers } from '../models/registry.js';
import { sectionItems, sectionText } from './sectionContent.js';

const text = z.string().regex(/\S/, 'must not be empty');
const oneLine = text.regex(/^[^\n]*$/, 'must be a single line');
const fenceLanguage = z.string().regex(/^[^\s`]*$/, 'must be a single word');

const ModifyFileSchema = z.object({
  action: z.literal('MODIFY'),
  path: oneLine,
  function: oneLine.optional(),
  change: text,
  signature: z.object({ language: fenceLanguage, code: text }).optional(),
  constraints: z.array(text).default([]),
});

const NewFileSchema = z.object({
  action: z.literal('NEW'),
  path: oneLine,
  purpose: text,
  contents: z.array(text).min(1, 'must list at least one item'),
});

const DeleteFileSchema = z.object({
  action: z.literal('DELETE'),
  path: oneLine,
  reason: text,
});

export const CodeSpecSchema = z.object({
  title: oneLine,
  specId: oneLine,
  architect: oneLine,
  /** Kept as written: the seed says "[timestamp]" without fixing a format. */
  created: oneLine,
  priority: z.enum(['P0', 'P1', 'P2'], { error: 'must be P0, P1 or P2' }),
  /** Optional, for a swarm run: the seed's Swarm Fields' complexity, so the classifier is not asked. */
  complexity: z.enum(modelTiers, { error: `must be ${modelTiers.slice(0, -1).join(', ')} or ${modelTiers.at(-1) ?? ''}` }).optional(),
  /** Present on the first spec of a batch: "Implement specs 01 through [N] sequentially." */
  batch: z.object({ total: z.number().int().min(1, 'must be at least 1') }).optional(),
  objective: text,
  files: z.array(z.discriminatedUnion('action', [ModifyFileSchema, NewFileSchema, DeleteFileSchema])).min(1, 'must list at least one file'),
  tests: z.array(z.object({ name: oneLine, description: z.string(), checked: z.boolean() })),
  guardrails: z.array(text),
  verification: z.object({ language: fenceLanguage.regex(/./, 'must not be empty').default('bash'), command: text }),
  context: z.string().default(''),
});

export type CodeSpec = z.infer<typeof CodeSpecSchema>;
export type CodeSpecFile = CodeSpec['files'][number];
export type ModifyFile = Extract<CodeSpecFile, { action: 'MODIFY' }>;
export type NewFile = Extract<CodeSpecFile, { action: 'NEW' }>;
export type DeleteFile = Extract<CodeSpecFile, { action: 'DELETE' }>;
export type TestExpectation = CodeSpec['tests'][number];
export type Priority = CodeSpec['priority'];

type SectionKey = 'objective' | 'files' | 'tests' | 'guardrails' | 'verification' | 'context';

const SECTIONS: readonly SectionDefinition<SectionKey>[] = [
  { key: 'objective', name: 'Objective', heading: 'Objective', matches: (h) => h.startsWith('objective'), required: true },
  { key: 'files', name: 'Files to Modify', heading: 'Files to Modify', matches: (h) => /^files( to (modify|change))?$/.test(h), required: true },
  { key: 'tests', name: 'Test Expectations', heading: 'Test Expectations', matches: (h) => /^tests?( expectations?)?$/.test(h), required: true },
  { key: 'guardrails', name: 'Guardrails', heading: 'Guardrails — Do NOT', matches: (h) => h.startsWith('guardrails'), required: true },
  { key: 'verification', name: 'Verification Command', heading: 'Verification Command', matches: (h) => h.startsWith('verification'), required: true },
  { key: 'context', name: 'Context', heading: 'Context (Read-Only Reference)', matches: (h) => h.startsWith('context'), required: false },
];

const SPEC_KIND: ArtifactKind<SectionKey> = {
  name: 'Code Spec',
  placeholder: '<title>',
  titlePath: 'title',
  titleLabel: 'title',
  sections: SECTIONS,
  sectionPaths: (key) => [[key]],
};

const FILES = 'Files to Modify';
const HEADER_FIELDS: readonly HeaderField[] = [
  { key: 'specid', label: 'Spec ID', path: 'specId' },
  { key: 'architect', label: 'Architect', path: 'architect' },
  { key: 'created', label: 'Created', path: 'created' },
  { key: 'priority', label: 'Priority', path: 'priority' },
  { key: 'complexity', label: 'Complexity', path: 'complexity', optional: true },
];

// ---------------------------------------------------------------------------------------------
// Rendering

export function renderCodeSpec(spec: CodeSpec): string {
  const parts = [
    `# Code Spec — ${spec.title}`,
    [
      `**Spec ID:** ${spec.specId}`,
      `**Architect:** ${spec.architect}`,
      `**Created:** ${spec.created}`,
      `**Priority:** ${spec.priority}`,
      ...(spec.complexity !== undefined ? [`**Complexity:** ${spec.complexity}`] : []),
    ].join('\n'),
  ];
  if (spec.batch) parts.push(batchNote(spec.batch.total));
  parts.push('## Objective', spec.objective, '## Files to Modify', ...spec.files.map(renderFile));
  const tests = spec.tests.map((t) => `[${t.checked ? 'x' : ' '}] ${codeSpan(t.name)}${t.description === '' ? '' : ` — ${t.description}`}`);
  parts.push('## Test Expectations', tests.length > 0 ? bulletList(tests) : 'None.');
  parts.push('## Guardrails — Do NOT', spec.guardrails.length > 0 ? bulletList(spec.guardrails) : 'None.');
  parts.push('## Verification Command', fencedBlock(spec.verification.command, spec.verification.language));
  parts.push('## Context (Read-Only Reference)');
  if (spec.context !== '') parts.push(spec.context);
  return `${parts.join('\n\n')}\n`;
}

/** The seed's Batch Mode note for a batch of `total` specs, word for word. */
export function batchNote(total: number): string {
  return [
    '> [!NOTE]',
    `> **Batch Mode Active.** Implement specs ${formatSpecIndex(1, total)} through ${formatSpecIndex(total, total)} sequentially.`,
    '> File a single consolidated Code Report when all are complete.',
  ].join('\n');
}

function renderFile(file: CodeSpecFile): string {
  const heading = `### [${file.action}] ${codeSpan(file.path)}`;
  const fields: string[] = [];
  switch (file.action) {
    case 'MODIFY':
      if (file.function !== undefined) fields.push(`**Function:** ${codeSpan(file.function)}`);
      fields.push(labeledValue('Change', file.change));
      if (file.signature) fields.push(`**Signature:**\n\n${fencedBlock(file.signature.code, file.signature.language)}`);
      if (file.constraints.length > 0) fields.push(`**Constraints:**\n\n${bulletList(file.constraints)}`);
      break;
    case 'NEW':
      fields.push(labeledValue('Purpose', file.purpose), `**Contents:**\n\n${bulletList(file.contents)}`);
      break;
    case 'DELETE':
      fields.push(labeledValue('Reason', file.reason));
      break;
    default: {
      const unknown: never = file;
      throw new Error(`unknown file action in ${JSON.stringify(unknown)}`);
    }
  }
  return `${heading}\n\n${joinFields(fields)}`;
}

/** One-line fields stack on consecutive lines as in the seed; anything longer gets a blank line after it. */
function joinFields(fields: readonly string[]): string {
  return fields.reduce((out, field, i) => (i === 0 ? field : `${out}${fields[i - 1]?.includes('\n') ? '\n\n' : '\n'}${field}`), '');
}

// ---------------------------------------------------------------------------------------------
// Parsing

export function parseCodeSpec(markdown: string): ParseResult<CodeSpec> {
  const opened = openArtifact(markdown, SPEC_KIND);
  if (!opened.ok) return opened;
  const { source, outline, x, title } = opened;

  const spec: Record<string, unknown> = {};
  if (title !== undefined) spec.title = title;
  const headerBlocks = readBatchNote(x, outline, spec);
  readHeaderFields(x, source, headerBlocks, HEADER_FIELDS, outline.title?.line ?? 1, spec);
  if (typeof spec.priority === 'string') spec.priority = spec.priority.toUpperCase();
  if (typeof spec.complexity === 'string') spec.complexity = spec.complexity.toLowerCase();
  if (typeof spec.specId === 'string') spec.specId = unwrapCodeSpan(spec.specId);

  const { objective, files, tests, guardrails, verification, context } = outline.sections;
  if (objective) {
    spec.objective = sectionText(source, objective);
    x.locate(['objective'], 'Objective', objective.heading.line);
  }
  if (files) spec.files = readFiles(x, source, files);
  if (tests) spec.tests = readTests(x, tests);
  if (guardrails) {
    x.locate(['guardrails'], 'Guardrails', guardrails.heading.line);
    spec.guardrails = sectionItems(source, guardrails).map((item, i) => {
      x.locate(['guardrails', i], 'Guardrails', item.line, 'item');
      return item.text;
    });
  }
  if (verification) spec.verification = readVerification(x, verification);
  spec.context = context ? sectionText(source, context) : '';

  return x.validate(CodeSpecSchema, spec);
}

/** Takes the Batch Mode note out of the header (it may also sit above the title); returns the rest. */
function readBatchNote(x: Extraction, outline: DocumentOutline<SectionKey>, spec: Record<string, unknown>): Block[] {
  const rest: Block[] = [];
  let noteLine: number | undefined;
  for (const block of [...outline.beforeTitle, ...outline.header]) {
    if (!isToken(block.token, 'blockquote') || !/batch\s+mode/i.test(block.token.text)) {
      if (outline.title && block.line < outline.title.line) x.error(HEADER, block.line, `has content before the title: "${snippet(block.token.raw)}"`);
      else rest.push(block);
      continue;
    }
    if (noteLine !== undefined) {
      x.error(HEADER, block.line, `has a second Batch Mode note (first on line ${noteLine})`, ['batch']);
      continue;
    }
    noteLine = block.line;
    const count = /\bspecs?\s+\[?0*1\]?\s+(?:through|to|[-–—])\s+\[?(\d+)\]?/i.exec(block.token.text);
    if (count) {
      spec.batch = { total: Number(count[1]) };
      x.locate(['batch', 'total'], HEADER, block.line, 'Batch Mode spec count');
    } else {
      x.error(HEADER, block.line, 'has a Batch Mode note without its spec count ("Implement specs 01 through NN sequentially.")', ['batch']);
    }
  }
  return rest;
}

const ENTRY_FIELDS = {
  MODIFY: ['function', 'change', 'signature', 'constraints'],
  NEW: ['purpose', 'contents'],
  DELETE: ['reason'],
} as const;

type EntryAction = keyof typeof ENTRY_FIELDS;

function isEntryAction(action: string): action is EntryAction {
  return Object.hasOwn(ENTRY_FIELDS, action);
}

function readFiles(x: Extraction, source: MarkdownSource, section: Section): unknown[] {
  x.locate(['files'], FILES, section.heading.line);
  const entries: { heading: Block; blocks: Block[] }[] = [];
  for (const block of section.blocks) {
    const token = block.token;
    const isEntry = isToken(token, 'heading') && (token.depth === 3 || (token.depth > 3 && token.text.trim().startsWith('[')));
    const entry = entries.at(-1);
    if (isEntry) entries.push({ heading: block, blocks: [] });
    else if (entry) entry.blocks.push(block);
    else x.error(FILES, block.line, `has content before its first "### [MODIFY] \`path\`" entry: "${snippet(token.raw)}"`, ['files']);
  }
  return entries.map((entry, index) => readFileEntry(x, source, entry.heading, entry.blocks, index));
}

function readFileEntry(x: Extraction, source: MarkdownSource, heading: Block, blocks: readonly Block[], index: number): unknown {
  const base: FieldPath = ['files', index];
  const headingText = isToken(heading.token, 'heading') ? heading.token.text.trim() : '';
  const match = /^\[\s*([^\]]*?)\s*\]\s*(.*)$/.exec(headingText);
  if (!match) {
    x.error(FILES, heading.line, `has an entry heading that is not "[MODIFY|NEW|DELETE] \`path\`": "${snippet(heading.token.raw)}"`, base);
    return undefined;
  }
  const action = (match[1] ?? '').toUpperCase();
  const path = unwrapCodeSpan(match[2] ?? '');
  if (!isEntryAction(action)) {
    x.error(FILES, heading.line, `has an unknown action "[${match[1] ?? ''}]" (expected [MODIFY], [NEW] or [DELETE])`, base);
    return undefined;
  }
  const name = `[${action}] ${codeSpan(path)}`;
  x.locate(base, FILES, heading.line, name);
  x.locate([...base, 'path'], FILES, heading.line, `path of ${name}`);

  const scan = scanFields(source, blocks, ENTRY_FIELDS[action]);
  const firstLeading = scan.leading[0];
  if (firstLeading) {
    const expected = ENTRY_FIELDS[action].map((k) => `**${capitalize(k)}:**`).join(', ');
    x.error(FILES, firstLeading.line, `has text in ${name} before its first field (${expected}): "${snippet(source.text.slice(firstLeading.start, firstLeading.end))}"`, base);
  }
  const fields = new Map<string, LabeledField>();
  for (const field of scan.fields) {
    const first = fields.get(field.key);
    if (first) x.error(FILES, field.line, `has **${field.label}:** twice in ${name} (first on line ${first.line})`, [...base, field.key]);
    else fields.set(field.key, field);
  }
  const entry: Record<string, unknown> = { action, path };
  const require = (key: string, label: string): LabeledField | undefined => {
    const field = fields.get(key);
    if (!field) x.error(FILES, heading.line, `has ${name} without **${label}:**`, [...base, key]);
    return field;
  };
  const textValue = (field: LabeledField, key: string): string => {
    x.locate([...base, key], FILES, field.line, `**${field.label}:** of ${name}`);
    return normalizeMarkdown(source.text.slice(field.start, field.end));
  };

  switch (action) {
    case 'MODIFY': {
      const fn = fields.get('function');
      if (fn) {
        reportBody(x, source, fn, `after **${fn.label}:** in ${name}`, [...base, 'function']);
        entry.function = unwrapCodeSpan(fn.inline);
        x.locate([...base, 'function'], FILES, fn.line, `**${fn.label}:** of ${name}`);
      }
      const change = require('change', 'Change');
      if (change) entry.change = textValue(change, 'change');
      const signature = fields.get('signature');
      if (signature) entry.signature = readSignature(x, source, signature, name, [...base, 'signature']);
      const constraints = fields.get('constraints');
      entry.constraints = constraints ? readListField(x, source, constraints, name, [...base, 'constraints']) : [];
      break;
    }
    case 'NEW': {
      const purpose = require('purpose', 'Purpose');
      if (purpose) entry.purpose = textValue(purpose, 'purpose');
      const contents = require('contents', 'Contents');
      if (contents) entry.contents = readListField(x, source, contents, name, [...base, 'contents']);
      break;
    }
    case 'DELETE': {
      const reason = require('reason', 'Reason');
      if (reason) entry.reason = textValue(reason, 'reason');
      break;
    }
  }
  return entry;
}

function capitalize(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

function reportBody(x: Extraction, source: MarkdownSource, field: LabeledField, where: string, path: FieldPath): void {
  const extra = field.inline.includes('\n') ? field.inline.split('\n').slice(1).join('\n') : '';
  if (extra.trim() !== '') x.error(FILES, field.line + 1, `has unexpected text ${where}: "${snippet(extra)}"`, path);
  for (const piece of field.body) {
    x.error(FILES, piece.line, `has unexpected content ${where}: "${snippet(source.text.slice(piece.start, piece.end))}"`, path);
  }
}

/** The fenced block after **Signature:**; text on the label's own line is a note and is ignored. */
function readSignature(x: Extraction, source: MarkdownSource, field: LabeledField, name: string, path: FieldPath): unknown {
  const codes = field.body.flatMap((piece) => (piece.token && isToken(piece.token, 'code') ? [{ piece, token: piece.token }] : []));
  for (const piece of field.body) {
    if (!piece.token || !isToken(piece.token, 'code')) {
      x.error(FILES, piece.line, `has text after **${field.label}:** in ${name} that is not its code block: "${snippet(source.text.slice(piece.start, piece.end))}"`, path);
    }
  }
  const [first, second] = codes;
  if (second) x.error(FILES, second.piece.line, `has more than one code block after **${field.label}:** in ${name}`, path);
  x.locate(path, FILES, first?.piece.line ?? field.line, `**${field.label}:** of ${name}`);
  if (first) {
    const { language, content } = readCodeBlock(first.token);
    return { language, code: normalizeCode(content) };
  }
  const inline = leadingCodeSpan(field.inline);
  if (inline && inline.rest.trim() === '') return { language: '', code: inline.code };
  x.error(FILES, field.line, `has **${field.label}:** in ${name} without a fenced code block`, path);
  return undefined;
}

/** Bullets after the label; a lone value on the label's line counts as one item. */
function readListField(x: Extraction, source: MarkdownSource, field: LabeledField, name: string, path: FieldPath): string[] {
  const items: string[] = [];
  x.locate(path, FILES, field.line, `**${field.label}:** of ${name}`);
  for (const piece of field.body) {
    if (piece.token && isToken(piece.token, 'list')) {
      for (const item of listItems(piece.token, piece.line)) {
        x.locate([...path, items.length], FILES, item.line, `item of **${field.label}:** in ${name}`);
        items.push(item.text);
      }
    } else {
      x.error(FILES, piece.line, `expects a bullet list after **${field.label}:** in ${name}, found "${snippet(source.text.slice(piece.start, piece.end))}"`, path);
    }
  }
  if (items.length === 0 && field.inline !== '') items.push(normalizeMarkdown(field.inline));
  return items;
}

function readTests(x: Extraction, section: Section): unknown[] {
  const name = 'Test Expectations';
  x.locate(['tests'], name, section.heading.line);
  const tests: unknown[] = [];
  for (const block of section.blocks) {
    if (!isToken(block.token, 'list')) {
      if (section.blocks.length === 1 && isNone(block.token.raw)) break;
      x.error(name, block.line, `expects a checklist like "- [ ] \`test_name\` — what it verifies", found "${snippet(block.token.raw)}"`, ['tests']);
      continue;
    }
    for (const item of listItems(block.token, block.line)) {
      const path = ['tests', tests.length];
      const span = leadingCodeSpan(item.text);
      let testName: string;
      let rest: string;
      if (span) {
        testName = span.code;
        rest = span.rest;
      } else {
        const separator = /\s+[-–—]\s+|:\s+/.exec(item.text);
        testName = separator ? item.text.slice(0, separator.index) : item.text;
        rest = separator ? item.text.slice(separator.index) : '';
      }
      x.locate([...path, 'name'], name, item.line, 'test name');
      x.locate([...path, 'description'], name, item.line, `description of ${codeSpan(testName)}`);
      tests.push({ name: testName.trim(), description: normalizeMarkdown(rest.replace(/^\s*[-–—:]\s*/, '')), checked: item.checked ?? false });
    }
  }
  return tests;
}

function readVerification(x: Extraction, section: Section): unknown {
  const name = 'Verification Command';
  const codes = section.blocks.flatMap((block) => (isToken(block.token, 'code') ? [{ block, token: block.token }] : []));
  for (const block of section.blocks) {
    if (!isToken(block.token, 'code')) {
      x.error(name, block.line, `has text outside its code block: "${snippet(block.token.raw)}" (put only the command in the section)`, ['verification']);
    }
  }
  const [first, second] = codes;
  if (second) x.error(name, second.block.line, 'has more than one code block: put every command in one block', ['verification']);
  if (!first) {
    x.error(name, section.heading.line, 'is missing a fenced code block', ['verification']);
    return undefined;
  }
  const { language, content } = readCodeBlock(first.token);
  x.locate(['verification', 'command'], name, first.block.line, 'command');
  x.locate(['verification', 'language'], name, first.block.line, 'code block language');
  return { language: language === '' ? 'bash' : language, command: normalizeCode(content) };
}
