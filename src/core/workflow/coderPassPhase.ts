// Phase 3: the Coder implements the approved spec set in the workspace, runs only the verification
// commands the user approved at the HARD STOP, and the pass ends in a Code Report whose facts
// (files changed, test and build results) come from the workspace, not from the Coder's word.
import { renderCodeSpec } from '../artifacts/codeSpec.js';
import { renderCodeReport } from '../artifacts/codeReport.js';
import { CoderToolbox } from '../coder/coderTools.js';
import { guardedPatterns } from '../coder/confinement.js';
import { artifactsRootIn } from '../coder/protectedPaths.js';
import { buildStatus, computeFileChanges, testStatus, unlistedChanges } from '../coder/reportFacts.js';
import { runCoderLoop } from '../coder/toolLoop.js';
import type { ModelClient } from '../models/modelClient.js';
import type { VerificationResult, VerificationRunner, WorkspaceFiles } from '../ports.js';
import { coderFirstMessage, coderSystemPrompt } from '../prompts/prompts.js';
import type { BatchReportSections, SkippedSpec } from './batchReport.js';
import { compete } from './competitivePass.js';
import { batchReportSections, outputTail } from './batchReport.js';
import { divide, divisionCoders } from './divisionPass.js';
import { swarmCoders, swarmSetup } from './swarmPass.js';
import type { EngineDeps, PhaseContext } from './phaseContext.js';
import { nowOf, untrustedMessage } from './phaseContext.js';
import type { RunRecord, VerificationCheck } from './runRecord.js';
import type { RoleSnapshot } from './roleSnapshot.js';
import type { BatchSpecOutcome, CompetitionState } from './runState.js';
import type { Originals, SpecSet } from './specVersions.js';

export async function implement(ctx: PhaseContext, runId: string, specVersion: number, approvedCommands: readonly string[], signal: AbortSignal): Promise<void> {
  const { deps, journal, specs: versions } = ctx;
  const record = journal.require(runId);
  const progress = record.state.phase === 'coder-implement' ? record.state.batch : undefined;
  // Every way into this phase ends here (a confirm, Retry, a resume after a reload, Go on), so
  // the rule holds even for the paths that checked nothing; the failure keeps the run's work and
  // Retry resumes the pass once the workspace is trusted. A stopped batch only writes its report.
  if (!progress?.stopped && !deps.isTrusted()) throw new Error(untrustedMessage('press Retry'));
  const set = await versions.load(record, specVersion);
  // Checked for the whole set before any edit: nothing runs that the user did not see.
  for (const [index, spec] of set.specs.entries()) {
    if (!approvedCommands.includes(spec.verification.command)) {
      throw new Error(`The verification command of ${set.files[index]} changed after the HARD STOP ("${spec.verification.command}"); confirm the spec again.`);
    }
  }
  // Competitive mode: the same set to each of the mode's Coders, each in its own copy.
  if (record.mode?.mode === 'competitive') return compete({ ctx, runId, set, specVersion, coders: record.mode.coders, signal });
  // Division of labour: the specs in waves, each on its Coder in its own copy, merged back.
  if (record.mode?.mode === 'division') return divide({ ctx, runId, set, specVersion, coders: divisionCoders(record.mode.coders), signal });
  // Swarm: the same pass, each spec on its route by complexity, a failed one redone a tier up.
  if (record.mode?.mode === 'swarm') return divide({ ctx, runId, set, specVersion, coders: swarmCoders(await swarmSetup(deps, set), set.specs.map((spec) => spec.specId)), signal });
  // After a reload mid-pass the originals on disk are the truth: files may already be edited.
  const originals: Originals = (await versions.readOriginals(runId, specVersion)) ?? new Map<string, string | undefined>();
  const pass: Pass = { ctx, runId, record, set, specVersion, originals, signal, seat: workspaceSeat(ctx, runId, record, specVersion) };
  // Batch mode: the specs one after another, without a review in between. Each one done is
  // saved in run.json, so a reload resumes at the next; a failed one with more to come pauses.
  const outcomes = [...(progress?.done ?? [])];
  const total = set.specs.length;
  if (!progress?.stopped) {
    for (let index = outcomes.length; index < total; index += 1) {
      const outcome = await implementSpec(pass, index);
      outcomes.push(outcome);
      if (index === total - 1) break;
      await ctx.dispatch(runId, { type: 'batch-spec-done', outcome, remaining: total - index - 1 });
      // Paused for the user's choice (or moved on by a cancel): their answer starts the next step.
      const state = journal.require(runId).state;
      if (state.phase !== 'coder-implement' || state.batch?.paused) return;
    }
  }
  await writePassReport(pass, outcomes, { coder: record.roles.coder.displayName });
}

