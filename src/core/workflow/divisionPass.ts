// Phase 3 of a division of labour: the approved specs in waves (divisionPlan.ts), each spec of a
// wave in its own isolated copy with its own Coder, side by side; the wave's copies merged
// three-way (mergeCopies.ts) and written to the workspace as one change, with the pass's originals
// kept first so revert and the diffs work as for one Coder. A conflict writes nothing and stops
// the run. Each merged wave is saved in run.json, so a reload redoes only the wave it was in.
// After the last wave, each distinct verification runs once on the merged whole, and the
// consolidated Code Report follows. A swarm runs through the same pass: only who codes each
// spec differs (SpecCoders), and a failed spec is redone one tier up in a fresh copy.
import { removeCopies, removeRunCopies } from './runCopies.js';
import { renderCodeReport } from '../artifacts/codeReport.js';
import { renderCodeSpec } from '../artifacts/codeSpec.js';
import { candidateDiff } from './candidateArtifacts.js';
import type { Acceptance } from './specAcceptance.js';
import { askAcceptance, checksNothing } from './specAcceptance.js';
import { buildStatus, computeFileChanges, testStatus, unlistedChanges } from '../coder/reportFacts.js';
import type { FileChange, IsolatedCopies, IsolatedCopy } from '../ports.js';
import { outputTail } from './batchReport.js';
import type { Pass } from './coderPassPhase.js';
import { checkOf, implementSpec, readFiles, trustedVerifier, trustedWorkspace } from './coderPassPhase.js';
import { divisionReportSections } from './divisionReport.js';
import type { DivisionAssignment, DivisionPlan } from './divisionPlan.js';
import { planDivision } from './divisionPlan.js';
import { messageOf } from './errorMessage.js';
import { isCapError } from '../models/spendCaps.js';
import type { Route } from '../models/swarmRouting.js';
import type { MergeConflict } from './mergeCopies.js';
import { changedPaths, mergeCopies } from './mergeCopies.js';
import type { PhaseContext } from './phaseContext.js';
import { nowOf, untrustedMessage } from './phaseContext.js';
import type { RoleSnapshot } from './roleSnapshot.js';
import type { ModelCall, VerificationCheck } from './runRecord.js';
import type { BatchSpecOutcome, DivisionSpecOutcome, KeptVerification } from './runState.js';
import type { Originals, SpecSet } from './specVersions.js';
import type { WaveCopy } from './waveBase.js';
import { readWaveBase, snapshotPaths } from './waveBase.js';

export interface DivisionPassInput {
  ctx: PhaseContext;
  runId: string;
  set: SpecSet;
  specVersion: number;
  coders: SpecCoders;
  signal: AbortSignal;
}

/** One go at a spec: the Coder, and in a swarm the route that chose it. */
export interface SpecAttempt {
  role: RoleSnapshot;
  route?: Route;
}

/** Who codes each spec: a division's Coders in turn, or a swarm's route per spec. */
export interface SpecCoders {
  mode: 'division' | 'swarm';
  /** How many Coders a wave's specs are shared among (the plan's assignment.coder counts up to it). */
  count: number;
  first(assignment: DivisionAssignment): SpecAttempt;
  /** The attempt after a failed one; undefined: the failure stands (a division never redoes a spec). */
  next(failed: SpecAttempt): SpecAttempt | undefined;
  /** The outcome's routing line, from its attempts in order. */
  routing?(attempts: readonly SpecAttempt[]): string;
  /** The report's cost lines, given the calls of the run's Coder phase. */
  cost?(calls: readonly ModelCall[]): string;
  /** A swarm: work whose verification checks nothing stands only once the Architect accepts it (specAcceptance.ts). */
  architectAccepts?: boolean;
}

/** A division: the plan's Coder for each spec, once. */
export function divisionCoders(coders: readonly RoleSnapshot[]): SpecCoders {
  return {
    mode: 'division',
    count: coders.length,
    first: (assignment) => {
      const role = coders[assignment.coder];
      if (!role) throw new Error(`The division has no Coder ${assignment.coder + 1}.`);
      return { role };
    },
    next: () => undefined,
  };
}

/** The artifact that shows a conflicting wave's files, every side and the base. */
export const conflictFile = (wave: number): string => `division_conflict_wave_${wave + 1}.md`;

