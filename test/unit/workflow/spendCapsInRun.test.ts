// The spending caps as a run meets them, through the engine's guardCalls hook and a real ledger
// file: a refused call fails the phase with the cap's message and is recorded in run.json; once
// the cap is raised, Retry goes on. The run's cost line names the cap in force.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import type { ModelRegistry } from '../../../src/core/models/registry.js';
import { withSpendCaps } from '../../../src/core/models/spendCapped.js';
import type { SpendCaps } from '../../../src/core/models/spendCaps.js';
import { SpendLedger } from '../../../src/core/models/spendLedger.js';
import { NodeSpendStore } from '../../../src/node/nodeSpendStore.js';
import type { ModelClient } from '../../../src/core/models/modelClient.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import { DemoModelClient } from '../../../src/providers/demo/demoModelClient.js';
import { createEngine, demoRoles, scratchWorkspaces, waitForEngine, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

/** The demo's answers, as a priced model that is not the demo: the caps apply to it. */
function pricedDemo(role: RoleSnapshot): ModelClient {
  return new DemoModelClient({ provider: 'openai-compatible', modelId: `priced-${role.modelId}`, displayName: role.displayName, isDemo: false }, () => 0, () => new Date());
}

const registry: ModelRegistry = {
  ...builtInRegistry,
  pricesById: { 'priced-demo-architect': { input: 10, output: 50, cacheRead: 0, cacheWrite: 0 }, 'priced-demo-coder': { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 } },
};

describe('spending caps in a run', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await fs.mkdtemp(path.join(tmpdir(), 'dual-model-run-caps-'));
  });
  afterEach(() => fs.rm(folder, { recursive: true, force: true }));

  it('fails the phase before the call that would cross the cap, records it, and goes on after Retry once the cap is raised', async () => {
    let caps: SpendCaps = { perRunUsd: 0.01 };
    const ledger = new SpendLedger(new NodeSpendStore(path.join(folder, 'spend.json')), () => caps, { now: () => new Date() });
    let sent = 0;
    const { engine } = createEngine({
      workspaceRoot: await workspace(),
      clientFor: (role) => {
        const demo = pricedDemo(role);
        return { info: demo.info, stream: (request, signal) => (sent++, demo.stream(request, signal)) };
      },
      guardCalls: (runId, client) => withSpendCaps(client, { ledger, runId, registry: () => registry }),
      runCapUsd: () => caps.perRunUsd,
      settings: { maxOutputTokens: 4000 },
    });
    try {
      const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
      await waitForEngine(engine, () => engine.get(run.runId)?.state.phase === 'failed', `the run never failed on the cap: ${JSON.stringify(engine.get(run.runId)?.state)} sent ${sent}`);
      const state = engine.get(run.runId)?.state;
      assert.ok(state?.phase === 'failed');
      // 4,000 tokens out at $50 per million is $0.20 at most, plus the prompt.
      assert.match(state.error, /^Not sent: it would cross the cap per run of \$0\.01 \(dualModel\.spend\.capPerRunUsd\)\. \$0\.00 is spent; this would cost up to \$0\.2\d/);
      assert.equal(sent, 0, 'nothing reached the model');
      assert.equal(engine.get(run.runId)?.calls.at(-1)?.outcome, 'error', 'the refused call is in run.json');

      caps = { perRunUsd: 5 };
      await engine.retry(run.runId);
      await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
      assert.equal(sent, 1);
      assert.ok((await ledger.totals(run.runId)).runUsd > 0, 'the spec call was settled');
      assert.match((await engine.snapshot(run.runId))?.view.usage?.text ?? '', /\(run cap \$5\.00\)$/);
    } finally {
      engine.dispose();
    }
  });
});
