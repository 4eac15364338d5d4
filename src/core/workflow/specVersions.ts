// The run folder's layout, and the only code that knows it: each spec version in versions/vN/
// (code_spec.md, or code_spec_01.md … in batch mode, its code_report.md and originals.json),
// with the current spec and report copied to the folder's top where people read and edit them.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { CodeSpec } from '../artifacts/codeSpec.js';
import { batchNote, parseCodeSpec, renderCodeSpec } from '../artifacts/codeSpec.js';
import { specFileName } from '../artifacts/batch.js';
import { formatArtifactErrors } from '../artifacts/parseResult.js';
import { messageOf } from './errorMessage.js';
import { extractSpecMarkdown, splitBatch } from './modelAnswers.js';
import type { RunRecord } from './runRecord.js';
import type { BatchSpecEntry } from './batchView.js';
import type { DocumentSource } from './runView.js';
import type { RunStore } from './runStore.js';

const SPEC_FILE = 'code_spec.md';
const REPORT_FILE = 'code_report.md';
const versionDir = (version: number): string => `versions/v${version}`;
const originalsFile = (version: number): string => `${versionDir(version)}/originals.json`;
/** Batch mode: the touched files as they were when spec NN (after the first) began; its presence says the spec was begun. */
const specStartFile = (version: number, index: number): string => `${versionDir(version)}/batch_start_${String(index + 1).padStart(2, '0')}.json`;

/** Each file a Coder pass touched and its content before it (undefined: it did not exist). */
export type Originals = Map<string, string | undefined>;

export interface SpecSet {
  /** code_spec.md, or code_spec_01.md … in batch mode. */
  files: string[];
  specs: CodeSpec[];
  /** Each file's text as saved, in the order of `files`. */
  texts: string[];
  /** All of them, as one text for the Architect's review. */
  markdown: string;
}

/**
 * What the HARD STOP before the Coder shows: the spec set of one version, its verification
 * commands, and a digest of both that a confirm must name (or that a confirm without one binds to).
 */
export interface SpecApproval {
  specVersion: number;
  digest: string;
  commands: string[];
}

/** A workspace-relative path as the Coder writes them: not absolute, never climbing out. */
const workspacePath = z
  .string()
  .min(1)
  .refine((file) => !/^([/\\]|[A-Za-z]:)/.test(file) && !file.split(/[/\\]/).includes('..'), 'is not a path inside the workspace');
/** originals.json feeds revert, which writes its contents back: a hand edit must not steer it. */
const OriginalsSchema = z.record(workspacePath, z.string().nullable());

export class SpecVersions {
  constructor(private readonly store: RunStore) {}

  /** Writes a spec version: code_spec.md, or code_spec_01.md … in batch mode. */
  async save(runId: string, version: number, specs: readonly CodeSpec[]): Promise<string[]> {
    const files = specs.length === 1 ? [SPEC_FILE] : specs.map((_, index) => specFileName(index + 1, specs.length));
    for (const [index, spec] of specs.entries()) {
      await this.store.writeArtifact(runId, `${versionDir(version)}/${files[index] ?? SPEC_FILE}`, renderCodeSpec(spec));
    }
    return files;
  }

  /** Makes a spec version the current one: its files are copied to the run folder's top. */
  async promote(record: RunRecord, version: number): Promise<void> {
    const runId = record.runId;
    const current = new Set(filesOf(record, version));
    for (const file of current) {
      const markdown = await this.store.readArtifact(runId, `${versionDir(version)}/${file}`);
      if (markdown === undefined) throw new Error(`${versionDir(version)}/${file} is missing.`);
      await this.store.writeArtifact(runId, file, markdown);
    }
    // Files of an earlier version's set (single vs batch) must not pass for current ones.
    for (const earlier of record.specs) {
      for (const file of earlier.batchFiles ?? [SPEC_FILE]) if (!current.has(file)) await this.store.removeArtifact(runId, file);
    }
  }

  /**
   * The seed has the Coder read code_spec.md, and people edit it at the HARD STOP: an edit to the
   * current spec file becomes that version's spec (after it parses; a broken edit is refused with
   * the file and line, and nothing moves on).
   */
  async adoptHandEdits(record: RunRecord, version: number): Promise<void> {
    const runId = record.runId;
    for (const file of filesOf(record, version)) {
      const current = await this.store.readArtifact(runId, file);
      const saved = await this.store.readArtifact(runId, `${versionDir(version)}/${file}`);
      if (current === undefined || current === saved) continue;
      const parsed = parseCodeSpec(current);
      if (!parsed.ok) throw new Error(`${file} was edited and no longer parses, so the Coder cannot start:\n${formatArtifactErrors(file, parsed.errors)}`);
      await this.store.writeArtifact(runId, `${versionDir(version)}/${file}`, current);
    }
  }