export async function divide(input: DivisionPassInput): Promise<void> {
  const { ctx, runId, set, coders } = input;
  const { deps, journal } = ctx;
  const copies = deps.copies;
  if (!copies) throw new Error('Division of labour needs isolated copies of the workspace, and this window has none; start the run in single-Coder mode.');
  const plan = await planDivision(set.specs, deps.workspace, coders.count);
  // After a reload: the copies of the wave it was in are stale (their Coders are gone); redo it.
  await removeRunCopies(copies, runId);
  for (;;) {
    const state = journal.require(runId).state;
    if (state.phase !== 'coder-implement') return;
    const wave = state.division?.wave ?? 0;
    if (wave >= plan.waves.length) break;
    if (!deps.isTrusted()) throw new Error(untrustedMessage('press Retry'));
    await runWave(input, copies, plan, wave);
  }
  await writeDivisionReport(input, plan);
}

/** One wave: its specs side by side in their copies, merged and written, or a conflict that stops the run. */
async function runWave(input: DivisionPassInput, copies: IsolatedCopies, plan: DivisionPlan, wave: number): Promise<void> {
  const { ctx, runId, set, signal } = input;
  const { deps, journal } = ctx;
  const indices = plan.waves[wave]?.specs ?? [];
  const assignments = indices.map((index) => {
    const assignment = plan.assignments[index];
    if (!assignment) throw new Error(`The division's plan has no assignment for spec ${index + 1}.`);
    return assignment;
  });
  // The base of the merge: the named files as the workspace has them now, as the copies begin.
  const snapshot = await snapshotPaths(deps.workspace, indices.flatMap((index) => set.specs[index]?.files.map((file) => file.path) ?? []));
  // One spec's failure (or a cancel) stops its siblings: their copies are about to be removed.
  const stop = new AbortController();
  const stopAll = (): void => stop.abort(signal.reason);
  signal.addEventListener('abort', stopAll, { once: true });
  const made: IsolatedCopy[] = [];
  try {
    journal.setActivity(runId, { message: `Wave ${wave + 1} of ${plan.waves.length}: ${indices.length} spec(s) side by side…` });
    const settled = await Promise.allSettled(
      assignments.map((assignment) => attemptSpec(input, copies, assignment, wave, stop.signal, made)).map((work) => work.catch((error: unknown) => {
        stop.abort(error);
        throw error;
      })),
    );
    signal.throwIfAborted();
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const done = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    // Labelled by the spec, not the copy: an escalated spec's copy has its own name.
    const waveCopies: WaveCopy[] = await Promise.all(done.map(async ({ copy, label }) => ({ label, changes: await copy.changes(), workspace: copy.workspace })));
    const base = await readWaveBase(snapshot, waveCopies);
    const current = await readFiles(deps.workspace, changedPaths(waveCopies));
    const merged = mergeCopies({ base, current, copies: waveCopies });
    if (!merged.ok) {
      const file = conflictFile(wave);
      await deps.store.writeArtifact(runId, file, conflictMarkdown(wave, merged.conflicts, merged.workspaceChanged, labelsToSpecs(plan, set)));
      throw new Error(`${merged.message} Every side and the base are in ${file}. Retry redoes wave ${wave + 1} from the workspace as it is then.`);
    }
    signal.throwIfAborted();
    await ctx.dispatch(runId, { type: 'division-wave-done', wave, outcomes: done.map((entry) => entry.outcome) }, async (next) => {
      // Written once the transition is allowed and before it is saved, originals first, so revert always knows the files.
      await writeMerged(input, merged.changes, current);
      return next;
    });
  } finally {
    signal.removeEventListener('abort', stopAll);
    stop.abort(new Error('the wave ended'));
    await removeCopies(made);
  }
}

/**
 * One spec in its copy; in a swarm, while its Coder fails, its verification fails or it changed
 * nothing, it is redone one tier up in a fresh copy. When no tier is left the last attempt's
 * outcome stands, its blockers saying so; a Coder that failed outright on the last tier fails the
 * wave (there is no outcome to keep).
 */
