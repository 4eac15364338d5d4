import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { KeyProvider, UsableKey } from '../../../src/core/keyvault/apiKeys.js';
import type { KeyPoolOptions, Lease, LimitsFor } from '../../../src/core/keyvault/keyPool.js';
import { KeyPool } from '../../../src/core/keyvault/keyPool.js';
import type { QuotaLimits } from '../../../src/core/keyvault/quota.js';
import { isModelError } from '../../../src/core/models/modelErrors.js';
import { UsageDirectory } from '../../../src/node/usageDirectory.js';
import { ManualClock, settled } from '../../support/manualClock.js';

const start = Date.parse('2026-11-27T12:00:00Z');
const never = new AbortController().signal;

function keysOf(...specs: [id: string, group?: string][]): UsableKey[] {
  return specs.map(([id, group]) => ({ id, key: `sk-test-${id}-000000000000`, label: `key ${id}`, ...(group ? { group } : {}) }));
}

function poolWith(keys: UsableKey[], limits: QuotaLimits | LimitsFor, extra: Partial<KeyPoolOptions> = {}): { pool: KeyPool; clock: ManualClock } {
  const clock = extra.clock instanceof ManualClock ? extra.clock : new ManualClock(start);
  const limitsFor: LimitsFor = typeof limits === 'function' ? limits : () => limits;
  const pool = new KeyPool({ keys: () => keys, limitsFor, clock, windowMs: 60_000, ...extra });
  return { pool, clock };
}

const ask = (pool: KeyPool, signal = never, model = 'm', estimatedTokens = 10, provider: KeyProvider = 'openai-compatible'): Promise<Lease> =>
  pool.acquire({ provider, model, estimatedTokens }, signal);

/** The promise's state after the event loop has run what it can: still waiting, or not. */
async function stateOf<T>(promise: Promise<T>): Promise<'waiting' | 'resolved' | 'rejected'> {
  let state: 'waiting' | 'resolved' | 'rejected' = 'waiting';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await settled();
  return state;
}

