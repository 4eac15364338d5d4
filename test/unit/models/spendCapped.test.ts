// The caps on a run's own model calls, through the real Anthropic client against the fake
// server and a real ledger file: a call that could cross a cap is refused before it is sent
// (the server receives nothing), and a call that is sent is settled at what it really cost.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import type { ModelClient, ModelRequest } from '../../../src/core/models/modelClient.js';
import type { SpendCaps } from '../../../src/core/models/spendCaps.js';
import { isCapError } from '../../../src/core/models/spendCaps.js';
import { withSpendCaps } from '../../../src/core/models/spendCapped.js';
import { SpendLedger } from '../../../src/core/models/spendLedger.js';
import { NodeSpendStore } from '../../../src/node/nodeSpendStore.js';
import { DemoModelClient } from '../../../src/providers/demo/demoModelClient.js';
import { createAnthropicClient } from '../../../src/providers/anthropic/anthropicModelClient.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../fakes/anthropicServer.js';

// Claude Sonnet 4.6: $3 in, $15 out per million; 10,000 tokens out at most is $0.15.
const request: ModelRequest = { purpose: 'implement', system: 'fake', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], thinking: 'none', maxOutputTokens: 10_000 };

async function drain(client: ModelClient): Promise<string> {
  let text = '';
  for await (const event of client.stream(request, new AbortController().signal)) if (event.type === 'text') text += event.text;
  return text;
}

describe('spending caps on a run’s model calls', () => {
  let server: FakeAnthropicServer;
  let folder: string;
  let caps: SpendCaps;
  let ledger: SpendLedger;
  const now = new Date(2026, 10, 27, 14, 0);

  const capped = (runId: string): ModelClient =>
    withSpendCaps(createAnthropicClient({ apiKey: 'sk-ant-fake-0000000000000000', baseUrl: server.url, modelId: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', requestTimeoutMs: 15_000 }), {
      ledger,
      runId,
      registry: () => builtInRegistry,
    });

  beforeEach(async () => {
    server = await startFakeAnthropicServer();
    folder = await fs.mkdtemp(path.join(tmpdir(), 'dual-model-capped-'));
    caps = {};
    ledger = new SpendLedger(new NodeSpendStore(path.join(folder, 'spend.json')), () => caps, { now: () => now });
  });
  afterEach(async () => {
    await server.close();
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('refuses a call whose most would cross the per-run cap before it is sent: the server receives nothing', async () => {
    caps = { perRunUsd: 0.1 };
    server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'never' }] });
    const error = await drain(capped('run-1')).then(
      () => assert.fail('the call was sent'),
      (thrown: unknown) => thrown,
    );
    assert.ok(isCapError(error), String(error));
    assert.match(error.message, /^Not sent: it would cross the cap per run of \$0\.10 \(dualModel\.spend\.capPerRunUsd\)\. \$0\.00 is spent; this would cost up to \$0\.15/);
    assert.equal(server.requests.length, 0);
    assert.equal((await ledger.totals('run-1')).heldUsd, 0, 'nothing is left held');
  });

  it('sends a call within the caps and settles it at what it really cost, for the run and the day', async () => {
    caps = { perRunUsd: 1, perDayUsd: 1 };
    server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 1000, output_tokens: 2000 } });
    assert.equal(await drain(capped('run-1')), 'ok');
    assert.equal(server.requests.length, 1);
    const totals = await ledger.totals('run-1');
    assert.equal(Math.round(totals.runUsd * 1e6), 33_000, '1,000 in at $3 and 2,000 out at $15 per million');
    assert.equal(Math.round(totals.dayUsd * 1e6), 33_000);
    assert.equal(totals.heldUsd, 0);
  });

  it("refuses a call once the day's spend of other runs leaves too little under the per-day cap, and sends it once the cap is raised", async () => {
    caps = { perDayUsd: 0.2 };
    server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'first' }], usage: { input_tokens: 0, output_tokens: 6000 } });
    await drain(capped('run-1'));
    server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'second' }] });
    const error = await drain(capped('run-2')).then(
      () => assert.fail('the call was sent'),
      (thrown: unknown) => thrown,
    );
    assert.ok(isCapError(error) && error.refusal.kind === 'crossed' && error.refusal.cap === 'per day', String(error));
    assert.match(error.message, /\$0\.09 is spent; this would cost up to \$0\.15/);
    assert.equal(server.requests.length, 1);
    caps = { perDayUsd: 1 };
    assert.equal(await drain(capped('run-2')), 'second', 'the same call goes once the cap allows it');
  });

  it('keeps no cap on the offline demo, which costs nothing', async () => {
    caps = { perRunUsd: 0 };
    const demo = withSpendCaps(new DemoModelClient({ provider: 'demo', modelId: 'demo-coder', displayName: 'Demo', isDemo: true }, () => 0, () => now), { ledger, runId: 'run-1', registry: () => builtInRegistry });
    const events = [];
    for await (const event of demo.stream({ ...request, purpose: 'identity' }, new AbortController().signal)) events.push(event);
    assert.ok(events.length > 0);
  });
});
