// Competitive mode (best-of-N) inside the Coder's phase: the one approved spec set goes to each
// Coder of the mode, each in its own isolated copy of the workspace, all at once, through the same
// loop, tools, guardrails and approved verification as the single Coder. Each candidate that ends
// is saved (its changes as candidates/<label>.json, its state in run.json) and its copy removed;
// one failing never stops the others. Then they are ranked by their facts, the survivors are
// judged by the Architect without their models' names, and the run waits for the user to apply one.
import { computeFileChanges } from '../coder/reportFacts.js';
import type { ChatMessage, ModelRequest } from '../models/modelClient.js';
import { formatUsd } from '../models/usageSummary.js';
import type { IsolatedCopy } from '../ports.js';
import { judgeMessage, judgeRepairMessage, judgeSystemPrompt } from '../prompts/judgePrompts.js';
import { modelNamesOf, withoutModelNames } from './anonymise.js';
import type { CandidateWorkFile } from './candidateArtifacts.js';
import { candidateDiff, readCandidateWork, saveCandidateWork } from './candidateArtifacts.js';
import { candidateFacts } from './candidateFacts.js';
import { rankCandidates, survivorsOf } from './candidateRanking.js';
import type { CoderSeat, Pass } from './coderPassPhase.js';
import { implementSpec, trustedVerifier, trustedWorkspace, writePassReport } from './coderPassPhase.js';
import { messageOf } from './errorMessage.js';
import { parseJudgeAnswer } from './judgeAnswer.js';
import { askWithOneRepair } from './repairedAsk.js';
import { removeRunCopies } from './runCopies.js';
import type { PhaseContext } from './phaseContext.js';
import type { RoleSnapshot } from './roleSnapshot.js';
import type { BatchSpecOutcome, CandidateFacts, CompetitionState, EndedCandidate } from './runState.js';
import { candidateIndex, candidateLabel } from './runState.js';
import type { Originals, SpecSet } from './specVersions.js';

export interface CompetitionPass {
  ctx: PhaseContext;
  runId: string;
  set: SpecSet;
  specVersion: number;
  coders: readonly RoleSnapshot[];
  signal: AbortSignal;
}

export async function compete(pass: CompetitionPass): Promise<void> {
  const { ctx, runId } = pass;
  const copies = ctx.deps.copies;
  const state = ctx.journal.require(runId).state;
  const competition: CompetitionState = (state.phase === 'coder-implement' ? state.competition : undefined) ?? { ended: [] };
  if (competition.applied) return reportApplied(pass, competition, competition.applied);
  if (!copies) throw new Error('Competitive mode needs isolated copies of the workspace, and this window has none to make; start the run in single-Coder mode.');
  const unfinished = pass.coders.map((role, index) => ({ label: candidateLabel(index), role })).filter(({ label }) => !competition.ended.some((ended) => ended.label === label));
  if (unfinished.length > 0) {
    // A copy outlives its candidate only when a window closed mid-work: that work restarts afresh.
    // As in a division, one that cannot be removed does not stop the run; the next start sweeps it.
    await removeRunCopies(copies, runId);
    // Every copy is made before any candidate starts, so none is removed while another is being made.
    const made = await Promise.allSettled(unfinished.map(({ label }) => copies.create(runId, label.toLowerCase(), pass.signal)));
    const settled = await Promise.allSettled(unfinished.map(({ label, role }, index) => runCandidate(pass, label, role, made[index])));
    pass.signal.throwIfAborted();
    const broken = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (broken) throw broken.reason instanceof Error ? broken.reason : new Error(String(broken.reason));
  }
  await judge(pass);
}

