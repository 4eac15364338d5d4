// Every model request of a run is one entry of run.json's `calls`: the model that answered it,
// its tokens, its cost at the time, the time spent waiting and how it ended.
import assert from 'node:assert/strict';
import { withFallback } from '../../../src/core/models/fallback.js';
import type { ModelClient, ModelEvent, ModelRequest, TokenUsage } from '../../../src/core/models/modelClient.js';
import { ModelError } from '../../../src/core/models/modelErrors.js';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { costOf } from '../../../src/core/models/cost.js';
import { priceTable } from '../../../src/core/models/registry.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import type { RunStore } from '../../../src/core/workflow/runStore.js';
import { DemoModelClient } from '../../../src/providers/demo/demoModelClient.js';
import { createEngine, demoClient, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const builtInPrices = priceTable(builtInRegistry);

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

async function saved(store: RunStore, runId: string): Promise<RunRecord> {
  const loaded = await store.load(runId);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.error);
  return loaded.record;
}

interface Seen {
  modelId: string;
  purpose: ModelRequest['purpose'];
  usage: TokenUsage[];
}

/** The demo model, logging each request it gets and the usage it reports for it. */
function logged(role: RoleSnapshot, log: Seen[]): ModelClient {
  const demo = demoClient(role);
  return {
    info: demo.info,
    async *stream(request, signal) {
      const seen: Seen = { modelId: demo.info.modelId, purpose: request.purpose, usage: [] };
      log.push(seen);
      for await (const event of demo.stream(request, signal)) {
        if (event.type === 'usage') seen.usage.push(event.usage);
        yield event;
      }
    },
  };
}

function failing(info: ModelClient['info'], events: ModelEvent[], error: Error): ModelClient {
  return {
    info,
    async *stream() {
      yield* events;
      throw error;
    },
  };
}

const tokens = (inputTokens: number, outputTokens: number): TokenUsage => ({ inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 });