  /** A spec version as saved, parsed; a hand edit that broke it is named by file and line. */
  async load(record: RunRecord, version: number): Promise<SpecSet> {
    const files = filesOf(record, version);
    const specs: CodeSpec[] = [];
    const texts: string[] = [];
    for (const file of files) {
      const markdown = await this.store.readArtifact(record.runId, `${versionDir(version)}/${file}`);
      if (markdown === undefined) throw new Error(`${versionDir(version)}/${file} is missing.`);
      const parsed = parseCodeSpec(markdown);
      if (!parsed.ok) throw new Error(`The saved spec was edited and no longer parses:\n${formatArtifactErrors(file, parsed.errors)}`);
      specs.push(parsed.value);
      texts.push(markdown);
    }
    return { files, specs, texts, markdown: texts.join('\n---\n\n') };
  }

  /** The spec set of a version as it is now, hand edits adopted, with the digest a confirm binds to. */
  async approval(record: RunRecord, version: number): Promise<SpecApproval> {
    await this.adoptHandEdits(record, version);
    const set = await this.load(record, version);
    const digest = createHash('sha256').update(JSON.stringify([version, set.files, set.texts])).digest('hex');
    return { specVersion: version, digest, commands: verificationCommands(set) };
  }

  /**
   * The run's documents as the panels list them: every spec version (each batch file on its own)
   * followed by its report; a version nobody implemented and the run is not about to is marked
   * proposed. A file missing on disk is left out.
   */
  async documentsOf(record: RunRecord): Promise<DocumentSource[]> {
    const documents: DocumentSource[] = [];
    for (const spec of record.specs) {
      const files = spec.batchFiles ?? [SPEC_FILE];
      for (const [index, name] of files.entries()) {
        const file = `${versionDir(spec.version)}/${name}`;
        const markdown = await this.store.readArtifact(record.runId, file);
        const label = files.length > 1 ? `Code Spec v${spec.version} · ${String(index + 1).padStart(2, '0')}` : `Code Spec v${spec.version}`;
        if (markdown !== undefined) documents.push({ kind: 'spec', label, path: file, markdown, proposed: isProposed(record, spec.version) });
      }
      const report = record.reports.find((entry) => entry.specVersion === spec.version);
      if (report) {
        const reportFile = `${versionDir(spec.version)}/${REPORT_FILE}`;
        const text = await this.store.readArtifact(record.runId, reportFile);
        if (text !== undefined) documents.push({ kind: 'report', label: `Code Report v${report.version}`, path: reportFile, markdown: text, reportVersion: report.version });
      }
    }
    return documents;
  }

  /**
   * The spec set the run is at or in the Coder's pass over (also when that pass failed), each
   * spec with its file, id, title and command; undefined at any other point.
   */
  async currentSet(record: RunRecord): Promise<BatchSpecEntry[] | undefined> {
    const state = record.state.phase === 'failed' ? record.state.resumeFrom : record.state;
    if (state.phase !== 'hard-stop-to-coder' && state.phase !== 'coder-implement') return undefined;
    const set = await this.load(record, state.specVersion);
    return set.specs.map((spec, index) => ({ file: set.files[index] ?? SPEC_FILE, path: `${versionDir(state.specVersion)}/${set.files[index] ?? SPEC_FILE}`, specId: spec.specId, title: spec.title, command: spec.verification.command }));
  }

  /** How the report links its spec set: each file of the version, relative to the run folder. */
  specLinks(set: SpecSet, version: number): string {
    return set.files.map((file) => `[${file}](${versionDir(version)}/${file})`).join(', ');
  }

  /** Saves a pass's report in its version and as the current code_report.md. */
  async saveReport(runId: string, specVersion: number, markdown: string): Promise<void> {
    await this.store.writeArtifact(runId, `${versionDir(specVersion)}/${REPORT_FILE}`, markdown);
    await this.store.writeArtifact(runId, REPORT_FILE, markdown);
  }

  readReport(runId: string, specVersion: number): Promise<string | undefined> {
    return this.store.readArtifact(runId, `${versionDir(specVersion)}/${REPORT_FILE}`);
  }

  /**
   * versions/vN/originals.json: each touched file's content before pass N (null: it did not
   * exist); undefined when the pass wrote none. A damaged file is refused, named, and left as it is.
   */
  async readOriginals(runId: string, specVersion: number): Promise<Originals | undefined> {
    return this.readContents(runId, originalsFile(specVersion));
  }

  async writeOriginals(runId: string, specVersion: number, originals: ReadonlyMap<string, string | undefined>): Promise<void> {
    await this.writeContents(runId, originalsFile(specVersion), originals);
  }

  /**
   * Batch mode: the files the pass had touched as they were when spec `index` (0-based, after the
   * first) began; undefined when it has not begun. The first spec begins with the pass (originals).
   */
  readSpecStart(runId: string, specVersion: number, index: number): Promise<Originals | undefined> {
    return this.readContents(runId, specStartFile(specVersion, index));
  }