/** One candidate from a fresh copy to its end: saved, its copy removed, and its end told to the run. */
async function runCandidate(pass: CompetitionPass, label: string, role: RoleSnapshot, made: PromiseSettledResult<IsolatedCopy> | undefined): Promise<void> {
  const { ctx, runId, signal } = pass;
  let ended: EndedCandidate;
  const copy = made?.status === 'fulfilled' ? made.value : undefined;
  try {
    if (!copy) throw made?.status === 'rejected' ? made.reason : new Error('its copy of the workspace was not made');
    const work = await implementInCopy(pass, copy, label, role);
    await saveCandidateWork(ctx.deps.store, runId, work);
    const before: Originals = new Map(work.files.map((file) => [file.path, file.before ?? undefined]));
    const after: Originals = new Map(work.files.map((file) => [file.path, file.after ?? undefined]));
    const calls = ctx.journal.require(runId).calls.filter((call) => call.candidate === label);
    ended = { label, status: 'done', facts: candidateFacts({ outcomes: work.outcomes, before, after, calls }), files: computeFileChanges(before, after) };
  } catch (error) {
    if (signal.aborted) throw error;
    // Shown before the pick: an error that names its model ("X did not answer") must not say which.
    ended = { label, status: 'failed', error: withoutModelNames(messageOf(error), modelNamesOf(pass.coders)).slice(0, 2000), files: [] };
  } finally {
    await copy?.remove().catch(() => undefined);
  }
  await ctx.dispatch(runId, { type: 'candidate-ended', candidate: ended });
}

async function implementInCopy(pass: CompetitionPass, copy: IsolatedCopy, label: string, role: RoleSnapshot): Promise<CandidateWorkFile> {
  const { ctx, runId, set, specVersion, signal } = pass;
  const { deps, journal, meter } = ctx;
  const specStarts = new Map<number, Originals>();
  const seat: CoderSeat = {
    name: `Candidate ${label}`,
    role,
    client: meter.client(runId, 'coder-implement', deps.clientFor(role), { candidate: label }),
    workspace: trustedWorkspace(deps, copy.workspace),
    verifier: meter.verifier(runId, trustedVerifier(deps)),
    // The copy is thrown away if the window closes; its candidate restarts in a fresh one.
    rememberOriginals: async () => undefined,
    readSpecStart: async (index) => specStarts.get(index),
    writeSpecStart: async (index, files) => {
      specStarts.set(index, new Map(files));
    },
    // Several Coders at once would interleave in one stream: their progress shows as activity.
    onText: () => undefined,
    onActivity: (message) => journal.setActivity(runId, { message, candidates: { ...journal.activityOf(runId).candidates, [label]: message } }),
  };
  const originals: Originals = new Map();
  const inCopy: Pass = { ctx, runId, record: journal.require(runId), set, specVersion, originals, signal, seat };
  const outcomes: BatchSpecOutcome[] = [];
  for (let index = 0; index < set.specs.length; index += 1) outcomes.push(await implementSpec(inCopy, index));
  const changed = await copy.changes();
  const files: CandidateWorkFile['files'] = [];
  for (const change of changed) {
    // The workspace is as it was when the copy was made: the Coder edits only its copy.
    const before = originals.has(change.path) ? originals.get(change.path) : await deps.workspace.read(change.path);
    if (before !== change.text) files.push({ path: change.path, before: before ?? null, after: change.text ?? null });
  }
  return { label, files: files.sort((a, b) => a.path.localeCompare(b.path)), outcomes };
}

