// The side-panel review's choices, on plain Node: what it shows of the report, which buttons it
// offers and when, read from the same RunView the run panel paints.
import assert from 'node:assert/strict';
import type { ReportView, RunView } from '../../../src/core/workflow/runViewSchema';
import { RunViewSchema } from '../../../src/core/workflow/runViewSchema';
import { toReviewPaneModel } from '../../../webview-ui/src/review/reviewModel';
import { architectReviewRun, hardStopToCoderRun } from './runViewFixtures';

const report: ReportView = {
  version: 1,
  specVersion: 1,
  path: 'versions/v1/code_report.md',
  summary: 'Added `retry-after` handling.',
  files: [
    { path: 'src/http/client.ts', action: 'Modified', added: 40, removed: 3 },
    { path: 'src/http/budget.ts', action: 'Created', added: 25, removed: 0 },
    { path: 'src/http/old.ts', action: 'Deleted', added: 0, removed: 12 },
  ],
  testResult: { status: 'PASS', details: '2 passed' },
  buildResult: { status: 'CLEAN', details: 'exit code 0' },
  testOutput: 'ok 1\nok 2\n',
  checks: [{ command: 'npm test -- --grep retry', outcome: 'exit code 0 · 3.1 s', sandboxed: true, sandbox: 'ran sandboxed' }],
  blockers: [{ question: 'HTTP-date too?', answer: 'Both.' }, { question: 'Keep the old API?' }],
  deviations: [],
  revertable: true,
  reverted: false,
};

const reviewing: RunView = { ...architectReviewRun, report };

describe('the side-panel review', () => {
  it('the fixtures it reads are views the webview accepts', () => {
    assert.equal(RunViewSchema.safeParse(reviewing).success, true);
  });

  it('shows the report’s files with their change, a diff for each and Open for those that still exist', () => {
    const model = toReviewPaneModel(reviewing);
    assert.equal(model.report?.filesLabel, '3 files changed · +65 −15');
    assert.deepEqual(model.report?.files.map((file) => [file.path, file.change, file.canOpen]), [
      ['src/http/client.ts', 'Modified · +40 −3', true],
      ['src/http/budget.ts', 'Created · +25 −0', true],
      ['src/http/old.ts', 'Deleted · +0 −12', false],
    ]);
  });

  it('gives the verification’s facts and each blocker with its answer, or says it is not answered yet', () => {
    const model = toReviewPaneModel(reviewing);
    assert.equal(model.report?.tests, 'PASS — 2 passed');
    assert.deepEqual(model.report?.checks, report.checks);
    assert.deepEqual(model.report?.blockers, report.blockers);
  });

  it('offers the three decisions while the run waits for them, and Revert while the pass can be reverted', () => {
    const model = toReviewPaneModel(reviewing);
    assert.deepEqual(model.review?.decisions?.map((decision) => decision.outcome), ['approved', 'revisions-needed', 'redesign']);
    assert.equal(model.report?.revert, 'offer');
    assert.equal(toReviewPaneModel({ ...reviewing, report: { ...report, revertable: false } }).report?.revert, 'none');
    const reverted = toReviewPaneModel({ ...reviewing, report: { ...report, reverted: true } });
    assert.equal(reverted.report?.revert, 'reverted');
    assert.equal(reverted.report?.files.some((file) => file.canOpen), false, 'after a revert the diff is what is left to see');
  });

  it('names the host and masked key of every call, and says so for calls that did not record it', () => {
    const withRoute: RunView = {
      ...reviewing,
      usage: { ...reviewing.usage!, calls: reviewing.usage!.calls!.map((call, index) => (index === 0 ? { ...call, route: 'api.anthropic.com · key ••••3f9a' } : call)) },
    };
    const calls = toReviewPaneModel(withRoute).calls;
    assert.equal(calls[0]?.route, 'api.anthropic.com · key ••••3f9a');
    assert.equal(calls[1]?.route, 'not recorded');
  });

  it('before any report says when one comes, and at the HARD STOP before the Coder offers no confirm of its own', () => {
    const model = toReviewPaneModel(hardStopToCoderRun);
    assert.equal(model.report, undefined);
    assert.match(model.noReport ?? '', /appears here when the Coder finishes/);
    assert.equal(model.confirm, undefined, 'the spec is confirmed where it is read: the run panel');
  });

  it('at the HARD STOP back to the Architect offers the confirm that starts the review', () => {
    const run: RunView = {
      ...reviewing,
      phase: 'hard-stop-to-architect',
      phaseNumber: 4,
      awaitingDecision: false,
      review: undefined,
      hardStop: { heading: '🛑 HARD STOP: Switch to Architect Model', next: 'Next: Architect — Claude Opus 4.6 (Thinking)', task: 'Task: Review Code Report', action: 'Action Required', confirming: false },
    };
    const model = toReviewPaneModel(run);
    assert.equal(model.confirm?.label, 'Model Confirmed → Architect reviews');
    assert.equal(model.review, undefined);
    assert.equal(toReviewPaneModel({ ...run, hardStop: { ...run.hardStop!, confirming: true } }).confirm?.confirming, true);
  });
});