async function attemptSpec(input: DivisionPassInput, copies: IsolatedCopies, assignment: DivisionAssignment, wave: number, signal: AbortSignal, made: IsolatedCopy[]): Promise<{ copy: IsolatedCopy; label: string; outcome: DivisionSpecOutcome }> {
  const { runId, set, coders } = input;
  const specId = set.specs[assignment.spec]?.specId ?? assignment.label;
  const attempts: SpecAttempt[] = [];
  for (let attempt: SpecAttempt | undefined = coders.first(assignment); attempt; ) {
    attempts.push(attempt);
    specActivity(input, assignment.spec, `${attempt.role.displayName}: making its copy of the workspace…`);
    const copy = await copies.create(runId, attempts.length === 1 ? assignment.label : `${assignment.label}-up${attempts.length - 1}`, signal);
    made.push(copy);
    let outcome: BatchSpecOutcome | undefined;
    let failure: unknown;
    try {
      outcome = await implementSpec(copyPass(input, copy, assignment, attempt.role, signal), assignment.spec);
    } catch (error) {
      // A cancel or a sibling's failure is not this model's failure: nothing is escalated.
      signal.throwIfAborted();
      // Nor is a spending cap's refusal: the next tier costs more, and the cap holds for it too.
      if (capRefused(error)) throw new Error(`${specId} (${attempt.role.displayName}): ${messageOf(error)}`, { cause: error });
      failure = error;
    }
    const acceptance = outcome && !failedOutcome(outcome) && coders.architectAccepts ? await acceptedOrNot(input, copy, assignment.spec, outcome, signal) : undefined;
    const failed = failure !== undefined || (outcome !== undefined && (failedOutcome(outcome) || acceptance?.accepted === false));
    const next: SpecAttempt | undefined = failed ? coders.next(attempt) : undefined;
    if (!next) {
      if (!outcome) throw new Error(`${specId} (${attempt.role.displayName}): ${messageOf(failure)}`, { cause: failure });
      const kept = divisionOutcome(outcome, attempt.role, wave);
      const routing = coders.routing?.(attempts);
      const stands = coders.mode === 'swarm' && failed ? [`${attempt.role.displayName} failed it on the last tier it could climb to (${failedWhy(outcome, acceptance)}); this attempt's work is kept as it is.`] : [];
      specActivity(input, assignment.spec, `${attempt.role.displayName}: done; waiting for the rest of its wave to merge`);
      return { copy, label: assignment.label, outcome: { ...kept, ...(routing !== undefined ? { routing } : {}), ...(acceptance ? { acceptance } : {}), blockers: [...kept.blockers, ...stands] } };
    }
    const escalating = `${attempt.role.displayName} failed (${failure !== undefined ? messageOf(failure) : failedWhy(outcome, acceptance)}); escalating to ${next.role.displayName}…`;
    specActivity(input, assignment.spec, escalating, `${specId}: ${escalating}`);
    made.splice(made.indexOf(copy), 1);
    await copy.remove();
    attempt = next;
  }
  throw new Error(`${specId}: no Coder to attempt it.`);
}

function capRefused(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth += 1) if (isCapError(cause)) return true;
  return false;
}

/** A swarm's reasons to escalate, beside a Coder's error: its own verification failed, or it changed nothing. */
function failedOutcome(outcome: BatchSpecOutcome): boolean {
  return !outcome.verification.passed || outcome.files.length === 0;
}

function failedWhy(outcome: BatchSpecOutcome | undefined, acceptance?: Acceptance): string {
  if (!outcome) return 'no answer';
  if (outcome.files.length === 0) return 'it changed no file';
  if (!outcome.verification.passed) return `its verification failed: ${outcome.verification.details}`;
  return acceptance && !acceptance.accepted ? `the Architect did not accept it: ${acceptance.reasons}` : 'no reason given';
}

/**
 * The Architect's verdict on work whose verification checks nothing (undefined where the
 * verification is a real check: it has spoken). It reads the spec, the Coder's summary and the
 * diff of the copy against the workspace, which the copy began as.
 */
async function acceptedOrNot(input: DivisionPassInput, copy: IsolatedCopy, specIndex: number, outcome: BatchSpecOutcome, signal: AbortSignal): Promise<Acceptance | undefined> {
  const { ctx, runId, set } = input;
  const spec = set.specs[specIndex];
  if (!spec || !checksNothing(spec.verification.command)) return undefined;
  const record = ctx.journal.require(runId);
  const changes = await copy.changes();
  const files = await Promise.all(changes.map(async (change) => ({ path: change.path, before: (await ctx.deps.workspace.read(change.path)) ?? null, after: change.text ?? null })));
  specActivity(input, specIndex, 'its verification checks nothing; the Architect is reading the change…', `${spec.specId}: its verification checks nothing; the Architect is reading the change…`);
  return askAcceptance({
    journal: ctx.journal,
    runId,
    client: ctx.meter.client(runId, 'coder-implement', ctx.deps.clientFor(record.roles.architect)),
    thinking: record.roles.architect.thinking,
    maxOutputTokens: ctx.deps.settings().maxOutputTokens,
    specMarkdown: renderCodeSpec(spec),
    summary: outcome.summary,
    diff: candidateDiff({ files }),
    signal,
  });
}

