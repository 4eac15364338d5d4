// The Code Report: the Coder's account of what it did (seed, "Code Report Format"). The schema
// is the model; renderCodeReport writes the seed's layout and parseCodeReport reads it back.
import * as z from 'zod';
import { HEADER, openArtifact, readHeaderFields, type ArtifactKind, type HeaderField } from './artifactHeader.js';
import { normalizeHeading, type Section, type SectionDefinition } from './documentOutline.js';
import type { Extraction } from './extraction.js';
import { scanFields } from './labeledFields.js';
import { isToken, snippet, type MarkdownSource } from './markdownBlocks.js';
import { bulletList, codeSpan, fencedBlock, inertText, isNone, labeledValue, normalizeMarkdown, readCodeBlock, tableCell, unwrapCodeSpan } from './markdownSyntax.js';
import type { ParseResult } from './parseResult.js';
import { sectionItems, sectionText } from './sectionContent.js';

const text = z.string().regex(/\S/, 'must not be empty');
const oneLine = text.regex(/^[^\n]*$/, 'must be a single line');
const lineCount = z.number().int('must be a whole number').min(0, 'must not be negative');

export const CodeReportSchema = z.object({
  specId: oneLine,
  coder: oneLine,
  completed: oneLine,
  /** The markdown as written, usually a link: `[code_spec.md](code_spec.md)`. */
  spec: oneLine,
  summary: text,
  filesChanged: z.array(
    z.object({
      path: oneLine,
      action: z.enum(['Modified', 'Created', 'Deleted'], { error: 'must be Modified, Created or Deleted' }),
      added: lineCount,
      removed: lineCount,
    }),
  ),
  testOutput: z.string(),
  testResult: z.object({ status: z.enum(['PASS', 'FAIL'], { error: 'must be PASS or FAIL' }), details: z.string() }),
  buildOutput: z.string(),
  buildResult: z.object({ status: z.enum(['CLEAN', 'WARNINGS', 'ERRORS'], { error: 'must be CLEAN, WARNINGS or ERRORS' }), details: z.string() }),
  blockers: z.array(text),
  deviations: z.array(text),
});

export type CodeReport = z.infer<typeof CodeReportSchema>;
export type FileChange = CodeReport['filesChanged'][number];
export type TestResult = CodeReport['testResult'];
export type BuildResult = CodeReport['buildResult'];

type SectionKey = 'summary' | 'files' | 'tests' | 'build' | 'blockers' | 'deviations';

const SECTIONS: readonly SectionDefinition<SectionKey>[] = [
  { key: 'summary', name: 'Summary', heading: 'Summary', matches: (h) => h.startsWith('summary'), required: true },
  { key: 'files', name: 'Files Changed', heading: 'Files Changed', matches: (h) => /^files( changed)?$/.test(h), required: true },
  { key: 'tests', name: 'Test Results', heading: 'Test Results', matches: (h) => /^tests?( results?)?$/.test(h), required: true },
  { key: 'build', name: 'Build Status', heading: 'Build Status', matches: (h) => /^build( status| results?)?$/.test(h), required: true },
  { key: 'blockers', name: 'Blockers', heading: 'Blockers', matches: (h) => h.startsWith('blockers'), required: true },
  { key: 'deviations', name: 'Deviations from Spec', heading: 'Deviations from Spec', matches: (h) => h.startsWith('deviations'), required: true },
];

const HEADER_FIELDS: readonly HeaderField[] = [
  { key: 'coder', label: 'Coder', path: 'coder' },
  { key: 'completed', label: 'Completed', path: 'completed' },
  { key: 'spec', label: 'Spec', path: 'spec' },
];

const SECTION_PATHS: Record<SectionKey, string[][]> = {
  summary: [['summary']],
  files: [['filesChanged']],
  tests: [['testOutput'], ['testResult']],
  build: [['buildOutput'], ['buildResult']],
  blockers: [['blockers']],
  deviations: [['deviations']],
};

const REPORT_KIND: ArtifactKind<SectionKey> = {
  name: 'Code Report',
  placeholder: '<Spec ID>',
  titlePath: 'specId',
  titleLabel: 'Spec ID in the title',
  sections: SECTIONS,
  sectionPaths: (key) => SECTION_PATHS[key],
};

const NO_DEVIATIONS = 'None — implemented exactly as specified.';

// ---------------------------------------------------------------------------------------------
// Rendering