/** Ranks the ended candidates, asks the Architect to pick among the survivors, and waits for the user. */
async function judge(pass: CompetitionPass): Promise<void> {
  const { ctx, runId } = pass;
  const record = ctx.journal.require(runId);
  const competition = record.state.phase === 'coder-implement' ? record.state.competition : undefined;
  const ended = competition?.ended ?? [];
  const ranking = rankCandidates(ended);
  const survivors = survivorsOf(ranking);
  if (survivors.length === 0) {
    const why = ranking.map((candidate) => `${candidate.label}: ${candidate.excluded ?? ''}`).join('; ');
    await ctx.dispatch(runId, { type: 'competition-judged', note: `No candidate passed its verification with changes, so the Architect judged none (${why}). Apply one anyway, or cancel the run.` });
    return;
  }
  if (survivors.length === 1) {
    const only = survivors[0] ?? '';
    await ctx.dispatch(runId, { type: 'competition-judged', judge: { pick: only, reasons: `Candidate ${only} is the only one that passed its verification with changes; the Architect was not asked.`, by: 'facts' } });
    return;
  }
  const works = await Promise.all(survivors.map((label) => readCandidateWork(ctx.deps.store, runId, label)));
  const specMarkdown = (await ctx.specs.load(record, pass.specVersion)).markdown;
  const names = modelNamesOf(pass.coders);
  const candidates = works.map((work) => {
    const facts = ended.find((candidate) => candidate.label === work.label)?.facts;
    return { label: work.label, facts: facts ? factLines(facts) : [], diff: candidateDiff(work), summary: work.outcomes.map((outcome) => outcome.summary).join('\n\n') };
  });
  // Everything sent is scrubbed as one text: the spec, the diffs and the Coders' own summaries.
  const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: withoutModelNames(judgeMessage(specMarkdown, candidates), names) }] }];
  const architect = ctx.meter.client(runId, 'coder-implement', ctx.deps.clientFor(record.roles.architect));
  const request = (): ModelRequest => ({ purpose: 'judge', system: judgeSystemPrompt, messages, cacheablePrefix: 1, thinking: record.roles.architect.thinking, maxOutputTokens: ctx.deps.settings().maxOutputTokens });
  ctx.journal.setActivity(runId, { message: `The Architect is judging candidates ${survivors.join(', ')}…` });
  const pick = await askWithOneRepair({
    journal: ctx.journal,
    runId,
    client: architect,
    request,
    messages,
    signal: pass.signal,
    parse: (answer) => parseJudgeAnswer(answer, survivors),
    repair: (problem) => judgeRepairMessage(problem, survivors),
  });
  // A second unreadable answer is not an error of the run: the best by the facts is proposed.
  await ctx.dispatch(runId, {
    type: 'competition-judged',
    judge: pick.ok
      ? { pick: pick.value.pick, reasons: withoutModelNames(pick.value.reasons, names), by: 'architect' }
      : { pick: survivors[0] ?? '', reasons: `The Architect's answer could not be read after one repair request (${pick.error}); the best by the facts, candidate ${survivors[0] ?? ''}, is proposed instead.`, by: 'facts' },
  });
}

/** The facts as the judge reads them. */
function factLines(facts: CandidateFacts): string[] {
  return [
    `verification: ${facts.verificationPassed ? 'passed' : 'failed'} (${facts.verificationDetails})`,
    `refused tool calls: ${facts.refusals}`,
    `files changed: ${facts.filesChanged} (+${facts.linesAdded} / -${facts.linesRemoved} lines)`,
    `TODO(architect) questions left: ${facts.openQuestions}`,
  ];
}

/** After the apply: the Code Report as for a single Coder, naming the candidate, its model, and every candidate's facts. */
async function reportApplied(pass: CompetitionPass, competition: CompetitionState, label: string): Promise<void> {
  const { ctx, runId, set, specVersion, coders } = pass;
  const record = ctx.journal.require(runId);
  const work = await readCandidateWork(ctx.deps.store, runId, label);
  const originals = (await ctx.specs.readOriginals(runId, specVersion)) ?? new Map<string, string | undefined>();
  const role = coders[candidateIndex(label)];
  const model = role ? `${role.displayName} (${role.provider} · ${role.modelId})` : 'an unknown model';
  const judged = competition.judge ? ` ${competition.judge.by === 'architect' ? 'The Architect picked' : 'By the facts alone, the pick was'} candidate ${competition.judge.pick}: ${competition.judge.reasons}` : '';
  const preface = [`Competitive mode: candidate ${label}, ${model}, was applied, out of ${coders.length} Coders given the same spec.${judged}`, '', factsTable(competition, coders)].join('\n');
  await writePassReport({ ctx, runId, record, set, specVersion, originals }, work.outcomes, { coder: `${role?.displayName ?? 'Coder'} (candidate ${label})`, preface, competition });
}

function factsTable(competition: CompetitionState, coders: readonly RoleSnapshot[]): string {
  const rows = coders.map((role, index) => {
    const label = candidateLabel(index);
    const ended = competition.ended.find((candidate) => candidate.label === label);
    const facts = ended?.facts;
    if (!facts) return `| ${label} | ${role.displayName} | failed: ${(ended?.error ?? 'did not end').split('\n')[0]?.replace(/\|/g, '\\|') ?? ''} | | | | |`;
    return `| ${label}${competition.applied === label ? ' (applied)' : ''} | ${role.displayName} | ${facts.verificationPassed ? 'passed' : 'failed'} | ${facts.refusals} | +${facts.linesAdded} / -${facts.linesRemoved} | ${facts.openQuestions} | ${facts.costUsd !== undefined ? formatUsd(facts.costUsd) : `${facts.tokens} tokens`} |`;
  });
  return ['| Candidate | Model | Verification | Refusals | Lines | Open questions | Cost |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
