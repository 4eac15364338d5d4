// An answer cut after the provider reported some usage, then asked again: the provider billed the
// cut attempt's tokens, so the vault's answer, the spend ledger and the run's recorded call all
// count both attempts, and agree with one another.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { reserveAll, runPoolCall } from '../../../src/core/keyvault/poolGeneration.js';
import type { PoolCall } from '../../../src/core/keyvault/poolGeneration.js';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { costOf } from '../../../src/core/models/cost.js';
import type { ModelClient, ModelEvent, ModelRequest, TokenUsage } from '../../../src/core/models/modelClient.js';
import { addUsage, zeroUsage } from '../../../src/core/models/modelClient.js';
import { ModelError } from '../../../src/core/models/modelErrors.js';
import { findModel, modelPrice, priceTable } from '../../../src/core/models/registry.js';
import { withRetries } from '../../../src/core/models/retry.js';
import { withSpendCaps } from '../../../src/core/models/spendCapped.js';
import { SpendLedger } from '../../../src/core/models/spendLedger.js';
import { CallMeter } from '../../../src/core/workflow/callMeter.js';
import type { ModelCall } from '../../../src/core/workflow/runRecord.js';
import { NodeSpendStore } from '../../../src/node/nodeSpendStore.js';

const provider = 'anthropic';
const modelId = 'claude-sonnet-4-6';
const cutAttempt: TokenUsage = { ...zeroUsage(), inputTokens: 1_000, outputTokens: 300 };
const wholeAttempt: TokenUsage = { ...zeroUsage(), inputTokens: 1_000, outputTokens: 700 };
const billed = addUsage(cutAttempt, wholeAttempt);
const fast = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 };
/** The ledger keeps whole micro-dollars. */
const micro = (usd: number | undefined): number | undefined => (usd === undefined ? undefined : Math.round(usd * 1_000_000));

/** A provider whose first stream reports its usage, then drops; the second answers whole. */
function cutOnceAfterUsage(): ModelClient {
  let attempts = 0;
  return {
    info: { provider, modelId, displayName: 'Claude Sonnet 4.6', isDemo: false },
    async *stream(): AsyncIterable<ModelEvent> {
      attempts += 1;
      if (attempts === 1) {
        yield { type: 'usage', usage: cutAttempt };
        yield { type: 'text', text: 'half an ans' };
        throw new ModelError('stream-cut', 'the stream ended before the answer was complete', { provider });
      }
      yield { type: 'text', text: 'the whole answer' };
      yield { type: 'usage', usage: wholeAttempt };
      yield { type: 'done', stopReason: 'end' };
    },
  };
}

describe('an answer cut after usage was reported, then asked again', () => {
  let folder: string;
  let ledger: SpendLedger;
  const price = modelPrice(builtInRegistry, provider, modelId);
  const expectedUsd = price ? costOf(provider, billed, price) : Number.NaN;

  beforeEach(async () => {
    folder = await fs.mkdtemp(path.join(tmpdir(), 'dual-model-restart-'));
    ledger = new SpendLedger(new NodeSpendStore(path.join(folder, 'spend.json')), () => ({}), { now: () => new Date(2026, 10, 27, 14, 0) });
  });
  afterEach(() => fs.rm(folder, { recursive: true, force: true }));

  it('keeps both attempts in the vault’s answer and in the ledger', async () => {
    const model = findModel(builtInRegistry.models, provider, modelId);
    assert.ok(model && price, 'the model and its price are in the registry');
    const call: PoolCall = { model, messages: [{ role: 'user', content: 'hi' }], maxTokens: 1_000 };
    const [reservation] = await reserveAll(ledger, 'kv-parallel-1', [call], builtInRegistry);
    assert.ok(reservation);
    const outcome = await runPoolCall(call, reservation, { registry: builtInRegistry, clientFor: cutOnceAfterUsage, ledger, retryPolicy: fast }, new AbortController().signal);
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.text, 'the whole answer', 'the cut text is dropped');
    assert.deepEqual(outcome.usage, billed, 'the usage of both attempts');
    assert.equal(outcome.costUsd, expectedUsd);
    const totals = await ledger.totals('kv-parallel-1');
    assert.equal(micro(totals.runUsd), micro(expectedUsd), 'the ledger settled what the answer says it cost');
    assert.equal(totals.heldUsd, 0);
  });

  it('the vault, the ledger and the run’s recorded call agree on it', async () => {
    const model = findModel(builtInRegistry.models, provider, modelId);
    assert.ok(model);
    const call: PoolCall = { model, messages: [{ role: 'user', content: 'hi' }], maxTokens: 1_000 };
    const [reservation] = await reserveAll(ledger, 'kv-parallel-1', [call], builtInRegistry);
    assert.ok(reservation);
    const vault = await runPoolCall(call, reservation, { registry: builtInRegistry, clientFor: cutOnceAfterUsage, ledger, retryPolicy: fast }, new AbortController().signal);

    const recorded: ModelCall[] = [];
    const meter = new CallMeter({ now: () => new Date() }, () => priceTable(builtInRegistry), (_runId, made) => recorded.push(made), (runId, client) =>
      withSpendCaps(client, { ledger, runId, registry: () => builtInRegistry }),
    );
    const request: ModelRequest = { purpose: 'question', system: '', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], thinking: 'none', maxOutputTokens: 1_000 };
    const client = meter.client('run-1', 'question', withRetries(cutOnceAfterUsage(), fast));
    for await (const event of client.stream(request, new AbortController().signal)) void event;

    const [run] = recorded;
    assert.ok(run);
    assert.deepEqual(vault.usage, run.usage, 'the vault and run.json count the same tokens');
    assert.equal(vault.costUsd, run.costUsd, 'and the same cost');
    assert.equal((await ledger.totals('kv-parallel-1')).runUsd, (await ledger.totals('run-1')).runUsd, 'and the ledger settled the same for each');
    assert.equal(micro((await ledger.totals('run-1')).runUsd), micro(run.costUsd));
  });
});
