// The Coder's hands: the tools it may call, each confined to the workspace and the spec's
// guardrails. It remembers each file's content before its first change (so the pass can be
// diffed and reverted) and every refusal (so the report can say what was blocked).
import type { ToolDefinition } from '../models/modelClient.js';
import type { VerificationResult, VerificationRunner, WorkspaceFiles } from '../ports.js';
import type { Located } from './confinement.js';
import { isGuarded, locate, normaliseRelativePath } from './confinement.js';
import type { Protection, ProtectedPaths } from './protectedPaths.js';
import { defaultProtectedPaths, protectionOf, protectionReason } from './protectedPaths.js';
import { StagedChanges } from './stagedChanges.js';

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
  /** The artifacts root and the spec's Files to Modify; without them the default root is protected and nothing is named. */
  protectedPaths?: ProtectedPaths;
}

export type ToolOutcome = { output: string; isError: boolean };

export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
}

/** The tools that change files: consecutive calls of them in one turn are applied together. */
const changeTools: ReadonlySet<string> = new Set(['write_file', 'edit_file', 'delete_file']);

const skippedFolders = new Set(['node_modules', '.git', '.dual-model', 'dist', 'out']);
const maxReadChars = 200_000;

export class CoderToolbox {
  readonly refusals: string[] = [];
  readonly verificationRuns: VerificationResult[] = [];
  report: CoderReportProse | undefined;
  /** The touched files as the last verification saw them, to know whether it must run again. */
  private treeAtLastVerification: Map<string, string | undefined> | undefined;

  private readonly artifactsRoot: string | undefined;
  /** The spec's Files to Modify, normalised: the only protected paths the Coder may change. */
  private readonly namedInSpec: ReadonlySet<string>;

  constructor(private readonly options: CoderToolboxOptions) {
    const { artifactsRoot, namedInSpec } = options.protectedPaths ?? defaultProtectedPaths;
    this.artifactsRoot = artifactsRoot;
    this.namedInSpec = new Set(namedInSpec.flatMap((file) => {
      const normalised = normaliseRelativePath(file);
      return normalised.ok ? [normalised.relativePath] : [];
    }));
  }

  get originals(): ReadonlyMap<string, string | undefined> {
    return this.options.originals;
  }

  /**
   * Carries out one model turn's calls in order, each with its own outcome. Consecutive changes
   * are each checked as they come but applied together, in one WorkspaceFiles.writeAll (in VS
   * Code one round trip to the workbench and one undo step), and before any other call, so a
   * read, a search or a verification sees the files as the changes before it left them.
   */
  async executeTurn<Call extends ToolCall>(calls: readonly Call[], onTool?: (name: string, input: Record<string, unknown>) => void): Promise<{ call: Call; outcome: ToolOutcome }[]> {
    const done: { call: Call; outcome: ToolOutcome }[] = [];
    let group = new StagedChanges(this.options.workspace);
    for (const call of calls) {
      // A cancel drops the changes staged and not yet applied; the model never hears of them.
      this.options.signal.throwIfAborted();
      onTool?.(call.name, call.input);
      if (changeTools.has(call.name)) {
        done.push({ call, outcome: await this.stage(group, done.length, call) });
        continue;
      }
      await this.apply(group, done);
      group = new StagedChanges(this.options.workspace);
      done.push({ call, outcome: await this.execute(call) });
    }
    await this.apply(group, done);
    return done;
  }

