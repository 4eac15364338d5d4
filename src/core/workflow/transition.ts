// The protocol as a pure function: given a state and an event, the next state and the work the
// host must now do. Nothing here performs I/O; the run engine carries out the effects.
import { isHardStop } from './phases.js';
import type { ActiveState, RunEvent, RunState } from './runState.js';
import { isActive } from './runState.js';

/** Work the host performs on entering a state. */
export type Effect =
  | { type: 'write-spec'; reason: 'initial' | 'revision' | 'redesign'; feedback?: string }
  | { type: 'await-confirmation'; role: 'coder' | 'architect' }
  | { type: 'implement'; specVersion: number; approvedCommands: string[] }
  | { type: 'review'; reportVersion: number }
  | { type: 'await-decision' }
  /** A batch spec failed its verification: the user chooses to go on with the rest or stop. */
  | { type: 'await-batch-choice' }
  /** A competition was judged: the user applies one candidate. */
  | { type: 'await-candidate-choice' }
  | { type: 'finished'; outcome: 'approved' | 'failed' | 'cancelled' };

export type TransitionResult =
  | { ok: true; state: RunState; effects: Effect[] }
  | { ok: false; reason: string };

/** The work that belongs to being in `state`; also what a resumed run must redo. */
export function entryEffects(state: RunState): Effect[] {
  switch (state.phase) {
    case 'architect-spec':
      return [{ type: 'write-spec', reason: state.reason, ...(state.feedback ? { feedback: state.feedback } : {}) }];
    case 'hard-stop-to-coder':
      return [{ type: 'await-confirmation', role: 'coder' }];
    case 'coder-implement':
      if (state.competition?.awaitingPick) return [{ type: 'await-candidate-choice' }];
      return state.batch?.paused
        ? [{ type: 'await-batch-choice' }]
        : [{ type: 'implement', specVersion: state.specVersion, approvedCommands: state.approvedCommands }];
    case 'hard-stop-to-architect':
      return [{ type: 'await-confirmation', role: 'architect' }];
    case 'architect-review':
      return state.verdict ? [{ type: 'await-decision' }] : [{ type: 'review', reportVersion: state.reportVersion }];
    case 'approved':
      return [{ type: 'finished', outcome: 'approved' }];
    case 'failed':
      return [{ type: 'finished', outcome: 'failed' }];
    case 'cancelled':
      return [{ type: 'finished', outcome: 'cancelled' }];
  }
}

const moveTo = (state: RunState): TransitionResult => ({ ok: true, state, effects: entryEffects(state) });
const refuse = (state: RunState, event: RunEvent): TransitionResult => ({
  ok: false,
  reason: `"${event.type}" is not possible while the run is in phase "${state.phase}"`,
});

export function transition(state: RunState, event: RunEvent): TransitionResult {
  // Events that apply to every phase that is still running.
  if (event.type === 'cancel') {
    return isActive(state) ? moveTo({ phase: 'cancelled', cancelledIn: state.phase }) : refuse(state, event);
  }
  if (event.type === 'fail') {
    return isActive(state) ? moveTo({ phase: 'failed', error: event.error, resumeFrom: state }) : refuse(state, event);
  }
  if (event.type === 'pass-reverted') return revertTransition(state, event);
  return isActive(state) ? activeTransition(state, event) : endTransition(state, event);
}

/**
 * A Coder pass is reverted only while the run waits for the user after it (at a HARD STOP, or
 * with a verdict to decide on): never while a phase is reading or writing those files. The run
 * stays where it was and redoes nothing; the next review diffs the files as they are.
 */
/**
 * A HARD STOP or a review decision: the run does nothing until the user acts. Only then can a
 * Coder pass be reverted, as nothing is working on the files.
 */
export function waitsForUser(state: RunState): boolean {
  return isHardStop(state.phase) || (state.phase === 'architect-review' && state.verdict !== undefined);
}

function revertTransition(state: RunState, event: RunEvent): TransitionResult {
  return waitsForUser(state) ? { ok: true, state, effects: [] } : refuse(state, event);
}

function activeTransition(state: ActiveState, event: RunEvent): TransitionResult {
  switch (state.phase) {
    case 'architect-spec':
      return event.type === 'spec-written'
        ? moveTo({ phase: 'hard-stop-to-coder', specVersion: event.specVersion })
        : refuse(state, event);
    case 'hard-stop-to-coder':
      if (event.type === 'spec-revision-requested') return moveTo({ phase: 'architect-spec', reason: 'revision', feedback: event.feedback });
      return event.type === 'model-confirmed'
        ? moveTo({
            phase: 'coder-implement',
            specVersion: state.specVersion,
            approvedCommands: event.verificationCommands ?? [],
            confirmedModel: event.answeredBy,
          })
        : refuse(state, event);
    case 'coder-implement':
      return coderTransition(state, event);
    case 'hard-stop-to-architect':
      return event.type === 'model-confirmed'
        ? moveTo({ phase: 'architect-review', reportVersion: state.reportVersion, confirmedModel: event.answeredBy })
        : refuse(state, event);
    case 'architect-review':
      return reviewTransition(state, event);
  }
}

/**
 * Phase 3. A batch moves spec by spec inside one pass: a spec done is recorded (no new work: the
 * pass goes on with the next one), a failed one with more to come pauses the pass for the user's
 * choice, and the report ends it. A paused pass takes only the user's choice.
 */