  writeSpecStart(runId: string, specVersion: number, index: number, files: ReadonlyMap<string, string | undefined>): Promise<void> {
    return this.writeContents(runId, specStartFile(specVersion, index), files);
  }

  /** A file of path → content (null: the file did not exist); a damaged one is refused, named, and left as it is. */
  private async readContents(runId: string, file: string): Promise<Originals | undefined> {
    const text = await this.store.readArtifact(runId, file);
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} of run ${runId} is not valid JSON (${messageOf(error)}); it was left as it is for inspection.`, { cause: error });
    }
    const parsed = OriginalsSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
      throw new Error(`${file} of run ${runId} is damaged${where}: ${issue?.message ?? 'invalid'}; it was left as it is for inspection.`);
    }
    return new Map(Object.entries(parsed.data).map(([path, content]) => [path, content ?? undefined]));
  }

  private async writeContents(runId: string, file: string, contents: ReadonlyMap<string, string | undefined>): Promise<void> {
    const json = Object.fromEntries([...contents.entries()].map(([path, text]) => [path, text ?? null]));
    await this.store.writeArtifact(runId, file, `${JSON.stringify(json, null, 2)}\n`);
  }
}

/** The files of a spec version: code_spec.md, or its batch files. */
function filesOf(record: RunRecord, version: number): string[] {
  return record.specs.find((spec) => spec.version === version)?.batchFiles ?? [SPEC_FILE];
}

/** A spec version nobody implemented and the run is not about to: the Architect's proposal only. */
function isProposed(record: RunRecord, version: number): boolean {
  if (record.reports.some((report) => report.specVersion === version)) return false;
  const state = record.state;
  const current = state.phase === 'hard-stop-to-coder' || state.phase === 'coder-implement' ? state.specVersion : undefined;
  const resumable = state.phase === 'failed' && (state.resumeFrom.phase === 'hard-stop-to-coder' || state.resumeFrom.phase === 'coder-implement') ? state.resumeFrom.specVersion : undefined;
  return version !== current && version !== resumable;
}

/**
 * One spec, or a batch (several specs separated by "---"), each parsed and validated. A batch is
 * one on purpose: its first spec carries the seed's Batch Mode note, whose count matches the
 * specs found; a note anywhere else, or a count that does not match, is an error to repair.
 */
export function parseSpecAnswer(answer: string): { ok: true; specs: CodeSpec[] } | { ok: false; error: string } {
  const parts = splitBatch(extractSpecMarkdown(answer));
  const specs: CodeSpec[] = [];
  const errors: string[] = [];
  for (const [index, part] of parts.entries()) {
    const parsed = parseCodeSpec(part);
    const file = parts.length === 1 ? SPEC_FILE : specFileName(index + 1, parts.length);
    if (parsed.ok) specs.push(parsed.value);
    else errors.push(formatArtifactErrors(file, parsed.errors));
  }
  if (errors.length) return { ok: false, error: errors.join('\n') };
  const batchError = batchHeaderError(specs);
  return batchError ? { ok: false, error: batchError } : { ok: true, specs };
}

/** What is wrong with the Batch Mode note of a parsed answer, if anything. */
function batchHeaderError(specs: readonly CodeSpec[]): string | undefined {
  const count = specs.length;
  const [first, ...rest] = specs;
  if (!first) return 'The answer holds no Code Spec.';
  const note = batchNote(count);
  const misplaced = rest.findIndex((spec) => spec.batch !== undefined);
  if (misplaced >= 0) return `${specFileName(misplaced + 2, count)}: the Batch Mode note belongs in the first spec only; remove it from spec ${misplaced + 2}.`;
  if (count === 1) {
    const total = first.batch?.total ?? 1;
    return total > 1
      ? `code_spec.md: the Batch Mode note announces ${total} specs but the answer holds 1. Separate the specs with a line containing only "---", or remove the note for a single spec.`
      : undefined;
  }
  if (!first.batch) return `code_spec_01.md: ${count} specs were found (separated by "---") but the first has no Batch Mode note. Put this note right below its metadata:\n\n${note}`;
  if (first.batch.total !== count) {
    return `code_spec_01.md: the Batch Mode note announces ${first.batch.total} specs but the answer holds ${count}. Make the note match:\n\n${note}`;
  }
  return undefined;
}

/** How run.json lists a spec version. */
export function specEntry(version: number, createdAt: string, specs: readonly CodeSpec[], files: readonly string[]): RunRecord['specs'][number] {
  return {
    version,
    createdAt,
    specId: specs.map((spec) => spec.specId).join(', '),
    ...(files.length > 1 ? { batchFiles: [...files] } : {}),
  };
}

/** Every distinct verification command of a spec set, in order: what the user approves. */
export function verificationCommands(set: { specs: readonly CodeSpec[] }): string[] {
  return [...new Set(set.specs.map((spec) => spec.verification.command))];
}
