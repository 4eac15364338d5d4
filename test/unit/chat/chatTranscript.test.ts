import assert from 'node:assert/strict';
import { closingFence, isStop, metadataOf, phaseParts, stopParts, waitingParts, type ChatPart } from '../../../src/core/chat/chatTranscript.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import { buildRunView } from '../../../src/core/workflow/runView.js';
import type { RunView } from '../../../src/core/workflow/runViewSchema.js';
import { runRecordIn } from '../../support/runRecords.js';

const record = (state: RunRecord['state']): RunRecord => runRecordIn(state);
const idle = { busy: false, message: '', confirming: false };
const digest = 'b'.repeat(64);
const view = (state: RunRecord['state'], command?: string): RunView => buildRunView(record(state), idle, [], true, command);
const withDigest = (run: RunView): RunView => (run.hardStop ? { ...run, hardStop: { ...run.hardStop, specDigest: digest } } : run);
const text = (parts: ChatPart[]) => parts.flatMap((part) => (part.kind === 'markdown' ? [part.text] : [])).join('');
const buttons = (parts: ChatPart[]) => parts.flatMap((part) => (part.kind === 'button' ? [{ title: part.title, command: part.command, arguments: part.arguments }] : []));

describe('what the chat says at each phase of a run', () => {
  it('names the phase a run enters, and leaves the HARD STOPs and the ends to say themselves', () => {
    assert.match(text(phaseParts('architect-spec')), /\*\*Phase 1 — Architect: Analyze & Spec\*\*/);
    assert.match(text(phaseParts('coder-implement')), /\*\*Phase 3 — Coder: Implement\*\*/);
    assert.match(text(phaseParts('architect-review')), /\*\*Phase 5 — Architect: Review\*\*/);
    for (const phase of ['hard-stop-to-coder', 'hard-stop-to-architect', 'approved', 'failed', 'cancelled'] as const) assert.deepEqual(phaseParts(phase), []);
  });

  it('stops the answer where the run waits for the user or is over, and nowhere else', () => {
    assert.equal(isStop(view({ phase: 'architect-spec', reason: 'initial' })), false);
    assert.equal(isStop(view({ phase: 'coder-implement', specVersion: 1, approvedCommands: [], confirmedModel: 'x' })), false);
    assert.equal(isStop(view({ phase: 'architect-review', reportVersion: 1, confirmedModel: 'x' })), false, 'no verdict yet');
    assert.equal(isStop(view({ phase: 'hard-stop-to-coder', specVersion: 1 })), true);
    assert.equal(isStop(view({ phase: 'hard-stop-to-architect', reportVersion: 1 })), true);
    assert.equal(isStop(view({ phase: 'architect-review', reportVersion: 1, confirmedModel: 'x', verdict: { outcome: 'approved', reasons: '', blockerAnswers: [] } })), true);
    assert.equal(isStop(view({ phase: 'approved' })), true);
    assert.equal(isStop(view({ phase: 'cancelled', cancelledIn: 'coder-implement' })), true);
  });

  it("says the HARD STOP to the Coder in the seed's words, with the command to be run, and a Model Confirmed button bound to the spec set shown", () => {
    const stop = withDigest(view({ phase: 'hard-stop-to-coder', specVersion: 1 }, 'npm test -- --grep "``slug``"'));
    const parts = stopParts(stop);
    const said = text(parts);
    assert.match(said, /### 🛑 HARD STOP: Switch to Coder Model\n\nNext: Coder — Gemini 3.1 Pro \(High\)\nTask: Implement Code Spec/);
    assert.match(said, /\n```\nnpm test -- --grep "``slug``"\n```\n/, 'the command is shown whole, in a fence longer than its backticks');
    assert.match(said, /Action Required: Review the Code Spec \(in the Dual-Model panel\), then reply with "Model Confirmed"\./);
    assert.deepEqual(buttons(parts), [
      { title: 'Model Confirmed', command: 'dualModel.confirmModel', arguments: ['r1', digest] },
      { title: 'Show the run', command: 'dualModel.openRun', arguments: ['r1'] },
    ]);
    assert.deepEqual(metadataOf(stop), { runId: 'r1', specDigest: digest });
  });

  it('says the HARD STOP back to the Architect', () => {
    const parts = stopParts(view({ phase: 'hard-stop-to-architect', reportVersion: 1 }));
    assert.match(text(parts), /### 🛑 HARD STOP: Switch to Architect Model\n\nNext: Architect — Claude Opus 4\.6 \(Thinking\)\nTask: Review Code Report/);
    assert.match(text(parts), /Review the Code Report/);
    assert.deepEqual(buttons(parts)[0], { title: 'Model Confirmed', command: 'dualModel.confirmModel', arguments: ['r1'] });
  });

  it("shows the review's recommendation, the blockers' answers and the three outcomes as buttons on this run", () => {
    const review = view({
      phase: 'architect-review',
      reportVersion: 1,
      confirmedModel: 'x',
      verdict: { outcome: 'revisions-needed', reasons: 'Handle accents.', blockerAnswers: [{ question: 'Keep   unicode?', answer: 'Strip\nit.' }] },
    });
    const parts = stopParts(review);
    assert.match(text(parts), /Recommendation: \*\*🔄 Revisions needed\*\*/);
    assert.match(text(parts), /Handle accents\./);
    assert.match(text(parts), /- \*\*Keep unicode\?\*\* — Strip it\./);
    assert.deepEqual(buttons(parts), [
      { title: '✅ Approved', command: 'dualModel.approve', arguments: ['r1'] },
      { title: '🔄 Revisions needed', command: 'dualModel.requestRevisions', arguments: ['r1'] },
      { title: '❌ Fundamental redesign', command: 'dualModel.redesign', arguments: ['r1'] },
    ]);
  });

  it('ends with the outcome: approved, failed with Retry, cancelled', () => {
    assert.match(text(stopParts(view({ phase: 'approved' }))), /✅ \*\*Approved\*\* — task complete/);
    const failed = stopParts(view({ phase: 'failed', error: 'The model did not answer.', resumeFrom: { phase: 'architect-spec', reason: 'initial' } }));
    assert.match(text(failed), /The model did not answer\./);
    assert.deepEqual(buttons(failed)[0], { title: 'Retry the failed phase', command: 'dualModel.retryPhase', arguments: ['r1'] });
    assert.match(text(stopParts(view({ phase: 'cancelled', cancelledIn: 'coder-implement' }))), /Cancelled in Phase 3 — Coder: Implement/);
  });

  it('answers anything but the passphrase at a HARD STOP with what the user can do, saying nothing was sent', () => {
    const parts = waitingParts(withDigest(view({ phase: 'hard-stop-to-coder', specVersion: 1 }, 'npm test')));
    assert.match(text(parts), /waits at \*\*🛑 HARD STOP: Switch to Coder Model\*\*\. Reply "Model Confirmed" \(exactly\)/);
    assert.match(text(parts), /Your message was not sent to any model/);
    assert.equal(buttons(parts)[0]?.title, 'Model Confirmed');
  });

  it('closes a code fence the streamed model text left open, before saying anything of its own', () => {
    assert.equal(closingFence('text\n```ts\nconst a = 1;\n```\nmore'), '');
    assert.equal(closingFence('text\n```ts\nconst a = 1;\n'), '\n```\n');
    assert.equal(closingFence('~~~~\n```\nstill inside\n'), '\n~~~~\n');
    assert.equal(closingFence('````md\n```\n```\n'), '\n````\n', 'a shorter fence inside does not close it');
  });
});
