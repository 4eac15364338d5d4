import assert from 'node:assert/strict';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { priceTable } from '../../../src/core/models/registry.js';
import { RunViewSchema } from '../../../src/core/workflow/runViewSchema.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import { buildRunView } from '../../../src/core/workflow/runView.js';
import { runRecordIn, seedRoles } from '../../support/runRecords.js';

const { architect } = seedRoles;
const record = (state: RunRecord['state']): RunRecord => runRecordIn(state, { history: [{ at: '2026-11-25T01:00:00.000Z', from: '', event: 'start', to: 'architect-spec' }] });
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
      discussion: [],
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

  it('a run found on disk offers Resume and nothing else: no HARD STOP button, no decision', () => {
    const why = 'This run was not started on this machine.';
    const view = buildRunView(record({ phase: 'hard-stop-to-coder', specVersion: 1 }), { ...idle, dormant: why }, [], true, 'npm test');
    assert.equal(view.hardStop, undefined);
    assert.equal(view.resumable, true);
    assert.equal(view.activity.message, why);
    assert.equal(view.awaitingDecision, false);
    assert.equal(buildRunView(record({ phase: 'hard-stop-to-coder', specVersion: 1 }), idle, [], true, 'npm test').resumable, undefined);
  });

  it("names the host next to the model when requests do not go to the provider's own endpoint", () => {
    const base = record({ phase: 'architect-spec', reason: 'initial' });
    const view = buildRunView({ ...base, roles: { ...base.roles, coder: { ...base.roles.coder, endpoint: 'gw.corp.example' } } }, idle, [], true, undefined);
    assert.equal(view.roles.coder.endpoint, 'gw.corp.example');
    assert.equal(view.roles.architect.endpoint, undefined);
  });

  it('opens on the newest artifact, not on a revision the Architect only proposed', () => {
    const doc = (label: string, proposed?: boolean) => ({ kind: 'spec' as const, label, path: `${label}.md`, markdown: '# x', ...(proposed ? { proposed } : {}) });
    const view = buildRunView(record({ phase: 'approved' }), idle, [doc('Code Spec v1'), { ...doc('Code Report v1'), kind: 'report' }, doc('Code Spec v2', true)], true, undefined);
    assert.equal(view.activeDocument, 1);
    assert.deepEqual(view.documents.map((d) => d.label), ['Code Spec v1', 'Code Report v1', 'Code Spec v2 (proposed)']);
    assert.equal(buildRunView(record({ phase: 'approved' }), idle, [], true, undefined).activeDocument, -1);
  });

  it('shows tokens and cost so far, the Coder\'s HARD STOP priced as the Coder', async () => {
    const builtInPrices = priceTable(builtInRegistry);
    const tokens = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 });
    const withUsage = { ...record({ phase: 'approved' }), usage: { 'architect-spec': tokens(100_000, 10_000), 'hard-stop-to-coder': tokens(1_000_000, 0) } };
    const view = buildRunView(withUsage, idle, [], true, undefined, builtInPrices);
    // Opus: 0.1 M × $5 + 0.01 M × $25 = $0.75; Gemini 3.1 Pro: 1 M × $2 = $2.
    assert.equal(view.usage?.text, '1100.0k tokens in · 10.0k out · $2.75');
    assert.equal(view.usage?.byPhase.length, 2);
    assert.equal(buildRunView(record({ phase: 'approved' }), idle, [], true, undefined).usage, undefined);
  });

  describe('per call', () => {
    const tokens = (inputTokens: number, outputTokens: number, extra: Partial<RunRecord['usage'][string]> = {}) => ({
      inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0, ...extra,
    });
    const call = (phase: string, modelId: string, usage: RunRecord['usage'][string], extra: Partial<RunRecord['calls'][number]> = {}): RunRecord['calls'][number] => ({
      at: '2026-11-25T01:00:00.000Z', phase, purpose: 'spec', provider: 'anthropic', modelId, displayName: modelId, usage, durationMs: 1234, outcome: 'ok', ...extra,
    });
    /** run.json keeps per-phase totals beside the calls; the engine adds each call to both. */
    const withCalls = (calls: RunRecord['calls']): RunRecord => {
      const usage: RunRecord['usage'] = {};
      for (const entry of calls) {
        const before = usage[entry.phase] ?? tokens(0, 0);
        usage[entry.phase] = {
          inputTokens: before.inputTokens + entry.usage.inputTokens,
          outputTokens: before.outputTokens + entry.usage.outputTokens,
          cacheReadTokens: before.cacheReadTokens + entry.usage.cacheReadTokens,
          cacheWriteTokens: before.cacheWriteTokens + entry.usage.cacheWriteTokens,
          thinkingTokens: before.thinkingTokens + entry.usage.thinkingTokens,
        };
      }
      return { ...record({ phase: 'approved' }), usage, calls };
    };

    it('lists every call with its model, tokens, cost at the time and duration', async () => {
      const builtInPrices = priceTable(builtInRegistry);
      const view = buildRunView(
        withCalls([
          // Priced at $1.50 when made; today's table would say $0.75, but the figure of the time stands.
          call('architect-spec', 'claude-opus-4-6', tokens(100_000, 10_000, { cacheReadTokens: 2_000, thinkingTokens: 4_000 }), { costUsd: 1.5 }),
          call('hard-stop-to-coder', 'gemini-3.1-pro-preview', tokens(20, 5), { purpose: 'identity', provider: 'google', displayName: 'Gemini 3.1 Pro (High)' }),
          call('coder-implement', 'gemini-3.1-pro-preview', tokens(500_000, 1_000, { thinkingTokens: 9_000 }), { purpose: 'implement', provider: 'google', durationMs: 61_000 }),
          call('coder-implement', 'gemini-3.1-pro-preview', tokens(0, 0), { purpose: 'implement', provider: 'google', outcome: 'overloaded', error: 'still overloaded after 3 retries' }),
        ]),
        idle, [], true, undefined, builtInPrices,
      );
      assert.ok(RunViewSchema.safeParse(view).success);
      const calls = view.usage?.calls ?? [];
      assert.deepEqual(calls.map((c) => c.phase), ['architect-spec', 'hard-stop-to-coder (identity check)', 'coder-implement', 'coder-implement']);
      assert.deepEqual(calls[0], {
        at: '2026-11-25T01:00:00.000Z',
        phase: 'architect-spec',
        model: 'claude-opus-4-6',
        modelDetail: 'anthropic · claude-opus-4-6',
        tokensIn: '102.0k',
        tokensOut: '10.0k',
        tokensDetail: '2.0k cache read · 4.0k thinking',
        cost: '$1.50',
        costNote: 'priced when the call was made',
        duration: '1.2 s',
      });
      assert.equal(calls[1]?.model, 'Gemini 3.1 Pro (High)');
      assert.equal(calls[1]?.cost, '<$0.01');
      // Gemini bills thinking as output: 0.5 M × $2 + 10k × $12 = $1.12, from today's table.
      assert.deepEqual([calls[2]?.tokensOut, calls[2]?.cost, calls[2]?.duration], ['10.0k', '$1.12', '61.0 s']);
      assert.match(calls[2]?.costNote ?? '', /today's table/);
      assert.equal(calls[2]?.tokensDetail, '9.0k thinking');
      assert.equal(calls[2]?.error, undefined);
      assert.equal(calls[3]?.error, 'overloaded: still overloaded after 3 retries');
      // The run's total adds the calls as shown: $1.50 + <$0.01 + $1.12 + $0.
      assert.match(view.usage?.text ?? '', /· \$2\.62$/);
      assert.deepEqual(view.usage?.byPhase.map((line) => line.split(':')[0]), ['architect-spec', 'hard-stop-to-coder', 'coder-implement']);
    });

    it('prices a call that had no price from the user\'s override, and says when there is none', async () => {
      const builtInPrices = priceTable(builtInRegistry);
      const run = withCalls([call('coder-implement', 'qwen3-coder', tokens(2_000_000, 1_000_000), { purpose: 'implement', provider: 'openai-compatible' })]);
      const unpriced = buildRunView(run, idle, [], true, undefined, builtInPrices);
      assert.equal(unpriced.usage?.calls?.[0]?.cost, 'no price');
      assert.match(unpriced.usage?.calls?.[0]?.costNote ?? '', /no price for qwen3-coder/);
      assert.match(unpriced.usage?.text ?? '', /cost unknown/);
      const overridden = buildRunView(run, idle, [], true, undefined, { ...builtInPrices, 'qwen3-coder': { input: 0.5, output: 2, cacheRead: 0, cacheWrite: 0 } });
      assert.equal(overridden.usage?.calls?.[0]?.cost, '$3.00');
      assert.match(overridden.usage?.text ?? '', /· \$3\.00$/);
    });

    it('prices a call made by the fallback model as the fallback, not as the role\'s model', async () => {
      const builtInPrices = priceTable(builtInRegistry);
      const run = withCalls([call('architect-spec', 'claude-sonnet-4-6', tokens(1_000_000, 0))]);
      // Sonnet: 1 M × $3 (Opus, the role's model, would be $5).
      assert.match(buildRunView(run, idle, [], true, undefined, builtInPrices).usage?.text ?? '', /· \$3\.00$/);
    });

    it('still prices usage spent before calls were recorded, per phase as its role', async () => {
      const builtInPrices = priceTable(builtInRegistry);
      const older = { ...record({ phase: 'approved' }), usage: { 'architect-spec': tokens(1_000_000, 0) } };
      const view = buildRunView(older, idle, [], true, undefined, builtInPrices);
      assert.equal(view.usage?.calls, undefined);
      assert.match(view.usage?.text ?? '', /· \$5\.00$/);
      // A run upgraded mid-way: the Architect's phase from before, the Coder's calls after.
      const mixed = withCalls([call('coder-implement', 'gemini-3.1-pro-preview', tokens(1_000_000, 0), { provider: 'google', costUsd: 2 })]);
      mixed.usage['architect-spec'] = tokens(1_000_000, 0);
      const both = buildRunView(mixed, idle, [], true, undefined, builtInPrices);
      assert.equal(both.usage?.calls?.length, 1);
      assert.match(both.usage?.text ?? '', /^2000\.0k tokens in · 0 out · \$7\.00$/);
    });
  });

  it('labels a demo run and a failed one', () => {
    const demo = record({ phase: 'failed', error: 'boom', resumeFrom: { phase: 'architect-spec', reason: 'initial' } });
    demo.roles.architect = { ...architect, isDemo: true };
    const view = buildRunView(demo, idle, [], true, undefined);
    assert.equal(view.isDemo, true);
    assert.equal(view.error, 'boom');
    assert.equal(view.phaseNumber, 0);
    assert.equal(view.phaseLabel, 'Failed in Phase 1 — Architect: Analyze & Spec');
    assert.equal(view.stoppedInPhase, 1);
  });

  it('says in which phase a run was cancelled, in the seed\'s words', () => {
    const view = buildRunView(record({ phase: 'cancelled', cancelledIn: 'hard-stop-to-coder' }), idle, [], true, undefined);
    assert.equal(view.phaseLabel, 'Cancelled in Phase 2 — HARD STOP: Switch to Coder');
    assert.equal(view.stoppedInPhase, 2);
  });
});