describe('key pool scheduler', () => {
  it('spreads requests over the least-loaded keys', async () => {
    const { pool } = poolWith(keysOf(['a'], ['b'], ['c']), {});
    const leases = [await ask(pool), await ask(pool), await ask(pool)];
    assert.deepEqual(leases.map((lease) => lease.key.id).sort(), ['a', 'b', 'c']);
    leases[1]?.settle({ kind: 'ok', tokens: 5 });
    assert.equal((await ask(pool)).key.id, 'b', 'the key with nothing in flight goes next');
  });

  it('never hands out a lease past a group\'s requests per minute, and waits with one timer until the window frees one', async () => {
    // Two keys in one group: the group's limit, not each key's.
    const { pool, clock } = poolWith(keysOf(['a', 'g'], ['b', 'g']), { rpm: 2 });
    const first = await ask(pool);
    const second = await ask(pool);
    assert.notEqual(first.key.id, second.key.id);
    const third = ask(pool);
    assert.equal(await stateOf(third), 'waiting');
    assert.equal(clock.pending(), 0, 'in flight: room comes with a settlement, not with time');
    first.settle({ kind: 'ok', tokens: 10 });
    second.settle({ kind: 'ok', tokens: 10 });
    assert.equal(await stateOf(third), 'waiting', 'settled requests still count for a window');
    assert.equal(clock.pending(), 1, 'one timer, for the moment room appears');
    await clock.advance(59_999);
    assert.equal(await stateOf(third), 'waiting');
    await clock.advance(1);
    assert.equal(await stateOf(third), 'resolved');
  });

  it('serves waiters first come, first served, and a newcomer does not jump the queue', async () => {
    const { pool, clock } = poolWith(keysOf(['a']), { rpm: 1 });
    (await ask(pool)).settle({ kind: 'ok' });
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => ask(pool).then((lease) => (order.push(n), lease)));
    for (let round = 0; round < 3; round += 1) {
      await clock.advance(60_000);
      for (const waiter of waiters) if ((await stateOf(waiter)) === 'resolved') (await waiter).settle({ kind: 'ok' });
    }
    assert.deepEqual(order, [1, 2, 3]);
  });

  it('keeps tokens per minute, and refuses at once a request no group could ever take', async () => {
    const { pool, clock } = poolWith(keysOf(['a']), { tpm: 100 });
    const big = await ask(pool, never, 'm', 80);
    const next = ask(pool, never, 'm', 30);
    assert.equal(await stateOf(next), 'waiting');
    big.settle({ kind: 'ok', tokens: 60 });
    assert.equal(await stateOf(next), 'resolved', 'real use was lower than the estimate: room now');
    await assert.rejects(ask(pool, never, 'm', 101), (error) => isModelError(error) && error.kind === 'bad-request' && /tokens per minute/.test(error.message));
    void clock;
  });

  it('puts a group in cooldown on a 429 and moves on to a key of another group', async () => {
    const { pool, clock } = poolWith(keysOf(['a', 'g1'], ['b', 'g1'], ['c', 'g2']), {});
    const lease = await ask(pool);
    assert.equal(lease.group, 'g1');
    lease.settle({ kind: 'rate-limited', retryAfterMs: 5000 });
    const [x, y] = [await ask(pool), await ask(pool)];
    assert.deepEqual([x.group, y.group], ['g2', 'g2'], 'both keys of g1 wait out the cooldown');
    const snapshot = await pool.snapshot(['openai-compatible']);
    assert.equal(snapshot.find((key) => key.id === 'b')?.cooldownUntil, start + 5000);
    await clock.advance(5000);
    assert.equal((await ask(pool)).group, 'g1');
  });

  it('backs off on a 429 without retry-after, longer each time in a row', async () => {
    const { pool, clock } = poolWith(keysOf(['a']), {}, { defaultCooldownMs: 1000 });
    (await ask(pool)).settle({ kind: 'rate-limited' });
    let next = ask(pool);
    await clock.advance(999);
    assert.equal(await stateOf(next), 'waiting');
    await clock.advance(1);
    (await next).settle({ kind: 'rate-limited' });
    next = ask(pool);
    await clock.advance(1999);
    assert.equal(await stateOf(next), 'waiting', 'the second 429 in a row doubles the wait');
    await clock.advance(1);
    assert.equal(await stateOf(next), 'resolved');
  });

  it('learns a group\'s requests per window from a 429 in a burst when no limit is known, and forgets it after a while', async () => {
    const { pool, clock } = poolWith(keysOf(['a']), {});
    for (let n = 0; n < 3; n += 1) (await ask(pool)).settle({ kind: 'ok' });
    const [refused, alsoInFlight] = [await ask(pool), await ask(pool)];
    refused.settle({ kind: 'rate-limited', retryAfterMs: 1000 });
    alsoInFlight.settle({ kind: 'rate-limited', retryAfterMs: 1000 });
    assert.equal((await pool.snapshot(['openai-compatible']))[0]?.models[0]?.learnedRpm, 3, 'three got through in the window');
    await clock.advance(1000);
    const waiting = ask(pool);
    assert.equal(await stateOf(waiting), 'waiting', 'the cooldown is over, but the window still holds the three answers');
    await clock.advance(59_000);
    assert.equal(await stateOf(waiting), 'resolved');
    (await waiting).settle({ kind: 'ok' });
    await clock.advance(3 * 60_000);
    const burst = await Promise.all(Array.from({ length: 6 }, () => ask(pool)));
    assert.equal(burst.length, 6, 'three windows later the learnt limit is gone');
  });

  it('learns nothing from a lone request refused: one at a time goes on once the cooldown ends', async () => {
    const { pool, clock } = poolWith(keysOf(['a']), {});
    (await ask(pool)).settle({ kind: 'ok' });
    (await ask(pool)).settle({ kind: 'rate-limited', retryAfterMs: 1500 });
    await clock.advance(1500);
    (await ask(pool)).settle({ kind: 'ok' });
    assert.equal(await stateOf(ask(pool)), 'resolved', 'the next question of a run is not held for a minute');
    assert.equal((await pool.snapshot(['openai-compatible']))[0]?.models[0]?.learnedRpm, undefined);
  });

  it('revokes a key on 401/403, says why, and fails at once when no key is left', async () => {
    const { pool } = poolWith(keysOf(['a'], ['b']), {});
    const a = await ask(pool);
    a.settle({ kind: 'revoked', reason: 'HTTP 401: invalid x-api-key' });
    for (let n = 0; n < 3; n += 1) assert.equal((await ask(pool)).key.id === a.key.id ? 'revoked key used' : 'ok', 'ok');
    const b = await ask(pool);
    b.settle({ kind: 'revoked', reason: 'HTTP 403: suspended' });
    await assert.rejects(ask(pool), (error) => isModelError(error) && error.kind === 'auth' && /invalid x-api-key/.test(error.message) && /suspended/.test(error.message));
    const snapshot = await pool.snapshot(['openai-compatible']);
    assert.equal(snapshot.find((key) => key.id === 'a')?.revoked?.reason, 'HTTP 401: invalid x-api-key');
  });

  it('fails at once with no key at all, rather than waiting', async () => {
    const { pool } = poolWith([], {});
    await assert.rejects(ask(pool), (error) => isModelError(error) && error.kind === 'auth' && /No openai-compatible API key/.test(error.message));
  });

  it('refuses waiters at once when their last key is revoked while they wait', async () => {
    const { pool } = poolWith(keysOf(['a']), { rpm: 1 });
    const lease = await ask(pool);
    const waiter = ask(pool);
    assert.equal(await stateOf(waiter), 'waiting');
    lease.settle({ kind: 'revoked', reason: 'HTTP 401' });
    await assert.rejects(waiter, /refused by the provider/);
  });

  it('a cancelled wait leaves the queue and lets the next one through; a released lease stops counting', async () => {
    const { pool, clock } = poolWith(keysOf(['a']), { rpm: 1 });
    const held = await ask(pool);
    const abort = new AbortController();
    const cancelled = ask(pool, abort.signal);
    const next = ask(pool);
    abort.abort();
    await assert.rejects(cancelled, (error) => isModelError(error) && error.kind === 'cancelled');
    assert.equal(pool.waiting(), 1);
    held.release();
    assert.equal(await stateOf(next), 'resolved', 'a request never sent frees its room at once');
    assert.equal(clock.pending(), 0, 'no timer left behind');
  });

  it('counts requests per day from midnight Pacific for Google, across the autumn DST change', async () => {
    // 1 November 2026, 23:00 PST (clocks went back at 02:00): the day has 25 hours.
    const clock = new ManualClock(Date.parse('2026-11-02T07:00:00Z'));
    const { pool } = poolWith(keysOf(['a']), { rpd: 2 }, { clock, maxWaitMs: 86_400_000 });
    (await ask(pool, never, 'gemini', 1, 'google')).settle({ kind: 'ok' });
    (await ask(pool, never, 'gemini', 1, 'google')).settle({ kind: 'ok' });
    const third = ask(pool, never, 'gemini', 1, 'google');
    await clock.advance(59 * 60_000);
    assert.equal(await stateOf(third), 'waiting', '23:59 PST: still the same day');
    await clock.advance(60_000);
    assert.equal(await stateOf(third), 'resolved', 'midnight PST (08:00 UTC): a new day');
    const [snapshot] = await pool.snapshot(['google']);
    assert.equal(snapshot?.nextResetAt, Date.parse('2026-11-03T08:00:00Z'));
    assert.equal(snapshot?.today.requests, 1);
  });

  it('fails at once, saying when, when every daily quota is spent', async () => {
    const { pool } = poolWith(keysOf(['a']), { rpd: 1 });
    (await ask(pool, never, 'gemini', 1, 'google')).settle({ kind: 'ok' });
    await assert.rejects(ask(pool, never, 'gemini', 1, 'google'), (error) => isModelError(error) && error.kind === 'rate-limited' && /requests per day/.test(error.message) && /America\/Los_Angeles/.test(error.message));
  });

  it('lets the provider\'s headers correct its counters when they say there is less room', async () => {
    const { pool, clock } = poolWith(keysOf(['a']), { rpm: 100 });
    const lease = await ask(pool);
    // Someone else uses this key too: the provider says none left for 2 s.
    lease.settle({ kind: 'ok', tokens: 10, headers: { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' } });
    const next = ask(pool);
    await clock.advance(1999);
    assert.equal(await stateOf(next), 'waiting');
    await clock.advance(1);
    assert.equal(await stateOf(next), 'resolved');
  });

  it('takes the newest headers, not a late answer\'s older ones', async () => {
    const { pool, clock } = poolWith(keysOf(['a']), {});
    const older = await ask(pool);
    const newer = await ask(pool);
    newer.settle({ kind: 'ok', headers: { 'x-ratelimit-remaining-requests': '50', 'x-ratelimit-reset-requests': '10s' } });
    older.settle({ kind: 'ok', headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '10s' } });
    assert.equal(await stateOf(ask(pool)), 'resolved', 'the older answer\'s "none left" predates what the newer one said');
    void clock;
  });

  it('sets one timer for many waiters, not one each, and none while nothing waits', async () => {
    const { pool, clock } = poolWith(keysOf(['a'], ['b']), { rpm: 5 });
    const leases = await Promise.all(Array.from({ length: 10 }, () => ask(pool)));
    for (const lease of leases) lease.settle({ kind: 'ok' });
    const before = clock.timersSet;
    const waiters = Array.from({ length: 100 }, () => ask(pool));
    await settled();
    assert.equal(clock.pending(), 1);
    assert.ok(clock.timersSet - before <= 2, `${clock.timersSet - before} timers set`);
    await clock.advance(60_000);
    const states = await Promise.all(waiters.map(stateOf));
    assert.equal(states.filter((state) => state === 'resolved').length, 10);
    pool.dispose();
    for (const waiter of waiters) await waiter.then((lease) => lease.settle({ kind: 'ok' }), () => undefined);
  });
});

describe('key pool counters on disk', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'dual-model-pool-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('restores its counters after a reload (a new pool over the same directory)', async () => {
    const clock = new ManualClock(start);
    const keys = keysOf(['a', 'g'], ['b', 'g']);
    const first = poolWith(keys, { rpm: 3 }, { clock, store: new UsageDirectory(directory) }).pool;
    for (let n = 0; n < 3; n += 1) (await ask(first)).settle({ kind: 'ok', tokens: 7 });
    (await ask(first, never, 'm', 1, 'google')).settle({ kind: 'revoked', reason: 'HTTP 403' });
    first.dispose();

    const second = poolWith(keys, { rpm: 3 }, { clock, store: new UsageDirectory(directory) }).pool;
    const waiting = ask(second);
    assert.equal(await stateOf(waiting), 'waiting', 'the reloaded pool knows the group used its 3 this minute');
    const snapshot = await second.snapshot(['openai-compatible', 'google']);
    const today = snapshot.filter((key) => key.provider === 'openai-compatible').reduce((sum, key) => sum + key.today.requests, 0);
    assert.equal(today, 3);
    assert.equal(snapshot.find((key) => key.provider === 'openai-compatible')?.models[0]?.lastWindow.tokens, 21);
    assert.ok(snapshot.filter((key) => key.provider === 'google').some((key) => key.revoked?.reason === 'HTTP 403'), 'still revoked after a reload');
    await clock.advance(60_000);
    assert.equal(await stateOf(waiting), 'resolved');
    second.dispose();
  });

  it('two windows on one machine share one group\'s limits', async () => {
    const clock = new ManualClock(start);
    const keys = keysOf(['a', 'g']);
    const one = poolWith(keys, { rpm: 3 }, { clock, store: new UsageDirectory(directory) }).pool;
    const two = poolWith(keys, { rpm: 3 }, { clock, store: new UsageDirectory(directory) }).pool;
    (await ask(one)).settle({ kind: 'ok' });
    const inFlight = await ask(one);
    one.flush();
    await ask(two);
    two.flush();
    assert.equal(await stateOf(ask(two)), 'waiting', 'one has 2, two has 1: the group is full');
    assert.equal(await stateOf(ask(one)), 'waiting', 'and the first window sees the second\'s use');
    inFlight.settle({ kind: 'ok' });
    one.dispose();
    two.dispose();
  });

  it('a key put back in use is usable again in every window; an environment key\'s refusal is not saved', async () => {
    const clock = new ManualClock(start);
    const keys: UsableKey[] = [...keysOf(['a']), { id: 'env:OPENAI_API_KEY', key: 'sk-env-key-000000000000', label: 'OPENAI_API_KEY' }];
    const one = poolWith(keys, {}, { clock, store: new UsageDirectory(directory) }).pool;
    const two = poolWith(keys, {}, { clock, store: new UsageDirectory(directory) }).pool;
    (await ask(one)).settle({ kind: 'revoked', reason: 'HTTP 401' });
    (await ask(one)).settle({ kind: 'revoked', reason: 'HTTP 401 (env)' });
    one.flush();
    const inTwo = await ask(two);
    assert.equal(inTwo.key.id, 'env:OPENAI_API_KEY', 'the second window skips the stored key the first saw refused');
    inTwo.settle({ kind: 'ok' });
    const afterReload = poolWith(keys, {}, { clock, store: new UsageDirectory(directory) }).pool;
    const revokedThere = (await afterReload.snapshot(['openai-compatible'])).filter((key) => key.revoked).map((key) => key.id);
    assert.deepEqual(revokedThere, ['a'], 'the env key may have a new value after a restart: its refusal was not saved');
    clock.time += 1;
    two.reinstate('openai-compatible', 'a');
    two.flush();
    await clock.advance(1);
    assert.equal((await ask(one)).key.id, 'a', 'put back by the other window');
    for (const pool of [one, two, afterReload]) pool.dispose();
  });

  it('never writes a key\'s text, nor anything of it, to disk or into the snapshot (canary key)', async () => {
    const canary = 'sk-CANARY-7f3a9c1e5b2d4f6a8c0e';
    const keys: UsableKey[] = [{ id: 'canary-id', key: canary, label: 'canary' }];
    const clock = new ManualClock(start);
    const { pool } = poolWith(keys, { rpm: 10 }, { clock, store: new UsageDirectory(directory) });
    (await ask(pool)).settle({ kind: 'ok', tokens: 3, headers: { 'x-ratelimit-remaining-requests': '5' } });
    (await ask(pool)).settle({ kind: 'rate-limited', retryAfterMs: 10 });
    await clock.advance(60_000);
    (await ask(pool)).settle({ kind: 'revoked', reason: `HTTP 401 for ${'[redacted]'}` });
    const snapshot = JSON.stringify(await pool.snapshot(['openai-compatible']));
    pool.dispose();
    const files = await readdir(directory);
    assert.ok(files.length > 0, 'the pool saved its counters');
    const onDisk = (await Promise.all(files.map((file) => readFile(path.join(directory, file), 'utf8')))).join('\n');
    for (const text of [onDisk, snapshot]) {
      for (const piece of [canary, canary.slice(-12), canary.slice(3, 15)]) assert.ok(!text.includes(piece), `found ${piece}`);
    }
    assert.ok(snapshot.includes('••••'), 'the snapshot shows the masked form');
    assert.ok(onDisk.includes('canary-id'), 'the key is known by its id');
  });
});