function coderTransition(state: Extract<ActiveState, { phase: 'coder-implement' }>, event: RunEvent): TransitionResult {
  if (event.type === 'candidate-ended' || event.type === 'competition-judged' || event.type === 'candidate-applied' || state.competition) return competitionTransition(state, event);
  const batch = state.batch;
  if (batch?.paused) {
    if (event.type === 'batch-go-on') return moveTo({ ...state, batch: { done: batch.done } });
    if (event.type === 'batch-stop') return moveTo({ ...state, batch: { done: batch.done, stopped: true } });
    return { ok: false, reason: `"${event.type}" is not possible while the batch waits for you to go on with the rest or stop` };
  }
  switch (event.type) {
    case 'report-written':
      return moveTo({ phase: 'hard-stop-to-architect', reportVersion: event.reportVersion });
    case 'division-wave-done': {
      const division = state.division ?? { wave: 0, done: [] };
      if (event.wave !== division.wave) return { ok: false, reason: `wave ${event.wave + 1} of the division was reported merged, but the next one is wave ${division.wave + 1}` };
      return { ok: true, state: { ...state, division: { wave: division.wave + 1, done: [...division.done, ...event.outcomes] } }, effects: [] };
    }
    case 'batch-spec-done': {
      const done = batch?.done ?? [];
      if (batch?.stopped) return { ok: false, reason: 'the batch was stopped; no further spec is done' };
      if (event.outcome.index !== done.length) {
        return { ok: false, reason: `spec ${event.outcome.index + 1} of the batch was reported done, but the next one is spec ${done.length + 1}` };
      }
      const pause = !event.outcome.verification.passed && event.remaining > 0;
      const next = { ...state, batch: { done: [...done, event.outcome], ...(pause ? { paused: true } : {}) } };
      return pause ? moveTo(next) : { ok: true, state: next, effects: [] };
    }
    default:
      return refuse(state, event);
  }
}

/**
 * Competitive mode, inside the Coder's phase: candidates end one by one (no new work: the others
 * go on), the judging ends the work and waits for the user, whose pick is applied and then
 * reported. A waiting competition takes only the user's pick.
 */
function competitionTransition(state: Extract<ActiveState, { phase: 'coder-implement' }>, event: RunEvent): TransitionResult {
  const competition = state.competition ?? { ended: [] };
  if (competition.awaitingPick) {
    if (event.type !== 'candidate-applied') return { ok: false, reason: `"${event.type}" is not possible while the competition waits for you to apply a candidate` };
    const chosen = competition.ended.find((candidate) => candidate.label === event.label);
    if (chosen?.status !== 'done') return { ok: false, reason: `candidate "${event.label.slice(0, 8)}" has no changes to apply; apply one that finished` };
    return moveTo({ ...state, competition: { ...competition, awaitingPick: false, applied: chosen.label } });
  }
  if (competition.applied) {
    return event.type === 'report-written' ? moveTo({ phase: 'hard-stop-to-architect', reportVersion: event.reportVersion }) : refuse(state, event);
  }
  switch (event.type) {
    case 'candidate-ended': {
      const ended = [...competition.ended.filter((candidate) => candidate.label !== event.candidate.label), event.candidate].sort((a, b) => a.label.localeCompare(b.label));
      return { ok: true, state: { ...state, competition: { ...competition, ended } }, effects: [] };
    }
    case 'competition-judged': {
      if (event.judge && !competition.ended.some((candidate) => candidate.label === event.judge?.pick && candidate.status === 'done')) {
        return { ok: false, reason: `the judge picked "${event.judge.pick.slice(0, 8)}", which is not a finished candidate` };
      }
      const judge = event.judge ? { pick: event.judge.pick, reasons: event.judge.reasons, by: event.judge.by } : undefined;
      return moveTo({ ...state, competition: { ...competition, awaitingPick: true, ...(judge ? { judge } : {}), ...(event.note ? { note: event.note } : {}) } });
    }
    default:
      return { ok: false, reason: `"${event.type}" is not possible before the competition's candidates are judged and one is applied` };
  }
}

function reviewTransition(state: Extract<ActiveState, { phase: 'architect-review' }>, event: RunEvent): TransitionResult {
  if (event.type === 'verdict-ready' && !state.verdict) {
    return moveTo({ ...state, verdict: event.verdict });
  }
  if (event.type !== 'review-decided' || !state.verdict) return refuse(state, event);
  const feedback = [state.verdict.reasons, event.notes].filter((text) => text && text.trim()).join('\n\n');
  switch (event.outcome) {
    case 'approved':
      return moveTo({ phase: 'approved' });
    case 'revisions-needed':
      // The seed sends revisions straight back to the HARD STOP when the Architect already wrote
      // the new spec; when the user overrides the verdict, the Architect writes it first.
      return state.verdict.outcome === 'revisions-needed' && state.verdict.revisedSpecVersion !== undefined
        ? moveTo({ phase: 'hard-stop-to-coder', specVersion: state.verdict.revisedSpecVersion })
        : moveTo({ phase: 'architect-spec', reason: 'revision', ...(feedback ? { feedback } : {}) });
    case 'redesign':
      return moveTo({ phase: 'architect-spec', reason: 'redesign', ...(feedback ? { feedback } : {}) });
  }
}

function endTransition(state: RunState, event: RunEvent): TransitionResult {
  if (state.phase === 'failed' && event.type === 'retry') return moveTo(state.resumeFrom);
  return refuse(state, event);
}