/**
 * Ends a pass: the Code Report from the workspace's facts (the files against the pass's
 * originals, each spec's verification) and the move to the HARD STOP before the Architect. A
 * competition's applied candidate ends the same way, named by `coder` with its table in `preface`.
 */
export async function writePassReport(
  pass: Pick<Pass, 'ctx' | 'runId' | 'record' | 'set' | 'specVersion' | 'originals' | 'lastResult'>,
  outcomes: readonly BatchSpecOutcome[],
  by: { coder: string; preface?: string; competition?: CompetitionState },
): Promise<void> {
  const { ctx, runId, record, set, specVersion, originals } = pass;
  const { deps, specs: versions } = ctx;
  const total = set.specs.length;
  const changes = computeFileChanges(originals, await readFiles(deps.workspace, originals.keys()));
  const skipped: SkippedSpec[] = set.specs.slice(outcomes.length).map((spec, offset) => ({
    index: outcomes.length + offset,
    file: set.files[outcomes.length + offset] ?? '',
    specId: spec.specId,
    title: spec.title,
  }));
  const listed = set.specs.slice(0, outcomes.length).flatMap((spec) => spec.files.map((file) => file.path));
  const sections = total === 1 && outcomes[0] ? singleSpecSections(outcomes[0], pass.lastResult) : batchReportSections(outcomes, skipped);
  const reportVersion = (record.reports.at(-1)?.version ?? 0) + 1;
  const markdown = renderCodeReport({
    specId: set.specs.map((spec) => spec.specId).join(', '),
    coder: by.coder,
    completed: nowOf(deps),
    spec: versions.specLinks(set, specVersion),
    filesChanged: changes,
    ...sections,
    summary: by.preface ? `${by.preface}\n\n${sections.summary}` : sections.summary,
    deviations: [...sections.deviations, ...unlistedChanges(changes, listed)],
  });
  await versions.saveReport(runId, specVersion, markdown);
  await ctx.dispatch(runId, { type: 'report-written', reportVersion }, async (next) => ({
    ...next,
    // Each command's last run, as for a single spec (the report's summary has every spec's).
    reports: [...next.reports, { version: reportVersion, createdAt: nowOf(deps), specVersion, checks: [...new Map(outcomes.map((outcome) => [outcome.check.command, outcome.check])).values()] }],
    // The state leaves the Coder's phase: the competition stays in run.json for the panel.
    ...(by.competition ? { competitions: [...(next.competitions ?? []), { ...by.competition, specVersion, reportVersion }] } : {}),
  }));
}

/**
 * Where a Coder works and with what: the workspace and the run's Coder for the single Coder, or a
 * candidate's own copy, verification and model in a competition. The loop is the same for both.
 */
export interface CoderSeat {
  /** "The Coder", "Candidate A": how activity lines name it. */
  name: string;
  role: RoleSnapshot;
  /** Metered (and guarded) already. */
  client: ModelClient;
  workspace: WorkspaceFiles;
  verifier: VerificationRunner;
  /** Keeps the touched files' content before the pass, before the first change to each. */
  rememberOriginals(all: ReadonlyMap<string, string | undefined>): Promise<void>;
  /** Batch mode: the touched files as spec `index` began (undefined: it has not begun). */
  readSpecStart(index: number): Promise<Originals | undefined>;
  writeSpecStart(index: number, files: ReadonlyMap<string, string | undefined>): Promise<void>;
  /** What the Coder says as it streams, for the panel. */
  onText(text: string): void;
  onActivity(message: string): void;
}