describe('model calls in run.json', () => {
  it('records each request once, in order: the spec, both identity checks, every Coder turn and the review', async () => {
    const log: Seen[] = [];
    // The demo models are free; these prices make each call's recorded cost a real number.
    const prices = { ...builtInPrices, 'demo-architect': { input: 10, output: 50, cacheRead: 0, cacheWrite: 0 }, 'demo-coder': { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 } };
    const { engine, store } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => logged(role, log), prices });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'architect-review');
    const record = await saved(store, run.runId);
    engine.dispose();

    assert.ok(log.filter((seen) => seen.purpose === 'implement').length > 1, 'the Coder took several turns');
    assert.deepEqual(
      record.calls.map((call) => [call.phase, call.purpose, call.modelId]),
      log.map((seen) => [
        { spec: 'architect-spec', implement: 'coder-implement', review: 'architect-review', question: 'never in a run', identity: seen.modelId === 'demo-coder' ? 'hard-stop-to-coder' : 'hard-stop-to-architect', 'spec-question': 'hard-stop-to-coder', judge: 'coder-implement', accept: 'coder-implement' }[seen.purpose],
        seen.purpose,
        seen.modelId,
      ]),
    );
    for (const [index, call] of record.calls.entries()) {
      const reported = log[index]?.usage ?? [];
      assert.equal(reported.length, 1, 'the demo reports usage once per answer');
      assert.deepEqual(call.usage, reported[0]);
      assert.equal(call.outcome, 'ok');
      assert.equal(call.error, undefined);
      assert.ok(!Number.isNaN(Date.parse(call.at)), call.at);
      assert.equal(call.displayName, call.modelId === 'demo-coder' ? demoRoles.coder.displayName : demoRoles.architect.displayName);
      const price = prices[call.modelId as 'demo-coder' | 'demo-architect'];
      assert.equal(call.costUsd, costOf(call.provider, call.usage, price));
      assert.ok((call.costUsd ?? 0) > 0);
    }
    // The per-phase totals are the sums of the calls.
    for (const [phase, usage] of Object.entries(record.usage)) {
      const calls = record.calls.filter((call) => call.phase === phase);
      assert.equal(usage.inputTokens, calls.reduce((sum, call) => sum + call.usage.inputTokens, 0), phase);
      assert.equal(usage.outputTokens, calls.reduce((sum, call) => sum + call.usage.outputTokens, 0), phase);
    }
  });

  it("times a call by the wait on its model: at least as long as the model held its answer, no longer than the whole run", async () => {
    // The model, not the test, is slow here: the timer is what makes the call take time, and the
    // engine's own events (waitForPhase) are what the test waits on.
    const HOLD_MS = 40;
    let heldMs: number | undefined;
    const slowArchitect = (role: RoleSnapshot): ModelClient => {
      const demo = demoClient(role);
      return {
        info: demo.info,
        async *stream(request, signal) {
          const heldFrom = performance.now();
          await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
          heldMs = performance.now() - heldFrom;
          yield* demo.stream(request, signal);
        },
      };
    };
    const { engine, store } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => (role.modelId === 'demo-architect' ? slowArchitect(role) : demoClient(role)) });
    const runFrom = performance.now();
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const runMs = performance.now() - runFrom;
    const record = await saved(store, run.runId);
    engine.dispose();

    const [spec, ...rest] = record.calls;
    assert.equal(rest.length, 0);
    assert.equal(spec?.purpose, 'spec');
    assert.ok(heldMs !== undefined && heldMs >= HOLD_MS - 1, `the model held its answer for ${heldMs} ms`);
    // durationMs is kept to 0.01 ms, so it may sit up to 0.005 ms under the time measured here.
    assert.ok(spec.durationMs >= heldMs - 0.01, `durationMs ${spec.durationMs} counts the ${heldMs} ms the model held its answer`);
    assert.ok(spec.durationMs <= runMs, `durationMs ${spec.durationMs} is within the ${runMs} ms the whole run took`);
    // The phase's model time is the time its one call waited.
    const timing = record.timings.find((entry) => entry.phase === 'architect-spec');
    assert.equal(timing?.modelMs, spec.durationMs);
  });

  it('names the model that answered: the fallback after the primary kept failing, priced as the fallback', async () => {
    const opus = { provider: 'anthropic', modelId: 'claude-opus-4-6', displayName: 'Claude Opus 4.6 (Thinking)', isDemo: false };
    const sonnet = { provider: 'anthropic', modelId: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', isDemo: false };
    const architect = (): ModelClient =>
      withFallback(
        failing(opus, [], new ModelError('overloaded', 'overloaded after 3 retries', { provider: 'anthropic', status: 529 })),
        new DemoModelClient(sonnet, () => 0, () => new Date()),
        () => undefined,
      );
    const { engine, store } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => (role.modelId === 'demo-architect' ? architect() : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const [call, ...rest] = (await saved(store, run.runId)).calls;
    engine.dispose();
    assert.equal(rest.length, 0);
    assert.ok(call);
    assert.deepEqual([call.provider, call.modelId, call.displayName, call.outcome], ['anthropic', 'claude-sonnet-4-6', 'Claude Sonnet 4.6', 'ok']);
    const sonnetPrice = builtInPrices['claude-sonnet-4-6'];
    assert.ok(sonnetPrice && call.usage.outputTokens > 0);
    assert.equal(call.costUsd, costOf('anthropic', call.usage, sonnetPrice));
  });

  it('records a failed call with its error kind and the tokens it reported, saved with the failure', async () => {
    const cut = failing(
      demoClient(demoRoles.architect).info,
      [{ type: 'text', text: '# Code Spec — half' }, { type: 'usage', usage: tokens(100, 7) }],
      new ModelError('stream-cut', 'The stream ended before the answer was complete.\nmore detail', { provider: 'demo' }),
    );
    const { engine, store } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => (role.modelId === 'demo-architect' ? cut : demoClient(role)) });
    const run = await engine.start({ request: 'x', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'failed');
    const record = await saved(store, run.runId);
    engine.dispose();
    assert.equal(record.state.phase, 'failed');
    assert.equal(record.calls.length, 1);
    assert.equal(record.calls[0]?.outcome, 'stream-cut');
    assert.equal(record.calls[0]?.error, 'The stream ended before the answer was complete.');
    assert.deepEqual(record.calls[0]?.usage, tokens(100, 7));
    assert.deepEqual(record.usage['architect-spec'], tokens(100, 7));
  });

  it('records an identity check that failed, and the one that passed after it', async () => {
    let refuse = true;
    const coder = (role: RoleSnapshot): ModelClient => {
      const demo = demoClient(role);
      return {
        info: demo.info,
        async *stream(request, signal) {
          if (request.purpose === 'identity' && refuse) {
            refuse = false;
            throw new Error('socket hang up');
          }
          yield* demo.stream(request, signal);
        },
      };
    };
    const { engine, store } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => (role.modelId === 'demo-coder' ? coder(role) : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await assert.rejects(engine.confirmModel(run.runId), /socket hang up/);
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    const record = await saved(store, run.runId);
    engine.dispose();
    const checks = record.calls.filter((call) => call.purpose === 'identity');
    assert.deepEqual(
      checks.map((call) => [call.phase, call.modelId, call.outcome, call.error]),
      [
        ['hard-stop-to-coder', 'demo-coder', 'error', 'socket hang up'],
        ['hard-stop-to-coder', 'demo-coder', 'ok', undefined],
      ],
    );
  });
});
