import assert from 'node:assert/strict';
import type { BatchSpecOutcome, DivisionSpecOutcome, RunEvent, RunState } from '../../../src/core/workflow/runState.js';
import { entryEffects, transition } from '../../../src/core/workflow/transition.js';

const verdict = (outcome: 'approved' | 'revisions-needed' | 'redesign', revisedSpecVersion?: number) => ({
  outcome,
  reasons: 'because',
  blockerAnswers: [],
  ...(revisedSpecVersion ? { revisedSpecVersion } : {}),
});

function step(state: RunState, event: RunEvent): RunState {
  const result = transition(state, event);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.state;
}

describe('run state machine', () => {
  const start: RunState = { phase: 'architect-spec', reason: 'initial' };

  it('walks every phase of the seed to Approved', () => {
    let state = step(start, { type: 'spec-written', specVersion: 1 });
    assert.deepEqual(state, { phase: 'hard-stop-to-coder', specVersion: 1 });
    state = step(state, { type: 'model-confirmed', answeredBy: 'coder', verificationCommands: ['npm test'] });
    assert.equal(state.phase, 'coder-implement');
    assert.deepEqual(entryEffects(state), [{ type: 'implement', specVersion: 1, approvedCommands: ['npm test'] }]);
    state = step(state, { type: 'report-written', reportVersion: 1 });
    assert.deepEqual(state, { phase: 'hard-stop-to-architect', reportVersion: 1 });
    state = step(state, { type: 'model-confirmed', answeredBy: 'architect' });
    assert.equal(state.phase, 'architect-review');
    assert.deepEqual(entryEffects(state), [{ type: 'review', reportVersion: 1 }]);
    state = step(state, { type: 'verdict-ready', verdict: verdict('approved') });
    assert.deepEqual(entryEffects(state), [{ type: 'await-decision' }]);
    state = step(state, { type: 'review-decided', outcome: 'approved' });
    assert.deepEqual(state, { phase: 'approved' });
    assert.deepEqual(entryEffects(state), [{ type: 'finished', outcome: 'approved' }]);
  });

  const inReview = (v: ReturnType<typeof verdict>): RunState => ({ phase: 'architect-review', reportVersion: 1, confirmedModel: 'a', verdict: v });

  it('Revisions needed with a revised spec returns to the HARD STOP before the Coder (Phase 2)', () => {
    const state = step(inReview(verdict('revisions-needed', 2)), { type: 'review-decided', outcome: 'revisions-needed' });
    assert.deepEqual(state, { phase: 'hard-stop-to-coder', specVersion: 2 });
  });

  it('Revisions chosen against an Approved verdict sends the Architect to write the new spec', () => {
    const state = step(inReview(verdict('approved')), { type: 'review-decided', outcome: 'revisions-needed', notes: 'handle empty input' });
    assert.deepEqual(state, { phase: 'architect-spec', reason: 'revision', feedback: 'because\n\nhandle empty input' });
  });

  it('Fundamental redesign returns to Phase 1 with the reasons', () => {
    const state = step(inReview(verdict('redesign')), { type: 'review-decided', outcome: 'redesign', notes: 'use a parser' });
    assert.deepEqual(state, { phase: 'architect-spec', reason: 'redesign', feedback: 'because\n\nuse a parser' });
    assert.deepEqual(entryEffects(state), [{ type: 'write-spec', reason: 'redesign', feedback: 'because\n\nuse a parser' }]);
  });

  it('cancel and fail are reachable from every active phase; retry resumes the failed phase', () => {
    const actives: RunState[] = [
      start,
      { phase: 'hard-stop-to-coder', specVersion: 1 },
      { phase: 'coder-implement', specVersion: 1, approvedCommands: ['x'], confirmedModel: 'c' },
      { phase: 'hard-stop-to-architect', reportVersion: 1 },
      { phase: 'architect-review', reportVersion: 1, confirmedModel: 'a' },
    ];
    for (const state of actives) {
      assert.deepEqual(step(state, { type: 'cancel' }), { phase: 'cancelled', cancelledIn: state.phase });
      const failed = step(state, { type: 'fail', error: 'boom' });
      assert.deepEqual(failed, { phase: 'failed', error: 'boom', resumeFrom: state });
      assert.deepEqual(step(failed, { type: 'retry' }), state);
    }
  });

  it('refuses events that do not belong to the phase, with a reason', () => {
    const cases: [RunState, RunEvent][] = [
      [start, { type: 'model-confirmed', answeredBy: 'x' }],
      [{ phase: 'hard-stop-to-coder', specVersion: 1 }, { type: 'report-written', reportVersion: 1 }],
      [{ phase: 'architect-review', reportVersion: 1, confirmedModel: 'a' }, { type: 'review-decided', outcome: 'approved' }],
      [{ phase: 'approved' }, { type: 'cancel' }],
      [{ phase: 'cancelled', cancelledIn: 'architect-spec' }, { type: 'retry' }],
      [{ phase: 'approved' }, { type: 'spec-written', specVersion: 2 }],
    ];
    for (const [state, event] of cases) {
      const result = transition(state, event);
      assert.equal(result.ok, false, `${event.type} in ${state.phase}`);
      if (!result.ok) assert.match(result.reason, new RegExp(`"${event.type}".*"${state.phase}"`));
    }
  });

  it('a HARD STOP only waits: its entry effect is to await the human', () => {
    assert.deepEqual(entryEffects({ phase: 'hard-stop-to-coder', specVersion: 3 }), [{ type: 'await-confirmation', role: 'coder' }]);
    assert.deepEqual(entryEffects({ phase: 'hard-stop-to-architect', reportVersion: 3 }), [{ type: 'await-confirmation', role: 'architect' }]);
  });
});

