// Limits the pool learns from the provider's headers where it was given none of its own: the
// tokens per minute a response's `*-tokens-limit` header states keep holding the group's use
// once the header's own "remaining" has reset, and the Keys view says what was learnt.
import assert from 'node:assert/strict';
import type { UsableKey } from '../../../src/core/keyvault/apiKeys.js';
import { KeyPool } from '../../../src/core/keyvault/keyPool.js';
import { modelUseText } from '../../../src/core/keyvault/keyViewText.js';
import { ManualClock, settled } from '../../support/manualClock.js';

const start = Date.parse('2026-11-27T12:00:00Z');
const never = new AbortController().signal;
const keys: UsableKey[] = [{ id: 'a', key: 'sk-ant-test-a-000000000000', label: 'key a' }];

function stateOf(promise: Promise<unknown>): () => 'waiting' | 'resolved' | 'rejected' {
  let state: 'waiting' | 'resolved' | 'rejected' = 'waiting';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  return () => state;
}

describe('limits learnt from the provider’s headers', () => {
  it('holds the group to the tokens per minute the headers state, after their remaining count has reset', async () => {
    const clock = new ManualClock(start);
    const pool = new KeyPool({ keys: () => keys, limitsFor: () => ({}), clock, windowMs: 60_000 });
    const first = await pool.acquire({ provider: 'anthropic', model: 'm', estimatedTokens: 10 }, never);
    first.settle({
      kind: 'ok',
      tokens: 400,
      headers: { 'anthropic-ratelimit-tokens-limit': '1000', 'anthropic-ratelimit-tokens-remaining': '600', 'anthropic-ratelimit-tokens-reset': new Date(start + 1_000).toISOString() },
    });
    await clock.advance(2_000);
    const big = pool.acquire({ provider: 'anthropic', model: 'm', estimatedTokens: 700 }, never);
    const state = stateOf(big);
    await settled();
    assert.equal(state(), 'waiting', '400 in the window and 700 more would cross the 1,000 learnt');
    const [snapshot] = await pool.snapshot(['anthropic']);
    const use = snapshot?.models[0];
    assert.ok(use);
    assert.equal(use.learnedTpm, 1000);
    assert.match(modelUseText(use), /the provider allows about 1\.0k tokens a minute/);
    await clock.advance(60_000);
    await settled();
    assert.equal(state(), 'resolved', 'once the 400 have left the window');
    (await big).settle({ kind: 'ok', tokens: 700 });
    pool.dispose();
  });

  it('never lets a learnt limit refuse a request outright: one bigger than it waits for an empty window', async () => {
    const clock = new ManualClock(start);
    const pool = new KeyPool({ keys: () => keys, limitsFor: () => ({}), clock, windowMs: 60_000 });
    const first = await pool.acquire({ provider: 'anthropic', model: 'm', estimatedTokens: 10 }, never);
    first.settle({ kind: 'ok', tokens: 100, headers: { 'anthropic-ratelimit-tokens-limit': '1000' } });
    const huge = pool.acquire({ provider: 'anthropic', model: 'm', estimatedTokens: 5_000 }, never);
    const state = stateOf(huge);
    await settled();
    assert.equal(state(), 'waiting');
    await clock.advance(60_000);
    await settled();
    assert.equal(state(), 'resolved');
    (await huge).settle({ kind: 'ok' });
    pool.dispose();
  });
});