/** The single Coder's seat: the real workspace, the run's Coder, originals in the run's artifacts. */
function workspaceSeat(ctx: PhaseContext, runId: string, record: RunRecord, specVersion: number): CoderSeat {
  const { deps, journal, specs: versions } = ctx;
  return {
    name: 'The Coder',
    role: record.roles.coder,
    client: ctx.meter.client(runId, 'coder-implement', deps.clientFor(record.roles.coder)),
    workspace: trustedWorkspace(deps, deps.workspace),
    verifier: ctx.meter.verifier(runId, trustedVerifier(deps)),
    rememberOriginals: (all) => versions.writeOriginals(runId, specVersion, all),
    readSpecStart: (index) => versions.readSpecStart(runId, specVersion, index),
    writeSpecStart: (index, files) => versions.writeSpecStart(runId, specVersion, index, files),
    onText: (text) => journal.emit({ type: 'stream', runId, text }),
    onActivity: (message) => journal.setActivity(runId, { message }),
  };
}

export interface Pass {
  ctx: PhaseContext;
  runId: string;
  record: RunRecord;
  set: SpecSet;
  specVersion: number;
  originals: Originals;
  signal: AbortSignal;
  seat: CoderSeat;
  /** The last verification of the spec implemented last in this window (the single-spec report shows it whole). */
  lastResult?: VerificationResult | undefined;
}

