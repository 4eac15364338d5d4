// Drives runs: applies events through the pure transition(), persists run.json after every
// step, and carries out the effects (model calls, the Coder's pass, the verification). The
// VS Code layer only forwards user intents here and renders what this reports.
import { createTwoFilesPatch } from 'diff';
import type { CodeSpec } from '../artifacts/codeSpec.js';
import { parseCodeSpec, renderCodeSpec } from '../artifacts/codeSpec.js';
import { renderCodeReport } from '../artifacts/codeReport.js';
import { formatArtifactErrors } from '../artifacts/parseResult.js';
import { CoderToolbox } from '../coder/coderTools.js';
import { guardedPatterns } from '../coder/confinement.js';
import { buildStatus, computeFileChanges, testStatus, unlistedChanges } from '../coder/reportFacts.js';
import { runCoderLoop } from '../coder/toolLoop.js';
import type { ChatMessage, ModelClient, ModelRequest, TokenUsage } from '../models/modelClient.js';
import { addUsage, zeroUsage } from '../models/modelClient.js';
import type { ArtifactStore, Clock, VerificationRunner, WorkspaceFiles } from '../ports.js';
import type { WorkspaceContext } from '../prompts/prompts.js';
import {
  architectSpecMessage,
  architectSystemPrompt,
  coderFirstMessage,
  coderSystemPrompt,
  identityPrompt,
  reviewMessage,
  reviewRepairMessage,
  reviewSystemPrompt,
  specRepairMessage,
} from '../prompts/prompts.js';
import type { ReviewOutcome } from '../../shared/messages.js';
import { extractSpecMarkdown, parseVerdictAnswer } from './modelAnswers.js';
import type { RoleSnapshot, RunRecord } from './runRecord.js';
import { RUN_SCHEMA_VERSION } from './runRecord.js';
import type { RunLock } from './runLock.js';
import type { RunEvent } from './runState.js';
import { isActive } from './runState.js';
import type { RunStore } from './runStore.js';
import { createRunId } from './runStore.js';
import type { Effect } from './transition.js';
import { entryEffects, transition } from './transition.js';

export interface EngineSettings {
  verificationTimeoutMs: number;
  maxCoderTurns: number;
  maxVerificationRuns: number;
  maxOutputTokens: number;
}

export interface EngineDeps {
  store: RunStore;
  lock: RunLock;
  artifacts: ArtifactStore;
  workspace: WorkspaceFiles;
  verifier: VerificationRunner;
  clock: Clock;
  clientFor: (role: RoleSnapshot) => ModelClient;
  settings: () => EngineSettings;
  workspaceTree: () => Promise<string>;
  randomHex: () => string;
}

export type EngineUpdate =
  | { type: 'changed'; runId: string }
  | { type: 'stream'; runId: string; text: string }
  | { type: 'notice'; runId: string; level: 'info' | 'warning' | 'error'; message: string };

/** What the engine knows about a run beyond run.json: what it is doing right now. */
export interface RunActivity {
  busy: boolean;
  message: string;
  confirming: boolean;
  /** Set when another window drives this run; this window only shows it. */
  heldElsewhere?: string;
  /** The last error that did not end the run (e.g. a failed model check at a HARD STOP). */
  lastError?: string;
}

export interface StartRequest {
  request: string;
  selection?: WorkspaceContext['selection'];
  roles: { architect: RoleSnapshot; coder: RoleSnapshot };
}

const SPEC_FILE = 'code_spec.md';
const REPORT_FILE = 'code_report.md';
const versionDir = (version: number): string => `versions/v${version}`;