/** What spec `index` is doing now, for its row in the panel (and the run's one activity line). */
function specActivity(input: DivisionPassInput, index: number, doing: string, message = doing): void {
  const { journal } = input.ctx;
  journal.setActivity(input.runId, { message, specs: { ...journal.activityOf(input.runId).specs, [index]: doing } });
}

/** A spec's seat in its copy: its Coder, the copy's files and verification, calls labelled with the spec's seat. */
function copyPass(input: DivisionPassInput, copy: IsolatedCopy, assignment: DivisionAssignment, role: RoleSnapshot, signal: AbortSignal): Pass {
  const seatLabel = assignment.label;
  const { ctx, runId, set, specVersion } = input;
  const { deps, journal } = ctx;
  const record = journal.require(runId);
  return {
    ctx,
    runId,
    record,
    set,
    specVersion,
    // The copy's own: what it changed is read from the copy (changes()), never from these.
    originals: new Map<string, string | undefined>(),
    signal,
    seat: {
      name: `${role.displayName} (${copy.label})`,
      role,
      client: ctx.meter.client(runId, 'coder-implement', deps.clientFor(role), { seat: seatLabel }),
      workspace: trustedWorkspace(deps, copy.workspace),
      verifier: ctx.meter.verifier(runId, trustedVerifier(deps)),
      rememberOriginals: async () => undefined,
      readSpecStart: async () => undefined,
      writeSpecStart: async () => undefined,
      onText: () => undefined,
      // The seat's messages name its Coder already ("Claude Haiku 4.5 (spec-01) is …").
      onActivity: (message) => specActivity(input, assignment.spec, message),
    },
  };
}

/** The batch outcome as a division keeps it: who did it, in which wave, its refusals apart. */
function divisionOutcome(outcome: BatchSpecOutcome, role: RoleSnapshot, wave: number): DivisionSpecOutcome {
  const { command, verification, check, deviations, ...rest } = outcome;
  const refused = (line: string): boolean => line.startsWith('Refused: ');
  return {
    ...rest,
    coder: role.displayName,
    wave,
    refusals: deviations.filter(refused).map((line) => line.slice('Refused: '.length).replace(/\.$/, '')),
    deviations: deviations.filter((line) => !refused(line)),
    verification: { ...verification, command },
    check,
  };
}

/** The merged changes into the workspace, each file's content before the pass kept first. */
async function writeMerged(input: DivisionPassInput, changes: readonly FileChange[], current: ReadonlyMap<string, string | undefined>): Promise<void> {
  const { ctx, runId, specVersion } = input;
  const { deps, specs: versions } = ctx;
  const originals: Originals = (await versions.readOriginals(runId, specVersion)) ?? new Map<string, string | undefined>();
  const before = originals.size;
  for (const change of changes) if (!originals.has(change.path)) originals.set(change.path, current.get(change.path));
  if (originals.size !== before) await versions.writeOriginals(runId, specVersion, originals);
  const results = await trustedWorkspace(deps, deps.workspace).writeAll([...changes]);
  const refused = results.filter((result) => !result.ok).map((result) => (result.ok ? result.path : `${result.path} (${result.reason})`));
  if (refused.length > 0) throw new Error(`The merged wave could not write these files: ${refused.join(', ')}.`);
}