/** One spec of the set: the Coder's loop, a verification of the final tree, and what it changed. */
export async function implementSpec(pass: Pass, index: number): Promise<BatchSpecOutcome> {
  const { ctx, set, originals, signal, seat } = pass;
  const { deps } = ctx;
  const spec = set.specs[index];
  if (!spec) throw new Error(`The spec set has no spec ${index + 1}.`);
  const settings = deps.settings();
  const command = spec.verification.command;
  const workspace = seat.workspace;
  // The touched files as this spec began: the first begins with the pass; a later one's start is
  // saved before it edits anything, so after a reload it is known to have begun.
  let begun: ReadonlyMap<string, string | undefined> | undefined;
  let resumed: boolean;
  if (index === 0) {
    resumed = originals.size > 0;
  } else {
    begun = await seat.readSpecStart(index);
    resumed = begun !== undefined;
    if (!begun) {
      begun = await readFiles(workspace, originals.keys());
      await seat.writeSpecStart(index, begun);
    }
  }
  const beforeSpec = (): Map<string, string | undefined> => new Map([...originals].map(([file, before]) => [file, begun?.has(file) ? begun.get(file) : before]));
  // A spec cut short by a window reload starts again in a new conversation. What the earlier one
  // changed is named in its first message, so the Coder reads those files before it edits them
  // rather than redoing its work blind.
  const changedBeforeResume = resumed ? computeFileChanges(beforeSpec(), await readFiles(workspace, originals.keys())) : undefined;
  const toolbox = new CoderToolbox({
    workspace,
    verifier: seat.verifier,
    guarded: guardedPatterns(spec.guardrails),
    approvedCommand: command,
    timeoutMs: settings.verificationTimeoutMs,
    maxVerificationRuns: settings.maxVerificationRuns,
    originals,
    rememberOriginals: (all) => seat.rememberOriginals(all),
    signal,
    protectedPaths: { artifactsRoot: artifactsRootIn(deps.workspace.root, deps.store.root), namedInSpec: spec.files.map((file) => file.path) },
  });
  const label = set.specs.length > 1 ? ` (${index + 1}/${set.specs.length}: ${spec.specId})` : '';
  seat.onActivity(`${seat.name} is implementing the spec${label}…`);
  const loop = await runCoderLoop({
    client: seat.client,
    system: coderSystemPrompt(seat.role.displayName),
    firstMessage: coderFirstMessage(renderCodeSpec(spec), index > 0 && changedBeforeResume?.length === 0 ? undefined : changedBeforeResume),
    toolbox,
    thinking: seat.role.thinking,
    maxTurns: settings.maxCoderTurns,
    maxOutputTokens: settings.maxOutputTokens,
    signal,
    onText: (text) => seat.onText(text),
    onTool: (name, input) => seat.onActivity(`${seat.name}${label}: ${name}${typeof input.path === 'string' ? ` ${input.path}` : ''}`),
  });
  // The report's facts need a verification of the final tree: run it again if the Coder
  // changed files after its last run, or never ran it.
  if (toolbox.changedSinceLastVerification(await readFiles(workspace, originals.keys()))) {
    seat.onActivity(`${seat.name}${label}: running the verification: ${command}`);
    await toolbox.runVerification();
  }
  const result = toolbox.verificationRuns.at(-1);
  pass.lastResult = result;
  const test = testStatus(result, command);
  const report = toolbox.report;
  return {
    index,
    file: set.files[index] ?? '',
    specId: spec.specId,
    title: spec.title,
    command,
    verification: {
      passed: test.status === 'PASS',
      details: test.details,
      ...(result?.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      output: result ? outputTail(result.output) : '(the verification command was not run)',
      build: buildStatus(result).status,
    },
    check: checkOf({ command, result }),
    summary: report?.summary ?? (loop.lastText.trim().slice(0, 2000) || `The Coder ended ${spec.specId} without submitting a report.`),
    files: computeFileChanges(beforeSpec(), await readFiles(workspace, originals.keys())),
    blockers: report?.blockers ?? [],
    deviations: [
      ...(report?.deviations ?? []),
      ...(loop.ended === 'budget' ? [`The Coder used its whole budget of ${settings.maxCoderTurns} turns on ${spec.specId} without finishing.`] : []),
      ...toolbox.refusals.map((refusal) => `Refused: ${refusal}.`),
    ],
    refusals: toolbox.refusals.length,
  };
}

/** A single spec's report, as before batch mode: the verification's whole output when this window ran it. */
function singleSpecSections(outcome: BatchSpecOutcome, result: VerificationResult | undefined): BatchReportSections {
  const build = buildStatus(result);
  return {
    summary: outcome.summary,
    testOutput: result ? result.output : outcome.verification.output,
    testResult: { status: outcome.verification.passed ? 'PASS' : 'FAIL', details: outcome.verification.details },
    buildOutput: `$ ${outcome.command}\nexit code: ${String(result?.exitCode ?? 'none')}`,
    buildResult: build,
    blockers: outcome.blockers,
    deviations: outcome.deviations,
  };
}

/** The files as they are in the workspace now (undefined: the file does not exist). */
export async function readFiles(workspace: WorkspaceFiles, files: Iterable<string>): Promise<Map<string, string | undefined>> {
  const result = new Map<string, string | undefined>();
  for (const file of files) result.set(file, await workspace.read(file));
  return result;
}

/** The workspace (or a copy) as the Coder writes it: each write is refused once the workspace is not trusted. */
export function trustedWorkspace(deps: EngineDeps, workspace: WorkspaceFiles): WorkspaceFiles {
  const isTrusted = deps.isTrusted;
  return {
    root: workspace.root,
    read: (file) => workspace.read(file),
    list: (folder) => workspace.list(folder),
    resolvedPath: (file) => workspace.resolvedPath(file),
    writeAll: (changes) => (isTrusted() ? workspace.writeAll(changes) : Promise.reject(new Error(untrustedMessage('press Retry')))),
  };
}

/** The verification as the Coder runs it: never run in an untrusted workspace. */
export function trustedVerifier(deps: EngineDeps): VerificationRunner {
  return {
    run: (request) =>
      deps.isTrusted() ? deps.verifier.run(request) : Promise.resolve({ exitCode: undefined, output: '', timedOut: false, notRun: 'the workspace is not trusted (Restricted Mode)', durationMs: 0 }),
  };
}

/** What run.json keeps of a command's last run (its output stays in the report). */
export function checkOf({ command, result }: { command: string; result: VerificationResult | undefined }): VerificationCheck {
  if (!result) return { command, timedOut: false, notRun: 'the verification command was not run', durationMs: 0 };
  return {
    command,
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    timedOut: result.timedOut,
    ...(result.notRun ? { notRun: result.notRun } : {}),
    ...(result.sandbox ? { sandbox: result.sandbox } : {}),
    durationMs: Math.round(result.durationMs),
  };
}