export function renderCodeReport(report: CodeReport): string {
  const rows = report.filesChanged.map((f) => `| ${tableCell(codeSpan(f.path))} | ${f.action} | ${lineCounts(f)} |`);
  return `${[
    `# Code Report — ${report.specId}`,
    [`**Coder:** ${report.coder}`, `**Completed:** ${report.completed}`, `**Spec:** ${report.spec}`].join('\n'),
    '## Summary',
    // Model-written text: it must not open a section of its own (a forged "## Test Results").
    inertText(report.summary),
    '## Files Changed',
    rows.length > 0 ? ['| File | Action | Lines Changed |', '|------|--------|---------------|', ...rows].join('\n') : 'None.',
    '## Test Results',
    fencedBlock(report.testOutput),
    labeledValue('Result', withDetails(report.testResult)),
    '## Build Status',
    fencedBlock(report.buildOutput),
    labeledValue('Result', withDetails(report.buildResult)),
    '## Blockers',
    report.blockers.length > 0 ? bulletList(report.blockers.map(inertText)) : 'None.',
    '## Deviations from Spec',
    report.deviations.length > 0 ? bulletList(report.deviations.map(inertText)) : NO_DEVIATIONS,
  ].join('\n\n')}\n`;
}

/** Modified `+25 / -10`, Created `+80`, Deleted `-12`; both numbers whenever the short form would lose one. */
function lineCounts(change: FileChange): string {
  if (change.action === 'Created' && change.removed === 0) return `+${change.added}`;
  if (change.action === 'Deleted' && change.added === 0) return `-${change.removed}`;
  return `+${change.added} / -${change.removed}`;
}

function withDetails(result: { status: string; details: string }): string {
  return result.details === '' ? result.status : `${result.status} — ${result.details}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

export function parseCodeReport(markdown: string): ParseResult<CodeReport> {
  const opened = openArtifact(markdown, REPORT_KIND);
  if (!opened.ok) return opened;
  const { source, outline, x, title } = opened;

  const report: Record<string, unknown> = {};
  if (title !== undefined) report.specId = unwrapCodeSpan(title);
  // Without a title, what came first is still read as the header rather than reported twice.
  const header = outline.title ? outline.header : outline.beforeTitle;
  if (outline.title) {
    for (const block of outline.beforeTitle) x.error(HEADER, block.line, `has content before the title: "${snippet(block.token.raw)}"`);
  }
  readHeaderFields(x, source, header, HEADER_FIELDS, outline.title?.line ?? 1, report);

  const { summary, files, tests, build, blockers, deviations } = outline.sections;
  if (summary) {
    report.summary = sectionText(source, summary);
    x.locate(['summary'], 'Summary', summary.heading.line);
  }
  if (files) report.filesChanged = readFilesChanged(x, source, files);
  if (tests) Object.assign(report, readOutcome(x, source, tests, 'Test Results', 'testOutput', 'testResult', testStatus));
  if (build) Object.assign(report, readOutcome(x, source, build, 'Build Status', 'buildOutput', 'buildResult', buildStatus));
  if (blockers) report.blockers = readItems(x, source, blockers, 'Blockers', 'blockers');
  if (deviations) report.deviations = readItems(x, source, deviations, 'Deviations from Spec', 'deviations');

  return x.validate(CodeReportSchema, report);
}

function readItems(x: Extraction, source: MarkdownSource, section: Section, name: string, path: string): string[] {
  x.locate([path], name, section.heading.line);
  return sectionItems(source, section).map((item, i) => {
    x.locate([path, i], name, item.line, 'item');
    return item.text;
  });
}

function readFilesChanged(x: Extraction, source: MarkdownSource, section: Section): unknown[] {
  const name = 'Files Changed';
  x.locate(['filesChanged'], name, section.heading.line);
  const [block, ...others] = section.blocks;
  if (!block || (others.length === 0 && isToken(block.token, 'paragraph') && isNone(block.token.raw))) return [];
  for (const other of others) x.error(name, other.line, `has content after its table: "${snippet(other.token.raw)}"`, ['filesChanged']);
  if (!isToken(block.token, 'table')) {
    x.error(name, block.line, `expects a table "| File | Action | Lines Changed |", found "${snippet(block.token.raw)}"`, ['filesChanged']);
    return [];
  }
  // Columns by their header text, falling back to the seed's order.
  const headers = block.token.header.map((cell) => normalizeHeading(cell.text));
  const column = (word: string, fallback: number): number => {
    const found = headers.findIndex((h) => h.startsWith(word));
    return found >= 0 ? found : fallback;
  };
  const [fileColumn, actionColumn, linesColumn] = [column('file', 0), column('action', 1), column('line', 2)];
  return block.token.rows.map((row, i) => {
    const line = block.line + 2 + i;
    const path = ['filesChanged', i];
    const filePath = unwrapCodeSpan(row[fileColumn]?.text ?? '');
    const cell = (row[linesColumn]?.text ?? '').trim();
    const counts = parseLineCounts(cell);
    const shown = codeSpan(filePath);
    for (const field of ['path', 'action', 'added', 'removed']) x.locate([...path, field], name, line, `${field} of ${shown}`);
    if (!counts) {
      const problem = cell === '' ? 'no line counts' : `unparsable line counts "${snippet(cell)}"`;
      x.error(name, line, `has ${problem} for ${shown} (expected "+25 / -10", "+80" or "-12")`, path);
    }
    return { path: filePath, action: fileAction(row[actionColumn]?.text ?? ''), ...counts };
  });
}

