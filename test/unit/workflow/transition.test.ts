import assert from 'node:assert/strict';
import type { RunEvent, RunState } from '../../../src/core/workflow/runState.js';
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