describe('the HARD STOP flags a spec that opens protected files to the Coder', () => {
  it('carries the protected paths the pending spec names, only at the HARD STOP to the Coder', () => {
    const paths = ['.vscode/settings.json', '.git/hooks/pre-commit'];
    const view = buildRunView(record({ phase: 'hard-stop-to-coder', specVersion: 1 }), idle, [], true, 'npm test', {}, paths);
    assert.deepEqual(view.hardStop?.protectedPaths, paths);
    assert.ok(RunViewSchema.safeParse(view).success);
    assert.equal(buildRunView(record({ phase: 'hard-stop-to-coder', specVersion: 1 }), idle, [], true, 'npm test', {}, []).hardStop?.protectedPaths, undefined);
    assert.equal(buildRunView(record({ phase: 'hard-stop-to-architect', reportVersion: 1 }), idle, [], true, undefined, {}, paths).hardStop?.protectedPaths, undefined);
  });

  it('names a run of several Coders by its mode and its Coders, counted, and says whether they are all demo replays', () => {
    const coder = seedRoles.coder;
    const demo = { ...coder, provider: 'demo', modelId: 'demo-coder', displayName: 'Demo Coder', isDemo: true };
    const competing = buildRunView({ ...record({ phase: 'architect-spec', reason: 'initial' }), mode: { mode: 'competitive', coders: [demo, coder, demo] } }, idle, [], true, undefined);
    assert.deepEqual(competing.mode, { name: 'competitive', label: 'Competitive (best-of-N)', coders: `Demo Coder ×2, ${coder.displayName}`, isDemo: false });
    assert.ok(RunViewSchema.safeParse(competing).success);
    const dividing = buildRunView({ ...record({ phase: 'architect-spec', reason: 'initial' }), mode: { mode: 'division', coders: [demo, demo] } }, idle, [], true, undefined);
    assert.equal(dividing.mode?.isDemo, true);
    const swarm = buildRunView({ ...record({ phase: 'architect-spec', reason: 'initial' }), mode: { mode: 'swarm' } }, idle, [], true, undefined);
    assert.equal(swarm.mode?.coders, 'the cheapest adequate model for each spec');
    assert.equal(buildRunView(record({ phase: 'architect-spec', reason: 'initial' }), idle, [], true, undefined).mode, undefined, 'one Coder: no mode line');
    const atStop = buildRunView({ ...record({ phase: 'hard-stop-to-coder', specVersion: 1 }), mode: { mode: 'competitive', coders: [demo, coder, demo] } }, idle, [], true, 'npm test');
    assert.equal(atStop.hardStop?.next, `Next: Coders — Competitive (best-of-N): Demo Coder ×2, ${coder.displayName}`, 'the HARD STOP names every Coder it hands over to');
  });

  it("calls a run demo by the models that code: in a mode of several Coders the Coder role only answers the HARD STOP's check", () => {
    const demo = { ...seedRoles.coder, provider: 'demo', modelId: 'demo-coder', displayName: 'Demo Coder', isDemo: true };
    const demoRole = (base: RunRecord): RunRecord => ({ ...base, roles: { ...base.roles, coder: demo } });
    const initial = record({ phase: 'architect-spec', reason: 'initial' });
    assert.equal(buildRunView({ ...demoRole(initial), mode: { mode: 'swarm' } }, idle, [], true, undefined).isDemo, false, "a swarm's Coders are the registry's, never the demo");
    assert.equal(buildRunView({ ...demoRole(initial), mode: { mode: 'competitive', coders: [seedRoles.coder, seedRoles.coder] } }, idle, [], true, undefined).isDemo, false);
    assert.equal(buildRunView({ ...initial, mode: { mode: 'competitive', coders: [seedRoles.coder, demo] } }, idle, [], true, undefined).isDemo, true, 'one demo candidate among real ones');
    assert.equal(buildRunView(demoRole(initial), idle, [], true, undefined).isDemo, true, 'one Coder: its role decides');
  });
});