export class RunEngine {
  private readonly records = new Map<string, RunRecord>();
  private readonly activity = new Map<string, RunActivity>();
  private readonly running = new Map<string, AbortController>();
  private readonly listeners = new Set<(update: EngineUpdate) => void>();
  /** Serialises saves per run, so concurrent events cannot race on the revision. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: EngineDeps) {}

  onUpdate(listener: (update: EngineUpdate) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get(runId: string): RunRecord | undefined {
    return this.records.get(runId);
  }

  activityOf(runId: string): RunActivity {
    return this.activity.get(runId) ?? { busy: false, message: '', confirming: false };
  }

  /** Runs this window knows, newest first. */
  runs(): RunRecord[] {
    return [...this.records.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async start(start: StartRequest): Promise<RunRecord> {
    const now = this.deps.clock.now();
    const runId = createRunId(start.request, now, this.deps.randomHex());
    const record: RunRecord = {
      schemaVersion: RUN_SCHEMA_VERSION,
      runId,
      request: start.request,
      ...(start.selection ? { selection: start.selection } : {}),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      revision: 0,
      roles: start.roles,
      state: { phase: 'architect-spec', reason: 'initial' },
      specs: [],
      reports: [],
      decisions: [],
      history: [{ at: now.toISOString(), from: '', event: 'start', to: 'architect-spec' }],
      usage: {},
    };
    await this.deps.artifacts.writeTextAtomic(this.deps.store.artifactPath(runId, '.gitignore'), '*\n');
    await this.deps.lock.acquire(runId);
    const saved = await this.deps.store.save(record, now);
    this.records.set(runId, saved);
    this.ensureHeartbeat();
    this.emit({ type: 'changed', runId });
    this.perform(runId, [{ type: 'write-spec', reason: 'initial' }]);
    return saved;
  }

  /**
   * Picks up every run on disk after a window (re)load: ends in the phase it was in, redoing the
   * work of automatic phases. Runs another window holds are shown but not driven; unreadable
   * runs are reported and left alone.
   */
  async resumeAll(): Promise<{ resumed: string[]; unreadable: { runId: string; error: string }[] }> {
    const resumed: string[] = [];
    const unreadable: { runId: string; error: string }[] = [];
    for (const loaded of await this.deps.store.list()) {
      if (!loaded.ok) {
        unreadable.push({ runId: loaded.runId, error: loaded.error });
        continue;
      }
      const record = loaded.record;
      this.records.set(record.runId, record);
      if (!isActive(record.state)) continue;
      const lock = await this.deps.lock.acquire(record.runId);
      if (!lock.ok) {
        this.setActivity(record.runId, { heldElsewhere: `Another window is driving this run (since ${lock.since}).` });
        continue;
      }
      resumed.push(record.runId);
      // Entry effects double as resume effects: automatic phases redo their work, HARD STOPs wait.
      this.perform(record.runId, entryEffects(record.state));
    }
    if (resumed.length > 0) this.ensureHeartbeat();
    return { resumed, unreadable };
  }

  /** The user pressed "Model Confirmed": check the next model answers, then start its phase. */
  async confirmModel(runId: string): Promise<void> {
    const record = this.require(runId);
    const state = record.state;
    if (state.phase !== 'hard-stop-to-coder' && state.phase !== 'hard-stop-to-architect') {
      throw new Error(`There is no HARD STOP waiting in run ${runId}.`);
    }
    if (this.activityOf(runId).confirming) return;
    const role = state.phase === 'hard-stop-to-coder' ? record.roles.coder : record.roles.architect;
    this.setActivity(runId, { confirming: true, busy: true, message: `Checking that ${role.displayName} answers…`, lastError: undefined });
    try {
      const answeredBy = await this.verifyIdentity(runId, role);
      const command = state.phase === 'hard-stop-to-coder' ? (await this.loadSpec(runId, state.specVersion)).verification.command : undefined;
      this.setActivity(runId, { confirming: false });
      await this.dispatch(runId, { type: 'model-confirmed', answeredBy, ...(command !== undefined ? { verificationCommand: command } : {}) });
    } catch (error) {
      this.setActivity(runId, { confirming: false, busy: false, message: '', lastError: `${role.displayName} did not answer: ${messageOf(error)}` });
      throw error;
    }
  }

  async decide(runId: string, outcome: ReviewOutcome, notes?: string): Promise<void> {
    const record = this.require(runId);
    const state = record.state;
    if (state.phase !== 'architect-review' || !state.verdict) throw new Error('The review has no verdict to decide on yet.');
    const verdict = state.verdict;
    await this.dispatch(runId, { type: 'review-decided', outcome, ...(notes ? { notes } : {}) }, async (next) => {
      if (next.state.phase === 'hard-stop-to-coder') await this.promoteSpec(runId, next.state.specVersion);
      return {
        ...next,
        decisions: [...next.decisions, { at: this.now(), recommended: verdict.outcome, decided: outcome, ...(notes ? { notes } : {}) }],
      };
    });
  }

  async cancel(runId: string): Promise<void> {
    this.running.get(runId)?.abort(new Error('cancelled by the user'));
    await this.dispatch(runId, { type: 'cancel' });
  }

  async retry(runId: string): Promise<void> {
    await this.dispatch(runId, { type: 'retry' });
  }

  dispose(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const controller of this.running.values()) controller.abort(new Error('window closing'));
  }

  // ---- events and effects -------------------------------------------------------------------

  private dispatch(runId: string, event: RunEvent, patch?: (next: RunRecord) => Promise<RunRecord>): Promise<void> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    const step = previous.catch(() => undefined).then(async () => {
      const record = this.require(runId);
      const result = transition(record.state, event);
      if (!result.ok) throw new Error(result.reason);
      let next: RunRecord = {
        ...record,
        state: result.state,
        history: [...record.history, { at: this.now(), from: record.state.phase, event: event.type, to: result.state.phase }],
      };
      if (patch) next = await patch(next);
      const saved = await this.deps.store.save(next, this.deps.clock.now());
      this.records.set(runId, saved);
      this.emit({ type: 'changed', runId });
      this.perform(runId, result.effects);
    });
    this.queues.set(runId, step);
    return step;
  }

