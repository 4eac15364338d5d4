// The Coder's hands: the tools it may call, each confined to the workspace and the spec's
// guardrails. It remembers each file's content before its first change (so the pass can be
// diffed and reverted) and every refusal (so the report can say what was blocked).
import type { ToolDefinition } from '../models/modelClient.js';
import type { VerificationResult, VerificationRunner, WorkspaceFiles } from '../ports.js';
import { confine, isGuarded } from './confinement.js';

export interface CoderReportProse {
  summary: string;
  blockers: string[];
  deviations: string[];
}

export const coderToolDefinitions: readonly ToolDefinition[] = [
  {
    name: 'read_file',
    description: 'Read a text file of the workspace. Paths are relative to the workspace root.',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    name: 'list_directory',
    description: 'List one folder of the workspace; folders end with "/". Use "." for the root.',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    name: 'search',
    description: 'Find lines containing a literal text in the workspace files (node_modules and .git are skipped).',
    inputSchema: { type: 'object', properties: { text: { type: 'string' }, path: { type: 'string' } }, required: ['text'] },
  },
  {
    name: 'write_file',
    description: 'Create or replace a whole file with the given content.',
    inputSchema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] },
  },
  {
    name: 'edit_file',
    description: 'Replace one exact occurrence of old_text with new_text in a file. old_text must occur exactly once.',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string' }, old_text: { type: 'string' }, new_text: { type: 'string' } },
      required: ['path', 'old_text', 'new_text'],
    },
  },
  {
    name: 'delete_file',
    description: 'Delete a file the spec marks [DELETE].',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    name: 'run_verification',
    description: "Run the spec's Verification Command (the only command you may run) and see its output and exit code.",
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: 'submit_report',
    description:
      'Finish: the prose of the Code Report. Facts (files changed, test output, results) are filled in by the extension. List every TODO(architect) question under blockers.',
    inputSchema: {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        blockers: { type: 'array', items: { type: 'string' } },
        deviations: { type: 'array', items: { type: 'string' } },
      },
      required: ['summary', 'blockers', 'deviations'],
    },
  },
];

export interface CoderToolboxOptions {
  workspace: WorkspaceFiles;
  verifier: VerificationRunner;
  guarded: readonly string[];
  /** The command the user saw at the HARD STOP; the only one that runs. */
  approvedCommand: string;
  timeoutMs: number;
  maxVerificationRuns: number;
  /** Content before the pass; shared with earlier toolboxes of the same pass after a reload. */
  originals: Map<string, string | undefined>;
  /** Called before the first change to a file, so its prior content is safe on disk first. */
  rememberOriginals: (originals: ReadonlyMap<string, string | undefined>) => Promise<void>;
  signal: AbortSignal;
}

export type ToolOutcome = { output: string; isError: boolean };

const skippedFolders = new Set(['node_modules', '.git', '.dual-model', 'dist', 'out']);
const maxReadChars = 200_000;

export class CoderToolbox {
  readonly refusals: string[] = [];
  readonly verificationRuns: VerificationResult[] = [];
  report: CoderReportProse | undefined;
  /** The touched files as the last verification saw them, to know whether it must run again. */
  private treeAtLastVerification: Map<string, string | undefined> | undefined;

  constructor(private readonly options: CoderToolboxOptions) {}

  get originals(): ReadonlyMap<string, string | undefined> {
    return this.options.originals;
  }

  async execute(name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
    try {
      switch (name) {
        case 'read_file':
          return await this.read(text(input, 'path'));
        case 'list_directory':
          return await this.list(text(input, 'path', '.'));
        case 'search':
          return await this.search(text(input, 'text'), text(input, 'path', '.'));
        case 'write_file':
          return await this.change(text(input, 'path'), async () => text(input, 'content'));
        case 'edit_file':
          return await this.edit(text(input, 'path'), text(input, 'old_text'), text(input, 'new_text'));
        case 'delete_file':
          return await this.change(text(input, 'path'), async () => undefined);
        case 'run_verification':
          return await this.verify();
        case 'submit_report':
          this.report = {
            summary: text(input, 'summary'),
            blockers: strings(input.blockers),
            deviations: strings(input.deviations),
          };
          return { output: 'Report received.', isError: false };
        default:
          return { output: `Unknown tool "${name}".`, isError: true };
      }
    } catch (error) {
      return { output: (error as Error).message, isError: true };
    }
  }

  private async read(raw: string): Promise<ToolOutcome> {
    const where = await confine(this.options.workspace, raw);
    if (!where.ok) return this.refuse(`read_file ${raw}: ${where.reason}`);
    const content = await this.options.workspace.read(where.relativePath);
    if (content === undefined) return { output: `No file at ${where.relativePath}.`, isError: true };
    return { output: content.length > maxReadChars ? `${content.slice(0, maxReadChars)}\n[… truncated …]` : content, isError: false };
  }