/** Each distinct verification command once, on the merged workspace, then the consolidated report. */
async function writeDivisionReport(input: DivisionPassInput, plan: DivisionPlan): Promise<void> {
  const { ctx, runId, set, specVersion, signal } = input;
  const { deps, journal, specs: versions } = ctx;
  const record = journal.require(runId);
  const state = record.state;
  const outcomes = state.phase === 'coder-implement' ? (state.division?.done ?? []) : [];
  const commands = [...new Set(set.specs.map((spec) => spec.verification.command))];
  const verifier = ctx.meter.verifier(runId, trustedVerifier(deps));
  const checks: VerificationCheck[] = [];
  const runs: KeptVerification[] = [];
  for (const command of commands) {
    journal.setActivity(runId, { message: `Verifying the merged whole: ${command}` });
    const result = await verifier.run({ command, cwd: deps.workspace.root, timeoutMs: deps.settings().verificationTimeoutMs, label: `Dual-Model verification: ${command}`, signal });
    signal.throwIfAborted();
    const test = testStatus(result, command);
    checks.push(checkOf({ command, result }));
    runs.push({ command, passed: test.status === 'PASS', details: test.details, ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}), build: buildStatus(result).status, output: outputTail(result.output) });
  }
  // Every call of the Coder phase: escalated attempts and the Architect's acceptances included.
  const cost = input.coders.cost?.(record.calls.filter((call) => call.phase === 'coder-implement'));
  const sections = divisionReportSections({ mode: input.coders.mode, waves: plan.waves.length, outcomes: [...outcomes].sort((a, b) => a.index - b.index), skipped: [], whole: wholeOf(runs), ...(cost !== undefined ? { cost } : {}) });
  const originals: Originals = (await versions.readOriginals(runId, specVersion)) ?? new Map<string, string | undefined>();
  const changes = computeFileChanges(originals, await readFiles(deps.workspace, originals.keys()));
  const listed = set.specs.flatMap((spec) => spec.files.map((file) => file.path));
  const reportVersion = (record.reports.at(-1)?.version ?? 0) + 1;
  const markdown = renderCodeReport({
    specId: set.specs.map((spec) => spec.specId).join(', '),
    coder: [...new Set(outcomes.map((outcome) => outcome.coder))].join(', '),
    completed: nowOf(deps),
    spec: versions.specLinks(set, specVersion),
    filesChanged: changes,
    ...sections,
    deviations: [...sections.deviations, ...unlistedChanges(changes, listed)],
  });
  await versions.saveReport(runId, specVersion, markdown);
  await ctx.dispatch(runId, { type: 'report-written', reportVersion }, async (next) => ({
    ...next,
    reports: [...next.reports, { version: reportVersion, createdAt: nowOf(deps), specVersion, checks }],
  }));
}

/** Several commands' runs on the whole as the report's one verification: PASS only when every one passed. */
function wholeOf(runs: readonly KeptVerification[]): KeptVerification | undefined {
  const [only] = runs;
  if (runs.length <= 1) return only;
  const failed = runs.find((run) => !run.passed);
  return {
    command: runs.map((run) => run.command).join(' ; '),
    passed: failed === undefined,
    details: runs.map((run) => run.details).join('; '),
    ...(failed?.exitCode !== undefined ? { exitCode: failed.exitCode } : {}),
    build: runs.some((run) => run.build === 'ERRORS') ? 'ERRORS' : runs.some((run) => run.build === 'WARNINGS') ? 'WARNINGS' : 'CLEAN',
    output: runs.map((run) => `$ ${run.command}\n${run.output}`).join('\n\n'),
  };
}

function labelsToSpecs(plan: DivisionPlan, set: SpecSet): Map<string, string> {
  return new Map(plan.assignments.map((assignment) => [assignment.label, set.specs[assignment.spec]?.specId ?? '']));
}

/** The conflict as the user reads it: each file, why, the base and every side in full. */
function conflictMarkdown(wave: number, conflicts: readonly MergeConflict[], workspaceChanged: readonly string[], specs: ReadonlyMap<string, string>): string {
  const fenced = (text: string | undefined): string => (text === undefined ? '(absent)' : `~~~~\n${text}${text.endsWith('\n') ? '' : '\n'}~~~~`);
  const parts = [`# The merge of wave ${wave + 1} was refused\n\nNothing was written to the workspace.`];
  for (const conflict of conflicts) {
    parts.push(`## \`${conflict.path}\`: ${conflict.why}`, `### Base (when the wave began)\n\n${fenced(conflict.base)}`);
    for (const side of conflict.sides) parts.push(`### ${side.label} (${specs.get(side.label) ?? ''})\n\n${fenced(side.text)}`);
  }
  if (workspaceChanged.length) parts.push(`## Changed in the workspace since the wave began\n\n${workspaceChanged.map((file) => `- \`${file}\``).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}