  private perform(runId: string, effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'write-spec':
          this.work(runId, 'The Architect is writing the Code Spec…', (signal) => this.writeSpec(runId, effect, signal));
          break;
        case 'implement':
          this.work(runId, 'The Coder is implementing the spec…', (signal) => this.implement(runId, effect.specVersion, effect.approvedCommand, signal));
          break;
        case 'review':
          this.work(runId, 'The Architect is reviewing the Code Report…', (signal) => this.review(runId, effect.reportVersion, signal));
          break;
        case 'await-confirmation':
        case 'await-decision':
          this.setActivity(runId, { busy: false, message: '' });
          break;
        case 'finished':
          this.setActivity(runId, { busy: false, message: '' });
          void this.deps.lock.release(runId);
          break;
      }
    }
  }

  /** Runs one phase's work in the background; a failure moves the run to `failed`. */
  private work(runId: string, message: string, job: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    this.running.set(runId, controller);
    this.setActivity(runId, { busy: true, message, lastError: undefined });
    void job(controller.signal)
      .catch(async (error: unknown) => {
        if (controller.signal.aborted) return;
        const state = this.records.get(runId)?.state;
        if (state && isActive(state)) await this.dispatch(runId, { type: 'fail', error: messageOf(error) }).catch(() => undefined);
      })
      .finally(() => {
        if (this.running.get(runId) === controller) this.running.delete(runId);
      });
  }

  // ---- Phase 1: the Architect writes the spec ---------------------------------------------------

  private async writeSpec(runId: string, effect: Extract<Effect, { type: 'write-spec' }>, signal: AbortSignal): Promise<void> {
    const record = this.require(runId);
    const architect = this.deps.clientFor(record.roles.architect);
    const latest = record.specs.at(-1);
    const previousSpec = latest ? await this.deps.store.readArtifact(runId, `${versionDir(latest.version)}/${SPEC_FILE}`) : undefined;
    const context: WorkspaceContext = { tree: await this.deps.workspaceTree(), ...(record.selection ? { selection: record.selection } : {}) };
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: architectSpecMessage(record.request, context, effect.reason, effect.feedback, previousSpec) }] },
    ];
    const request = (): ModelRequest => ({
      purpose: 'spec',
      system: architectSystemPrompt(record.roles.architect.displayName),
      messages,
      thinking: record.roles.architect.thinking,
      maxOutputTokens: this.deps.settings().maxOutputTokens,
    });
    let answer = await this.ask(runId, 'architect-spec', architect, request(), signal);
    let parsed = parseCodeSpec(extractSpecMarkdown(answer));
    if (!parsed.ok) {
      // One automatic repair: models usually fix a format slip when shown the exact error.
      messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
      messages.push({ role: 'user', content: [{ type: 'text', text: specRepairMessage(formatArtifactErrors(SPEC_FILE, parsed.errors)) }] });
      this.setActivity(runId, { message: 'The spec was malformed; asking the Architect to repair it…' });
      answer = await this.ask(runId, 'architect-spec', architect, request(), signal);
      parsed = parseCodeSpec(extractSpecMarkdown(answer));
    }
    if (!parsed.ok) {
      throw new Error(`The Architect's Code Spec is still malformed after one repair request:\n${formatArtifactErrors(SPEC_FILE, parsed.errors)}`);
    }
    const version = (record.specs.at(-1)?.version ?? 0) + 1;
    await this.saveSpec(runId, version, parsed.value);
    await this.dispatch(runId, { type: 'spec-written', specVersion: version }, async (next) => ({
      ...next,
      specs: [...next.specs, { version, createdAt: this.now(), specId: parsed.value.specId }],
    }));
  }

  private async saveSpec(runId: string, version: number, spec: CodeSpec): Promise<void> {
    const markdown = renderCodeSpec(spec);
    await this.deps.store.writeArtifact(runId, `${versionDir(version)}/${SPEC_FILE}`, markdown);
    await this.deps.store.writeArtifact(runId, SPEC_FILE, markdown);
  }

  /** A revised spec written during review becomes the current code_spec.md once accepted. */
  private async promoteSpec(runId: string, version: number): Promise<void> {
    const markdown = await this.deps.store.readArtifact(runId, `${versionDir(version)}/${SPEC_FILE}`);
    if (markdown === undefined) throw new Error(`Spec version ${version} is missing from ${versionDir(version)}.`);
    await this.deps.store.writeArtifact(runId, SPEC_FILE, markdown);
  }

  private async loadSpec(runId: string, version: number): Promise<CodeSpec> {
    const markdown = await this.deps.store.readArtifact(runId, `${versionDir(version)}/${SPEC_FILE}`);
    if (markdown === undefined) throw new Error(`${versionDir(version)}/${SPEC_FILE} is missing.`);
    const parsed = parseCodeSpec(markdown);
    if (!parsed.ok) throw new Error(`The saved spec was edited and no longer parses:\n${formatArtifactErrors(SPEC_FILE, parsed.errors)}`);
    return parsed.value;
  }

  // ---- HARD STOP: verify the next model's identity --------------------------------------------

  private async verifyIdentity(runId: string, role: RoleSnapshot): Promise<string> {
    const client = this.deps.clientFor(role);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('no answer within 60 s')), 60_000);
    try {
      const answer = await this.ask(runId, 'identity', client, {
        purpose: 'identity',
        system: '',
        messages: [{ role: 'user', content: [{ type: 'text', text: identityPrompt }] }],
        thinking: 'none',
        maxOutputTokens: 64,
      }, controller.signal, false);
      const said = answer.trim().split('\n')[0]?.slice(0, 120) ?? '';
      if (!said) throw new Error('the model returned an empty answer');
      return `${role.displayName} (${client.info.modelId}) — answered "${said}"`;
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- Phase 3: the Coder implements --------------------------------------------------------

  private async implement(runId: string, specVersion: number, approvedCommand: string, signal: AbortSignal): Promise<void> {
    const record = this.require(runId);
    const spec = await this.loadSpec(runId, specVersion);
    const settings = this.deps.settings();
    const originalsFile = `${versionDir(specVersion)}/originals.json`;
    // After a reload mid-pass the originals on disk are the truth: files may already be edited.
    const originals = new Map<string, string | undefined>(
      Object.entries(JSON.parse((await this.deps.store.readArtifact(runId, originalsFile)) ?? '{}') as Record<string, string | null>).map(
        ([file, text]) => [file, text ?? undefined],
      ),
    );
    const toolbox = new CoderToolbox({
      workspace: this.deps.workspace,
      verifier: this.deps.verifier,
      guarded: guardedPatterns(spec.guardrails),
      approvedCommand,
      timeoutMs: settings.verificationTimeoutMs,
      maxVerificationRuns: settings.maxVerificationRuns,
      originals,
      rememberOriginals: async (all) => {
        const json = Object.fromEntries([...all.entries()].map(([file, text]) => [file, text ?? null]));
        await this.deps.store.writeArtifact(runId, originalsFile, `${JSON.stringify(json, null, 2)}\n`);
      },
      signal,
    });
    const coder = this.deps.clientFor(record.roles.coder);
    const specMarkdown = renderCodeSpec(spec);
    const loop = await runCoderLoop({
      client: coder,
      system: coderSystemPrompt(record.roles.coder.displayName),
      firstMessage: coderFirstMessage(specMarkdown),
      toolbox,
      thinking: record.roles.coder.thinking,
      maxTurns: settings.maxCoderTurns,
      maxOutputTokens: settings.maxOutputTokens,
      signal,
      onText: (text) => this.emit({ type: 'stream', runId, text }),
      onUsage: (usage) => this.addUsage(runId, 'coder-implement', usage),
      onTool: (name, input) => this.setActivity(runId, { message: `Coder: ${name}${typeof input.path === 'string' ? ` ${input.path}` : ''}` }),
    });
    // The report's facts need a verification of the final tree: run it again if the Coder
    // changed files after its last run, or never ran it.
    let current = await this.snapshot(toolbox.originals.keys());
    if (toolbox.changedSinceLastVerification(current)) {
      this.setActivity(runId, { message: `Running the verification: ${approvedCommand}` });
      await toolbox.runVerification();
      current = await this.snapshot(toolbox.originals.keys());
    }
    const verification = toolbox.verificationRuns.at(-1);
    const changes = computeFileChanges(toolbox.originals, current);
    const prose = toolbox.report ?? {
      summary: loop.lastText.trim().slice(0, 2000) || 'The Coder ended without submitting a report.',
      blockers: [],
      deviations: [],
    };
    const deviations = [
      ...prose.deviations,
      ...unlistedChanges(changes, spec.files.map((file) => file.path)),
      ...toolbox.refusals.map((refusal) => `Refused: ${refusal}.`),
      ...(loop.ended === 'budget' ? [`The Coder used its whole budget of ${settings.maxCoderTurns} turns without finishing.`] : []),
    ];
    const reportVersion = (record.reports.at(-1)?.version ?? 0) + 1;
    const markdown = renderCodeReport({
      specId: spec.specId,
      coder: record.roles.coder.displayName,
      completed: this.now(),
      spec: `[${SPEC_FILE}](${versionDir(specVersion)}/${SPEC_FILE})`,
      summary: prose.summary,
      filesChanged: changes,
      testOutput: verification ? verification.output : '(the verification command was not run)',
      testResult: testStatus(verification, approvedCommand),
      buildOutput: verification ? `$ ${approvedCommand}\nexit code: ${String(verification.exitCode ?? 'none')}` : '(no build was run)',
      buildResult: buildStatus(verification),
      blockers: prose.blockers,
      deviations,
    });
    await this.deps.store.writeArtifact(runId, `${versionDir(specVersion)}/${REPORT_FILE}`, markdown);
    await this.deps.store.writeArtifact(runId, REPORT_FILE, markdown);
    await this.dispatch(runId, { type: 'report-written', reportVersion }, async (next) => ({
      ...next,
      reports: [...next.reports, { version: reportVersion, createdAt: this.now(), specVersion }],
    }));
  }

  private async snapshot(files: Iterable<string>): Promise<Map<string, string | undefined>> {
    const result = new Map<string, string | undefined>();
    for (const file of files) result.set(file, await this.deps.workspace.read(file));
    return result;
  }

  // ---- Phase 5: the Architect reviews -------------------------------------------------------

  private async review(runId: string, reportVersion: number, signal: AbortSignal): Promise<void> {
    const record = this.require(runId);
    const report = record.reports.find((entry) => entry.version === reportVersion);
    if (!report) throw new Error(`Report version ${reportVersion} is not recorded.`);
    const specMarkdown = (await this.deps.store.readArtifact(runId, `${versionDir(report.specVersion)}/${SPEC_FILE}`)) ?? '';
    const reportMarkdown = (await this.deps.store.readArtifact(runId, `${versionDir(report.specVersion)}/${REPORT_FILE}`)) ?? '';
    const originals = JSON.parse((await this.deps.store.readArtifact(runId, `${versionDir(report.specVersion)}/originals.json`)) ?? '{}') as Record<string, string | null>;
    const diffs: string[] = [];
    for (const [file, before] of Object.entries(originals)) {
      const after = (await this.deps.workspace.read(file)) ?? '';
      if ((before ?? '') !== after) diffs.push(createTwoFilesPatch(`a/${file}`, `b/${file}`, before ?? '', after, '', '', { context: 3 }));
    }
    const architect = this.deps.clientFor(record.roles.architect);
    const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: reviewMessage(specMarkdown, reportMarkdown, diffs.join('\n')) }] }];
    const request = (): ModelRequest => ({
      purpose: 'review',
      system: reviewSystemPrompt(record.roles.architect.displayName),
      messages,
      thinking: record.roles.architect.thinking,
      maxOutputTokens: this.deps.settings().maxOutputTokens,
    });
    let answer = await this.ask(runId, 'architect-review', architect, request(), signal);
    let verdict = parseVerdictAnswer(answer);
    let revised = verdict.ok && verdict.value.revisedSpec ? parseCodeSpec(extractSpecMarkdown(verdict.value.revisedSpec)) : undefined;
    const problem = !verdict.ok ? verdict.error : revised && !revised.ok ? `the revised spec is malformed:\n${formatArtifactErrors(SPEC_FILE, revised.errors)}` : undefined;
    if (problem) {
      messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
      messages.push({ role: 'user', content: [{ type: 'text', text: reviewRepairMessage(problem) }] });
      answer = await this.ask(runId, 'architect-review', architect, request(), signal);
      verdict = parseVerdictAnswer(answer);
      revised = verdict.ok && verdict.value.revisedSpec ? parseCodeSpec(extractSpecMarkdown(verdict.value.revisedSpec)) : undefined;
    }
    if (!verdict.ok) throw new Error(`The Architect's review could not be read after one repair request: ${verdict.error}`);
    if (revised && !revised.ok) throw new Error(`The Architect's revised spec is malformed:\n${formatArtifactErrors(SPEC_FILE, revised.errors)}`);
    let revisedSpecVersion: number | undefined;
    if (revised?.ok && verdict.value.outcome === 'revisions-needed') {
      revisedSpecVersion = (record.specs.at(-1)?.version ?? 0) + 1;
      await this.deps.store.writeArtifact(runId, `${versionDir(revisedSpecVersion)}/${SPEC_FILE}`, renderCodeSpec(revised.value));
    }
    const value = verdict.value;
    const specId = revised?.ok ? revised.value.specId : '';
    await this.dispatch(
      runId,
      {
        type: 'verdict-ready',
        verdict: {
          outcome: value.outcome,
          reasons: value.reasons,
          blockerAnswers: value.blockerAnswers,
          ...(revisedSpecVersion !== undefined ? { revisedSpecVersion } : {}),
        },
      },
      async (next) =>
        revisedSpecVersion === undefined ? next : { ...next, specs: [...next.specs, { version: revisedSpecVersion, createdAt: this.now(), specId }] },
    );
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** One streamed model call: text is forwarded to the panel as it arrives, usage is counted. */
  private async ask(runId: string, phase: string, client: ModelClient, request: ModelRequest, signal: AbortSignal, stream = true): Promise<string> {
    let text = '';
    for await (const event of client.stream(request, signal)) {
      if (event.type === 'text') {
        text += event.text;
        if (stream) this.emit({ type: 'stream', runId, text: event.text });
      } else if (event.type === 'usage') {
        this.addUsage(runId, phase, event.usage);
      }
    }
    return text;
  }

  private addUsage(runId: string, phase: string, usage: TokenUsage): void {
    const record = this.records.get(runId);
    if (!record) return;
    const before = record.usage[phase] ?? zeroUsage();
    // Usage rides along with the next save of the record.
    this.records.set(runId, { ...record, usage: { ...record.usage, [phase]: addUsage(before, usage) } });
  }

  private setActivity(runId: string, patch: Partial<RunActivity>): void {
    this.activity.set(runId, { ...this.activityOf(runId), ...patch });
    this.emit({ type: 'changed', runId });
  }

  private require(runId: string): RunRecord {
    const record = this.records.get(runId);
    if (!record) throw new Error(`Unknown run ${runId}.`);
    return record;
  }

  private emit(update: EngineUpdate): void {
    for (const listener of this.listeners) listener(update);
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const record of this.records.values()) {
        if (isActive(record.state) && !this.activityOf(record.runId).heldElsewhere) void this.deps.lock.refresh(record.runId);
      }
    }, Math.max(1000, Math.floor(this.deps.lock.staleMs / 3)));
    this.heartbeat.unref?.();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