describe('reverting a Coder pass in the state machine', () => {
  const reverted: RunEvent = { type: 'pass-reverted', specVersion: 1, files: ['src/index.js'] };
  const decided = { phase: 'architect-review', reportVersion: 1, confirmedModel: 'architect', verdict: verdict('approved') } as const;

  it('is allowed while the run waits for the user, which stays where it was and redoes nothing', () => {
    for (const state of [{ phase: 'hard-stop-to-architect', reportVersion: 1 }, { phase: 'hard-stop-to-coder', specVersion: 2 }, decided] as RunState[]) {
      const result = transition(state, reverted);
      assert.ok(result.ok, state.phase);
      assert.deepEqual(result.state, state);
      assert.deepEqual(result.effects, [], `${state.phase}: nothing is redone`);
    }
  });

  it('is refused while a phase reads or writes the files, and once the run has ended', () => {
    const refused: RunState[] = [
      { phase: 'architect-spec', reason: 'initial' },
      { phase: 'coder-implement', specVersion: 1, approvedCommands: ['npm test'], confirmedModel: 'coder' },
      { phase: 'architect-review', reportVersion: 1, confirmedModel: 'architect' },
      { phase: 'approved' },
      { phase: 'cancelled', cancelledIn: 'hard-stop-to-architect' },
    ];
    for (const state of refused) {
      const result = transition(state, reverted);
      assert.equal(result.ok, false, state.phase);
    }
  });
});