  private async list(raw: string): Promise<ToolOutcome> {
    const where = await confine(this.options.workspace, raw);
    if (!where.ok) return this.refuse(`list_directory ${raw}: ${where.reason}`);
    const names = await this.options.workspace.list(where.relativePath);
    return { output: names.join('\n') || '(empty)', isError: false };
  }

  private async search(needle: string, raw: string): Promise<ToolOutcome> {
    const where = await confine(this.options.workspace, raw);
    if (!where.ok) return this.refuse(`search ${raw}: ${where.reason}`);
    const hits: string[] = [];
    const walk = async (folder: string, depth: number): Promise<void> => {
      if (depth > 8 || hits.length >= 100) return;
      for (const name of await this.options.workspace.list(folder)) {
        const child = folder === '.' ? name.replace(/\/$/, '') : `${folder}/${name.replace(/\/$/, '')}`;
        if (name.endsWith('/')) {
          if (!skippedFolders.has(name.slice(0, -1))) await walk(child, depth + 1);
          continue;
        }
        const content = await this.options.workspace.read(child);
        content?.split('\n').forEach((line, index) => {
          if (hits.length < 100 && line.includes(needle)) hits.push(`${child}:${index + 1}: ${line.trim()}`);
        });
      }
    };
    await walk(where.relativePath, 0);
    return { output: hits.join('\n') || 'No matches.', isError: false };
  }

  private async edit(raw: string, oldText: string, newText: string): Promise<ToolOutcome> {
    return this.change(raw, async (current) => {
      if (current === undefined) throw new Error(`No file at ${raw}; use write_file to create it.`);
      const first = current.indexOf(oldText);
      if (oldText === '' || first < 0) throw new Error(`old_text was not found in ${raw}; read the file and copy the text exactly.`);
      if (current.indexOf(oldText, first + 1) >= 0) throw new Error(`old_text occurs more than once in ${raw}; include more surrounding lines.`);
      return current.slice(0, first) + newText + current.slice(first + oldText.length);
    });
  }

  /** Every change goes through here: confinement, guardrails, the original kept, then the write. */
  private async change(raw: string, next: (current: string | undefined) => Promise<string | undefined>): Promise<ToolOutcome> {
    const where = await confine(this.options.workspace, raw);
    if (!where.ok) return this.refuse(`change ${raw}: ${where.reason}`);
    const file = where.relativePath;
    const guard = isGuarded(file, this.options.guarded);
    if (guard) return this.refuse(`change ${file}: the spec's guardrails put \`${guard}\` off limits`);
    const current = await this.options.workspace.read(file);
    const content = await next(current);
    if (!this.options.originals.has(file)) {
      this.options.originals.set(file, current);
      await this.options.rememberOriginals(this.options.originals);
    }
    if (content === undefined) {
      if (current === undefined) return { output: `No file at ${file}.`, isError: true };
      await this.options.workspace.delete(file);
      return { output: `Deleted ${file}.`, isError: false };
    }
    await this.options.workspace.write(file, content);
    return { output: `Wrote ${file} (${content.length} characters).`, isError: false };
  }

  private async verify(): Promise<ToolOutcome> {
    if (this.verificationRuns.length >= this.options.maxVerificationRuns) {
      return { output: `The verification budget (${this.options.maxVerificationRuns} runs) is used up.`, isError: true };
    }
    const result = await this.runVerification();
    const status = result.notRun ?? (result.timedOut ? 'timed out and was killed' : `exit code ${String(result.exitCode)}`);
    return { output: `${result.output}\n[${status}]`, isError: result.exitCode !== 0 };
  }

  /** Runs the approved command through the task runner; also used for the final check. */
  async runVerification(): Promise<VerificationResult> {
    const result = await this.options.verifier.run({
      command: this.options.approvedCommand,
      cwd: this.options.workspace.root,
      timeoutMs: this.options.timeoutMs,
      label: `Dual-Model verification: ${this.options.approvedCommand}`,
      signal: this.options.signal,
    });
    this.verificationRuns.push(result);
    this.treeAtLastVerification = new Map();
    for (const file of this.options.originals.keys()) this.treeAtLastVerification.set(file, await this.options.workspace.read(file));
    return result;
  }

  /** True when the touched files differ from what the last verification saw, or it never ran. */
  changedSinceLastVerification(current: ReadonlyMap<string, string | undefined>): boolean {
    const seen = this.treeAtLastVerification;
    if (!seen) return true;
    for (const [file, text] of current) if (seen.get(file) !== text) return true;
    return false;
  }

  private refuse(what: string): ToolOutcome {
    this.refusals.push(what);
    return { output: `Refused: ${what}.`, isError: true };
  }
}

function text(input: Record<string, unknown>, key: string, fallback?: string): string {
  const value = input[key];
  if (typeof value === 'string') return value;
  if (value === undefined && fallback !== undefined) return fallback;
  throw new Error(`"${key}" must be a string.`);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