  private async execute({ name, input }: ToolCall): Promise<ToolOutcome> {
    try {
      switch (name) {
        case 'read_file':
          return await this.read(text(input, 'path'));
        case 'list_directory':
          return await this.list(text(input, 'path', '.'));
        case 'search':
          return await this.search(text(input, 'text'), text(input, 'path', '.'));
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
      return { output: messageOf(error), isError: true };
    }
  }

  /** Checks one change and stages it in `group`; its outcome holds unless applying the group fails. */
  private async stage(group: StagedChanges, index: number, { name, input }: ToolCall): Promise<ToolOutcome> {
    try {
      switch (name) {
        case 'write_file': {
          const file = text(input, 'path');
          const content = text(input, 'content');
          return await this.change(group, index, file, () => content);
        }
        case 'edit_file':
          return await this.edit(group, index, text(input, 'path'), text(input, 'old_text'), text(input, 'new_text'));
        case 'delete_file':
          return await this.change(group, index, text(input, 'path'), () => undefined);
        default:
          return { output: `Unknown tool "${name}".`, isError: true };
      }
    } catch (error) {
      return { output: messageOf(error), isError: true };
    }
  }

  private async read(raw: string): Promise<ToolOutcome> {
    const where = await locate(this.options.workspace, raw);
    if (!where.ok) return this.refuse(`read_file ${raw}: ${where.reason}`);
    const state = this.runState(where);
    if (state) return this.refuse(`read_file ${raw}: ${protectionReason(state)}`);
    const content = await this.options.workspace.read(where.relativePath);
    if (content === undefined) return { output: `No file at ${where.relativePath}.`, isError: true };
    return { output: content.length > maxReadChars ? `${content.slice(0, maxReadChars)}\n[… truncated …]` : content, isError: false };
  }

  private async list(raw: string): Promise<ToolOutcome> {
    const where = await locate(this.options.workspace, raw);
    if (!where.ok) return this.refuse(`list_directory ${raw}: ${where.reason}`);
    const state = this.runState(where);
    if (state) return this.refuse(`list_directory ${raw}: ${protectionReason(state)}`);
    const names = await this.options.workspace.list(where.relativePath);
    return { output: names.join('\n') || '(empty)', isError: false };
  }

  private async search(needle: string, raw: string): Promise<ToolOutcome> {
    const where = await locate(this.options.workspace, raw);
    if (!where.ok) return this.refuse(`search ${raw}: ${where.reason}`);
    const state = this.runState(where);
    if (state) return this.refuse(`search ${raw}: ${protectionReason(state)}`);
    const hits: string[] = [];
    const walk = async (folder: string, depth: number): Promise<void> => {
      if (depth > 8 || hits.length >= 100) return;
      for (const name of await this.options.workspace.list(folder)) {
        const child = folder === '.' ? name.replace(/\/$/, '') : `${folder}/${name.replace(/\/$/, '')}`;
        if (name.endsWith('/') && skippedFolders.has(name.slice(0, -1))) continue;
        // Each file the walk reaches is checked on its own: a link inside may lead anywhere.
        const reached = await locate(this.options.workspace, child);
        if (!reached.ok) {
          this.refusals.push(`search skipped ${child}: ${reached.reason}`);
          continue;
        }
        if (this.runState(reached)) continue;
        if (name.endsWith('/')) {
          await walk(child, depth + 1);
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

  private async edit(group: StagedChanges, index: number, raw: string, oldText: string, newText: string): Promise<ToolOutcome> {
    return this.change(group, index, raw, (current) => {
      if (current === undefined) throw new Error(`No file at ${raw}; use write_file to create it.`);
      const first = current.indexOf(oldText);
      if (oldText === '' || first < 0) throw new Error(`old_text was not found in ${raw}; read the file and copy the text exactly.`);
      if (current.indexOf(oldText, first + 1) >= 0) throw new Error(`old_text occurs more than once in ${raw}; include more surrounding lines.`);
      return current.slice(0, first) + newText + current.slice(first + oldText.length);
    });
  }

  /**
   * Every change goes through here: confinement, guardrails, then the new content computed from
   * the file as the group's earlier changes leave it, and staged. `apply` writes it.
   */
  private async change(group: StagedChanges, index: number, raw: string, next: (current: string | undefined) => string | undefined): Promise<ToolOutcome> {
    const where = await locate(this.options.workspace, raw);
    if (!where.ok) return this.refuse(`change ${raw}: ${where.reason}`);
    const file = where.relativePath;
    const guard = isGuarded(file, this.options.guarded);
    if (guard) return this.refuse(`change ${file}: the spec's guardrails put \`${guard}\` off limits`);
    const protection = this.unnamedProtection(where);
    if (protection) return this.refuse(`change ${file}: ${protectionReason(protection)}; the spec must name this exact path under Files to Modify`);
    const current = await group.current(file);
    const content = next(current);
    if (content === undefined && current === undefined) return { output: `No file at ${file}.`, isError: true };
    group.stage(index, file, content);
    return { output: content === undefined ? `Deleted ${file}.` : `Wrote ${file} (${content.length} characters).`, isError: false };
  }

  /**
   * Writes the group's changes in one go. Each file's content before the pass is safe on disk
   * first, as the pass's diff and revert depend on it. A change the workspace refuses fails its
   * own calls (and is recorded for the report) while the rest land; if the write fails as a
   * whole, every call of the group is told so, with what its file now holds.
   */
  private async apply(group: StagedChanges, done: { outcome: ToolOutcome }[]): Promise<void> {
    if (group.isEmpty) return;
    const changes = group.changes();
    try {
      const firstChanges = changes.filter((change) => !this.options.originals.has(change.path));
      for (const change of firstChanges) this.options.originals.set(change.path, group.beforeGroup(change.path));
      if (firstChanges.length > 0) await this.options.rememberOriginals(this.options.originals);
      const results = await this.options.workspace.writeAll(changes);
      const refused = new Map(results.flatMap((result) => (result.ok ? [] : [[result.path, result.reason.replace(/\.$/, '')] as const])));
      for (const [file, reason] of refused) this.refusals.push(`change ${file}: ${reason}`);
      for (const { index, file } of group.calls) {
        const entry = done[index];
        const reason = refused.get(file);
        if (entry && reason !== undefined) entry.outcome = { output: `Failed: ${reason}. ${await this.stateOnDisk(group, file)}.`, isError: true };
      }
    } catch (error) {
      const reason = messageOf(error).replace(/\.$/, '');
      for (const { index, file } of group.calls) {
        const entry = done[index];
        if (!entry) continue;
        const state = await this.stateOnDisk(group, file);
        const what = group.calls.length === 1 ? 'Failed' : `Failed with the ${group.calls.length} file changes of this turn applied together`;
        entry.outcome = { output: `${what}: ${reason}. ${state}.`, isError: true };
      }
    }
  }

  /** What a failed change left on disk, told honestly: some of a group may have landed. */
  private async stateOnDisk(group: StagedChanges, file: string): Promise<string> {
    const now = await this.options.workspace.read(file).then((content) => ({ content }), () => undefined);
    if (now === undefined) return `${file} could not be read back; read it before changing it again`;
    return now.content === group.beforeGroup(file) ? `${file} is unchanged on disk` : `${file} changed on disk all the same; read it before changing it again`;
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

  /** The artifacts root, when the path is in it by name or by where it lands: no tool reads run state. */
  private runState(where: Extract<Located, { ok: true }>): Protection | undefined {
    return [where.relativePath, where.landsAt].map((file) => protectionOf(file, this.artifactsRoot)).find((protection) => protection?.kind === 'run-state');
  }

  /** A protected folder the path is in, by name or by where it lands, that the spec does not name it in. */
  private unnamedProtection(where: Extract<Located, { ok: true }>): Protection | undefined {
    for (const file of [where.relativePath, where.landsAt]) {
      const protection = protectionOf(file, this.artifactsRoot);
      if (protection && !this.namedInSpec.has(file)) return protection;
    }
    return undefined;
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

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
