import assert from 'node:assert/strict';
import { RunViewSchema } from '../../../src/shared/messages.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import { buildRunView } from '../../../src/core/workflow/runView.js';

const architect = { provider: 'anthropic', modelId: 'claude-opus-4-6', displayName: 'Claude Opus 4.6 (Thinking)', thinking: 'high' as const, isDemo: false };
const coder = { provider: 'google', modelId: 'gemini-3.1-pro-preview', displayName: 'Gemini 3.1 Pro (High)', thinking: 'high' as const, isDemo: false };
const record = (state: RunRecord['state']): RunRecord => ({
  schemaVersion: 1,
  runId: 'r1',
  request: 'add slugify',
  createdAt: '2026-11-25T01:00:00.000Z',
  updatedAt: '2026-11-25T01:00:00.000Z',
  revision: 3,
  roles: { architect, coder },
  state,
  specs: [],
  reports: [],
  decisions: [],
  history: [{ at: '2026-11-25T01:00:00.000Z', from: '', event: 'start', to: 'architect-spec' }],
  usage: {},
  timings: [],
});
const idle = { busy: false, message: '', confirming: false };

describe('the run as the panel shows it', () => {
  it("shows the HARD STOP to the Coder in the seed's words, with the command to be run", () => {
    const view = buildRunView(record({ phase: 'hard-stop-to-coder', specVersion: 1 }), idle, [], true, 'npm test');
    assert.deepEqual(view.hardStop, {
      heading: '🛑 HARD STOP: Switch to Coder Model',
      next: 'Next: Coder — Gemini 3.1 Pro (High)',
      task: 'Task: Implement Code Spec',
      action: 'Action Required: Review the Code Spec, then press "Model Confirmed" to hand over to Gemini 3.1 Pro (High).',
      verificationCommand: 'npm test',
      confirming: false,
    });
    assert.equal(view.phaseNumber, 2);
    assert.ok(RunViewSchema.safeParse(view).success);
  });

  it('shows the HARD STOP back to the Architect', () => {
    const view = buildRunView(record({ phase: 'hard-stop-to-architect', reportVersion: 1 }), { ...idle, confirming: true }, [], true, undefined);
    assert.equal(view.hardStop?.heading, '🛑 HARD STOP: Switch to Architect Model');
    assert.equal(view.hardStop?.next, 'Next: Architect — Claude Opus 4.6 (Thinking)');
    assert.equal(view.hardStop?.task, 'Task: Review Code Report');
    assert.equal(view.hardStop?.confirming, true);
  });

  it('offers the review decision only once the verdict is in', () => {
    const before = buildRunView(record({ phase: 'architect-review', reportVersion: 1, confirmedModel: 'x' }), { ...idle, busy: true }, [], true, undefined);
    assert.equal(before.awaitingDecision, false);
    const withVerdict = buildRunView(
      record({ phase: 'architect-review', reportVersion: 1, confirmedModel: 'x', verdict: { outcome: 'approved', reasons: 'ok', blockerAnswers: [] } }),
      idle, [], true, undefined,
    );
    assert.equal(withVerdict.awaitingDecision, true);
    assert.equal(withVerdict.review?.recommended, 'approved');
  });

  it('says why nothing will run in an untrusted workspace, and who holds a run', () => {
    const untrusted = buildRunView(record({ phase: 'hard-stop-to-coder', specVersion: 1 }), idle, [], false, 'npm test');
    assert.match(untrusted.activity.message, /not trusted/);
    const held = buildRunView(record({ phase: 'hard-stop-to-coder', specVersion: 1 }), { ...idle, heldElsewhere: 'Another window is driving this run.' }, [], true, 'x');
    assert.equal(held.hardStop, undefined);
    assert.equal(held.activity.message, 'Another window is driving this run.');
    assert.equal(held.error, undefined, 'not an error: nothing to retry');
    assert.equal(held.awaitingDecision, false);
  });

  it('opens on the newest artifact, not on a revision the Architect only proposed', () => {
    const doc = (label: string, proposed?: boolean) => ({ kind: 'spec' as const, label, path: `${label}.md`, markdown: '# x', ...(proposed ? { proposed } : {}) });
    const view = buildRunView(record({ phase: 'approved' }), idle, [doc('Code Spec v1'), { ...doc('Code Report v1'), kind: 'report' }, doc('Code Spec v2', true)], true, undefined);
    assert.equal(view.activeDocument, 1);
    assert.deepEqual(view.documents.map((d) => d.label), ['Code Spec v1', 'Code Report v1', 'Code Spec v2 (proposed)']);
    assert.equal(buildRunView(record({ phase: 'approved' }), idle, [], true, undefined).activeDocument, -1);
  });

  it('shows tokens and cost so far, the Coder\'s HARD STOP priced as the Coder', async () => {
    const { builtInPrices } = await import('../../../src/core/models/prices.js');
    const tokens = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 });
    const withUsage = { ...record({ phase: 'approved' }), usage: { 'architect-spec': tokens(100_000, 10_000), 'hard-stop-to-coder': tokens(1_000_000, 0) } };
    const view = buildRunView(withUsage, idle, [], true, undefined, builtInPrices);
    // Opus: 0.1 M × $5 + 0.01 M × $25 = $0.75; Gemini 3.1 Pro: 1 M × $2 = $2.
    assert.equal(view.usage?.text, '1100.0k tokens in · 10.0k out · $2.75');
    assert.equal(view.usage?.byPhase.length, 2);
    assert.equal(buildRunView(record({ phase: 'approved' }), idle, [], true, undefined).usage, undefined);
  });

  it('labels a demo run and a failed one', () => {
    const demo = record({ phase: 'failed', error: 'boom', resumeFrom: { phase: 'architect-spec', reason: 'initial' } });
    demo.roles.architect = { ...architect, isDemo: true };
    const view = buildRunView(demo, idle, [], true, undefined);
    assert.equal(view.isDemo, true);
    assert.equal(view.error, 'boom');
    assert.equal(view.phaseNumber, 0);
  });
});