/** `+25 / -10`, `+80`, `-12`, or `25 / 10`; the minus may be a hyphen, an en dash or U+2212. */
function parseLineCounts(cell: string): { added: number; removed: number } | undefined {
  const plain = cell.replace(/`/g, '').trim();
  const signed = /^(?:\+\s*(\d+))?\s*[/,]?\s*(?:[-−–]\s*(\d+))?$/.exec(plain);
  if (signed && (signed[1] !== undefined || signed[2] !== undefined)) {
    return { added: Number(signed[1] ?? 0), removed: Number(signed[2] ?? 0) };
  }
  const unsigned = /^(\d+)\s*\/\s*(\d+)$/.exec(plain);
  return unsigned ? { added: Number(unsigned[1]), removed: Number(unsigned[2]) } : undefined;
}

function fileAction(cell: string): string {
  const word = cell.trim().toLowerCase();
  if (/^(modified|modify|changed|updated|edited)$/.test(word)) return 'Modified';
  if (/^(created|create|new|added)$/.test(word)) return 'Created';
  if (/^(deleted|delete|removed)$/.test(word)) return 'Deleted';
  return cell.trim();
}

function testStatus(word: string): string {
  if (/^pass(ed|es|ing)?$/i.test(word)) return 'PASS';
  if (/^fail(ed|s|ing|ure|ures)?$/i.test(word)) return 'FAIL';
  return word.toUpperCase();
}

function buildStatus(word: string): string {
  if (/^clean$/i.test(word)) return 'CLEAN';
  if (/^warnings?$/i.test(word)) return 'WARNINGS';
  if (/^errors?$/i.test(word)) return 'ERRORS';
  return word.toUpperCase();
}

/** A section made of a fenced output block followed by `**Result:** STATUS — details`. */
function readOutcome(
  x: Extraction,
  source: MarkdownSource,
  section: Section,
  name: string,
  outputPath: string,
  resultPath: string,
  status: (word: string) => string,
): Record<string, unknown> {
  const scan = scanFields(source, section.blocks, ['result']);
  const out: Record<string, unknown> = {};
  const [result, ...duplicates] = scan.fields;
  for (const duplicate of duplicates) x.error(name, duplicate.line, `has **Result:** twice (first on line ${result?.line ?? 0})`, [resultPath]);

  const outputs = scan.leading.filter((piece) => piece.token && isToken(piece.token, 'code'));
  for (const piece of scan.leading) {
    if (!outputs.includes(piece)) x.error(name, piece.line, `has text outside its output block: "${snippet(source.text.slice(piece.start, piece.end))}"`, [outputPath]);
  }
  const [output, extra] = outputs;
  if (extra) x.error(name, extra.line, 'has more than one output block: paste all the output into one', [outputPath]);
  if (output?.token && isToken(output.token, 'code')) {
    out[outputPath] = readCodeBlock(output.token).content;
  } else if (result?.body.some((piece) => piece.token && isToken(piece.token, 'code'))) {
    x.error(name, result.line, 'has its output block after **Result:**: put the fenced output first', [outputPath], [resultPath]);
  } else {
    x.error(name, section.heading.line, 'is missing a fenced code block with the output', [outputPath]);
  }

  if (!result) {
    x.error(name, section.endLine, 'is missing **Result:**', [resultPath]);
    return out;
  }
  const value = normalizeMarkdown(source.text.slice(result.start, result.end));
  const word = /^[^\p{L}]*(\p{L}+)/u.exec(value);
  const details = word ? value.slice(word[0].length).replace(/^[ \t]*[-–—:,]?\s*/, '') : value;
  out[resultPath] = { status: status(word?.[1] ?? ''), details };
  x.locate([resultPath, 'status'], name, result.line, '**Result:**');
  x.locate([resultPath, 'details'], name, result.line, 'details of **Result:**');
  return out;
}