describe('a batch pass in the state machine', () => {
  const implementing: RunState = { phase: 'coder-implement', specVersion: 1, approvedCommands: ['node --test'], confirmedModel: 'coder' };
  const outcome = (index: number, passed: boolean): BatchSpecOutcome => ({
    index,
    file: `code_spec_0${index + 1}.md`,
    specId: `CS-${index + 1}`,
    title: `spec ${index + 1}`,
    command: 'node --test',
    verification: { passed, details: passed ? 'exit 0' : 'exit 1', exitCode: passed ? 0 : 1, output: passed ? 'ok' : 'not ok', build: passed ? 'CLEAN' : 'ERRORS' },
    check: { command: 'node --test', exitCode: passed ? 0 : 1, timedOut: false, durationMs: 5 },
    summary: 'did it',
    files: [],
    blockers: [],
    deviations: [],
  });
  const done = (state: RunState, index: number, passed: boolean, remaining: number) => transition(state, { type: 'batch-spec-done', outcome: outcome(index, passed), remaining });

  it('records a spec done and starts no new work: the pass goes on with the next spec', () => {
    const result = done(implementing, 0, true, 2);
    assert.ok(result.ok);
    assert.deepEqual(result.effects, []);
    assert.ok(result.state.phase === 'coder-implement');
    assert.deepEqual(result.state.batch, { done: [outcome(0, true)] });
    assert.deepEqual(entryEffects(result.state), [{ type: 'implement', specVersion: 1, approvedCommands: ['node --test'] }], 'a reload resumes the pass');
  });

  it('pauses on a spec that failed its verification while more follow, and only then', () => {
    const paused = done(step(implementing, { type: 'batch-spec-done', outcome: outcome(0, true), remaining: 2 }), 1, false, 1);
    assert.ok(paused.ok);
    assert.ok(paused.state.phase === 'coder-implement' && paused.state.batch?.paused === true);
    assert.deepEqual(paused.effects, [{ type: 'await-batch-choice' }]);
    assert.deepEqual(entryEffects(paused.state), [{ type: 'await-batch-choice' }], 'a reload waits for the choice again');
    const lastFailed = done(implementing, 0, false, 0);
    assert.ok(lastFailed.ok && lastFailed.state.phase === 'coder-implement' && !lastFailed.state.batch?.paused, 'nothing left to go on with');
  });

  it('goes on with the rest, or stops so the pass writes the report of what was done', () => {
    const paused = step(implementing, { type: 'batch-spec-done', outcome: outcome(0, false), remaining: 2 });
    const goOn = transition(paused, { type: 'batch-go-on' });
    assert.ok(goOn.ok);
    assert.deepEqual(goOn.state, { ...implementing, batch: { done: [outcome(0, false)] } });
    assert.deepEqual(goOn.effects, [{ type: 'implement', specVersion: 1, approvedCommands: ['node --test'] }]);
    const stop = transition(paused, { type: 'batch-stop' });
    assert.ok(stop.ok);
    assert.deepEqual(stop.state, { ...implementing, batch: { done: [outcome(0, false)], stopped: true } });
    assert.deepEqual(stop.effects, [{ type: 'implement', specVersion: 1, approvedCommands: ['node --test'] }]);
    assert.equal(step(stop.state, { type: 'report-written', reportVersion: 1 }).phase, 'hard-stop-to-architect');
    assert.ok(transition(paused, { type: 'cancel' }).ok, 'a paused batch can still be cancelled');
  });

  it('refuses what does not fit: a choice when nothing is paused, a report or spec while paused, a spec out of order', () => {
    const paused = step(implementing, { type: 'batch-spec-done', outcome: outcome(0, false), remaining: 1 });
    for (const event of [{ type: 'batch-go-on' }, { type: 'batch-stop' }] as RunEvent[]) {
      assert.equal(transition(implementing, event).ok, false, event.type);
      assert.equal(transition({ phase: 'hard-stop-to-architect', reportVersion: 1 }, event).ok, false, event.type);
    }
    const report = transition(paused, { type: 'report-written', reportVersion: 1 });
    assert.ok(!report.ok && /go on with the rest or stop/.test(report.reason));
    assert.equal(done(paused, 1, true, 0).ok, false);
    const skipped = done(implementing, 1, true, 1);
    assert.ok(!skipped.ok && /next one is spec 1/.test(skipped.reason));
    const stopped = step(paused, { type: 'batch-stop' });
    assert.equal(done(stopped, 1, true, 0).ok, false, 'a stopped batch implements nothing more');
  });

  it('keeps the progress through a failure, so Retry resumes at the right spec', () => {
    const midway = step(implementing, { type: 'batch-spec-done', outcome: outcome(0, true), remaining: 2 });
    const failed = step(midway, { type: 'fail', error: 'network' });
    assert.deepEqual(step(failed, { type: 'retry' }), midway);
  });
});

describe('a competition in the state machine', () => {
  const implementing: RunState = { phase: 'coder-implement', specVersion: 1, approvedCommands: ['node --test'], confirmedModel: 'x' };
  const passed = (label: string) => ({ label, status: 'done' as const, facts: { verificationPassed: true, verificationDetails: 'ok', refusals: 0, filesChanged: 1, linesAdded: 1, linesRemoved: 0, openQuestions: 0, tokens: 1 }, files: [] });
  const failed = (label: string) => ({ label, status: 'failed' as const, error: 'boom', files: [] });

  it('records each candidate that ends without new work, waits for the pick once judged, and reports after the apply', () => {
    const first = transition(implementing, { type: 'candidate-ended', candidate: passed('B') });
    assert.ok(first.ok);
    assert.deepEqual(first.effects, [], 'the other candidates go on');
    let state = step(first.state, { type: 'candidate-ended', candidate: failed('A') });
    assert.ok(state.phase === 'coder-implement');
    assert.deepEqual(state.competition?.ended.map((candidate) => candidate.label), ['A', 'B']);
    const judged = transition(state, { type: 'competition-judged', judge: { pick: 'B', reasons: 'only one', by: 'facts' } });
    assert.ok(judged.ok);
    assert.deepEqual(judged.effects, [{ type: 'await-candidate-choice' }]);
    assert.deepEqual(entryEffects(judged.state), [{ type: 'await-candidate-choice' }], 'a reload waits for the pick again');
    state = judged.state;
    const applied = transition(state, { type: 'candidate-applied', label: 'B' });
    assert.ok(applied.ok);
    assert.ok(applied.state.phase === 'coder-implement' && applied.state.competition?.applied === 'B' && !applied.state.competition.awaitingPick);
    assert.deepEqual(applied.effects, [{ type: 'implement', specVersion: 1, approvedCommands: ['node --test'] }], 'the pass writes the report of the applied candidate');
    assert.deepEqual(step(applied.state, { type: 'report-written', reportVersion: 1 }), { phase: 'hard-stop-to-architect', reportVersion: 1 });
  });

  it('refuses what does not fit: a failed or unknown candidate applied, a pick of one that did not finish, anything but the pick while waiting, a report before the apply', () => {
    const state = step(step(step(implementing, { type: 'candidate-ended', candidate: passed('B') }), { type: 'candidate-ended', candidate: failed('A') }), { type: 'competition-judged', note: 'none' });
    for (const label of ['A', 'C']) {
      const result = transition(state, { type: 'candidate-applied', label });
      assert.ok(!result.ok);
      assert.match(result.reason, new RegExp(`candidate "${label}" has no changes to apply`));
    }
    const waiting = transition(state, { type: 'candidate-ended', candidate: passed('C') });
    assert.ok(!waiting.ok && /waits for you to apply a candidate/.test(waiting.reason));
    const badPick = transition(implementing, { type: 'competition-judged', judge: { pick: 'A', reasons: '', by: 'architect' } });
    assert.ok(!badPick.ok && /not a finished candidate/.test(badPick.reason));
    const early = transition(step(implementing, { type: 'candidate-ended', candidate: passed('A') }), { type: 'report-written', reportVersion: 1 });
    assert.ok(!early.ok);
    assert.ok(transition(state, { type: 'cancel' }).ok, 'cancel still ends it');
  });
});

describe('a division pass in the state machine', () => {
  const implementing: RunState = { phase: 'coder-implement', specVersion: 1, approvedCommands: ['node --test'], confirmedModel: 'coder' };
  const outcome = (index: number, wave: number): DivisionSpecOutcome => ({
    index,
    file: `code_spec_0${index + 1}.md`,
    specId: `CS-${index + 1}`,
    title: 'a spec',
    summary: 'did it',
    files: [],
    blockers: [],
    deviations: [],
    coder: 'Alpha',
    wave,
    refusals: [],
  });

  it('records a merged wave and starts no new work; a reload resumes the pass at the next wave', () => {
    const result = transition(implementing, { type: 'division-wave-done', wave: 0, outcomes: [outcome(0, 0), outcome(1, 0)] });
    assert.ok(result.ok);
    assert.deepEqual(result.effects, []);
    assert.ok(result.state.phase === 'coder-implement');
    assert.deepEqual(result.state.division, { wave: 1, done: [outcome(0, 0), outcome(1, 0)] });
    assert.deepEqual(entryEffects(result.state), [{ type: 'implement', specVersion: 1, approvedCommands: ['node --test'] }]);
  });

  it('refuses a wave out of order, and keeps the progress through a failure for Retry', () => {
    const skipped = transition(implementing, { type: 'division-wave-done', wave: 1, outcomes: [] });
    assert.ok(!skipped.ok);
    assert.match(skipped.reason, /wave 2 of the division was reported merged, but the next one is wave 1/);
    const midway = step(implementing, { type: 'division-wave-done', wave: 0, outcomes: [outcome(0, 0)] });
    const again = transition(midway, { type: 'division-wave-done', wave: 0, outcomes: [outcome(0, 0)] });
    assert.ok(!again.ok, 'a wave is merged once');
    const failed = step(midway, { type: 'fail', error: 'conflict' });
    assert.deepEqual(step(failed, { type: 'retry' }), midway);
  });
});
