// The key pool under load and faults, against the fake provider servers in auto mode (which
// enforce per-group limits themselves and count every 429 they send), through the real clients:
// the hand-written OpenAI-compatible one, the Anthropic SDK and @google/genai.
import assert from 'node:assert/strict';
import type { KeyProvider, UsableKey } from '../../../src/core/keyvault/apiKeys.js';
import { KeyPool } from '../../../src/core/keyvault/keyPool.js';
import { pooledModelClient, type PoolRetryNotice } from '../../../src/core/keyvault/pooledModelClient.js';
import type { QuotaLimits } from '../../../src/core/keyvault/quota.js';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import { isModelError } from '../../../src/core/models/modelErrors.js';
import { createAnthropicClient } from '../../../src/providers/anthropic/anthropicModelClient.js';
import { createGeminiClient } from '../../../src/providers/google/geminiModelClient.js';
import { createOpenAiCompatibleClient } from '../../../src/providers/openai/openaiModelClient.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../fakes/anthropicServer.js';
import { FakeLimits, type FakeGroupLimits } from '../../fakes/fakeLimits.js';
import { startFakeGeminiServer, type FakeGeminiServer } from '../../fakes/geminiServer.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/openaiServer.js';
import { waitUntil } from '../../support/waitUntil.js';

const request: ModelRequest = { purpose: 'implement', system: 'fake', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], thinking: 'none', maxOutputTokens: 16 };
const tokensPerRequest = 10;

function keys(provider: string, groups: Record<string, string>): UsableKey[] {
  return Object.entries(groups).map(([id, group]) => ({ id, key: keyText(provider, id), label: id, group }));
}

function keyText(provider: string, id: string): string {
  return `${provider}-key-${id}-0000000000000000`;
}

/** The fake's key → group map for the same keys. */
function fakeGroups(list: UsableKey[]): Record<string, string> {
  return Object.fromEntries(list.map((key) => [key.key, key.group ?? key.id]));
}

interface Rig {
  pool: KeyPool;
  client: (provider: KeyProvider) => ModelClient;
}

function rig(options: { keys: Partial<Record<KeyProvider, UsableKey[]>>; limits: QuotaLimits; windowMs: number; endpoints: Partial<Record<KeyProvider, string>>; onRetry?: (notice: PoolRetryNotice) => void }): Rig {
  const pool = new KeyPool({ keys: (provider) => options.keys[provider] ?? [], limitsFor: () => options.limits, windowMs: options.windowMs, defaultCooldownMs: 50 });
  const cache = new Map<string, ModelClient>();
  const providerClient = (provider: KeyProvider, key: UsableKey): ModelClient => {
    const name = `${provider}:${key.id}`;
    let client = cache.get(name);
    if (!client) {
      const common = { apiKey: key.key, baseUrl: options.endpoints[provider] ?? '', modelId: 'fake-model', displayName: 'Fake', requestTimeoutMs: 10_000 };
      client = provider === 'anthropic' ? createAnthropicClient(common) : provider === 'google' ? createGeminiClient(common) : createOpenAiCompatibleClient(common);
      cache.set(name, client);
    }
    return client;
  };
  return {
    pool,
    client: (provider) =>
      pooledModelClient({
        pool,
        provider,
        info: { provider, modelId: 'fake-model', displayName: 'Fake', isDemo: false },
        host: 'fake',
        clientFor: (key) => providerClient(provider, key),
        estimateTokens: () => tokensPerRequest,
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      }),
  };
}

async function answer(client: ModelClient, signal = new AbortController().signal): Promise<{ text: string; events: ModelEvent[] }> {
  const events: ModelEvent[] = [];
  let text = '';
  for await (const event of client.stream(request, signal)) {
    events.push(event);
    if (event.type === 'text') text += event.text;
  }
  return { text, events };
}

function limits(group: FakeGroupLimits, windowMs: number, groups: Record<string, string>): FakeLimits {
  return new FakeLimits({ groups, limits: { default: group }, windowMs, tokensPerRequest });
}

describe('key pool against the fake providers', function () {
  this.timeout(60_000);
  let openai: FakeOpenAiServer;
  let anthropic: FakeAnthropicServer;
  let gemini: FakeGeminiServer;
  const pools: KeyPool[] = [];

  beforeEach(async () => {
    [openai, anthropic, gemini] = await Promise.all([startFakeOpenAiServer(), startFakeAnthropicServer(), startFakeGeminiServer()]);
  });
  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.dispose();
    await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  });

  it('serves 2,000 tasks over 4 keys in 2 groups with no 429, nothing lost, the load spread', async () => {
    const windowMs = 500;
    const groupLimits = { rpm: 200, tpm: 1900 };
    const list = keys('openai', { k1: 'g1', k2: 'g1', k3: 'g2', k4: 'g2' });
    const fake = limits(groupLimits, windowMs, fakeGroups(list));
    openai.auto({ limits: fake, latencyMs: 2 });
    const { pool, client } = rig({ keys: { 'openai-compatible': list }, limits: groupLimits, windowMs, endpoints: { 'openai-compatible': openai.baseUrl } });
    pools.push(pool);
    const tasks = 2000;
    const results = await Promise.allSettled(Array.from({ length: tasks }, () => answer(client('openai-compatible'))));
    const failures = results.filter((result) => result.status === 'rejected');
    assert.equal(failures.length, 0, `failed: ${failures.slice(0, 3).map((failure) => String(failure.reason)).join(' | ')}`);
    assert.equal(results.filter((result) => result.status === 'fulfilled' && result.value.text === 'ok').length, tasks, 'every task has its answer');
    assert.equal(fake.rateLimited, 0, 'no 429 provoked by our scheduling');
    assert.equal(fake.served, tasks, 'each task sent exactly once');
    for (const key of list) assert.ok((fake.servedByKey.get(key.key) ?? 0) > tasks / 8, `${key.id} served ${fake.servedByKey.get(key.key) ?? 0}`);
    const snapshot = await pool.snapshot(['openai-compatible']);
    assert.equal(snapshot.reduce((sum, key) => sum + key.today.requests, 0), tasks);
    assert.ok(snapshot.every((key) => key.inFlight === 0));
  });

  it('goes on with the other keys when one is revoked mid-run (Anthropic SDK), and says which', async () => {
    const windowMs = 400;
    const groupLimits = { rpm: 40 };
    const list = keys('anthropic', { a1: 'ga', a2: 'ga', a3: 'gb' });
    const fake = limits(groupLimits, windowMs, fakeGroups(list));
    anthropic.auto({ limits: fake });
    const { pool, client } = rig({ keys: { anthropic: list }, limits: groupLimits, windowMs, endpoints: { anthropic: anthropic.url } });
    pools.push(pool);
    const first = await Promise.all(Array.from({ length: 60 }, () => answer(client('anthropic'))));
    fake.revoke(keyText('anthropic', 'a2'));
    const rest = await Promise.all(Array.from({ length: 100 }, () => answer(client('anthropic'))));
    assert.equal([...first, ...rest].filter((result) => result.text === 'ok').length, 160);
    assert.ok(first.some((result) => result.events.some((event) => event.type === 'rate-limits')), 'the SDK client passed the headers on');
    const snapshot = await pool.snapshot(['anthropic']);
    const revoked = snapshot.find((key) => key.id === 'a2')?.revoked;
    assert.match(revoked?.reason ?? '', /401/);
    assert.ok(!snapshot.find((key) => key.id === 'a1')?.revoked);
    assert.equal(fake.rateLimited, 0);
  });

  it('rides out a 429 storm (Gemini, limits tighter than the pool was told): every task served, the limit learnt after one burst', async () => {
    const windowMs = 1000;
    const list = keys('google', { g1: 'p1', g2: 'p1', g3: 'p2' });
    const fake = limits({ rpm: 20 }, windowMs, fakeGroups(list));
    gemini.auto({ limits: fake });
    const { pool, client } = rig({ keys: { google: list }, limits: { rpm: 1000 }, windowMs, endpoints: { google: gemini.url } });
    pools.push(pool);
    const tasks = 80;
    const results = await Promise.allSettled(Array.from({ length: tasks }, () => answer(client('google'))));
    const failed = results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason));
    assert.deepEqual(failed, [], 'every task answered');
    assert.equal(fake.served, tasks, 'nothing served twice');
    assert.ok(fake.rateLimited > 0, 'the fake did refuse');
    // The first burst is refused; after it the pool keeps to what got through, instead of
    // sending the whole queue again each time a cooldown ends (that made 200 and more).
    assert.ok(fake.rateLimited < tasks, `${fake.rateLimited} 429s for ${tasks} tasks`);
  });

  it('serves one provider while another is down (connection refused), failing those tasks at once', async () => {
    const windowMs = 400;
    const anthropicKeys = keys('anthropic', { a1: 'ga' });
    const openaiKeys = keys('openai', { o1: 'go' });
    anthropic.auto({ limits: limits({ rpm: 100 }, windowMs, fakeGroups(anthropicKeys)) });
    const downUrl = openai.baseUrl;
    await openai.close();
    const { pool, client } = rig({ keys: { anthropic: anthropicKeys, 'openai-compatible': openaiKeys }, limits: { rpm: 100 }, windowMs, endpoints: { anthropic: anthropic.url, 'openai-compatible': downUrl } });
    pools.push(pool);
    const [up, down] = await Promise.all([
      Promise.allSettled(Array.from({ length: 20 }, () => answer(client('anthropic')))),
      Promise.allSettled(Array.from({ length: 5 }, () => answer(client('openai-compatible')))),
    ]);
    assert.ok(up.every((result) => result.status === 'fulfilled' && result.value.text === 'ok'));
    assert.ok(down.every((result) => result.status === 'rejected' && isModelError(result.reason) && result.reason.kind === 'network'));
    const snapshot = await pool.snapshot(['anthropic', 'openai-compatible']);
    assert.ok(snapshot.every((key) => key.inFlight === 0), 'every lease settled');
    assert.ok(!snapshot.some((key) => key.revoked), 'a server down is not a bad key');
    openai = await startFakeOpenAiServer();
  });

  it('a stream cut after content is thrown as before (the retry layer decides), and the lease is settled', async () => {
    const list = keys('openai', { o1: 'go', o2: 'go' });
    openai.enqueue({ kind: 'answer', text: ['par', 'tial'], ending: 'destroy' });
    const { pool, client } = rig({ keys: { 'openai-compatible': list }, limits: { rpm: 100 }, windowMs: 1000, endpoints: { 'openai-compatible': openai.baseUrl } });
    pools.push(pool);
    await assert.rejects(answer(client('openai-compatible')), (error) => isModelError(error) && error.kind === 'stream-cut');
    assert.equal(openai.requests.length, 1, 'not sent again with another key: part of the answer was out');
    const snapshot = await pool.snapshot(['openai-compatible']);
    assert.deepEqual(snapshot.map((key) => key.inFlight), [0, 0]);
    assert.equal(snapshot.reduce((sum, key) => sum + key.today.requests, 0), 1);
  });

  it('a 429 before any answer cools that group and sends the request on with a key of another group', async () => {
    const list = keys('openai', { o1: 'g1', o2: 'g2' });
    openai.enqueue(
      { kind: 'error', status: 429, message: 'Rate limit reached', code: 'rate_limit_exceeded', headers: { 'retry-after-ms': '30000' } },
      { kind: 'answer', text: ['ok'], usage: { prompt_tokens: 8, completion_tokens: 2 } },
    );
    const notices: PoolRetryNotice[] = [];
    const { pool, client } = rig({ keys: { 'openai-compatible': list }, limits: {}, windowMs: 60_000, endpoints: { 'openai-compatible': openai.baseUrl }, onRetry: (notice) => notices.push(notice) });
    pools.push(pool);
    const result = await answer(client('openai-compatible'));
    assert.deepEqual(notices.map((notice) => [notice.attempt, notice.delayMs, notice.error.kind]), [[1, 30_000, 'rate-limited']], 'the retry is told, as the retry layer tells one');
    assert.equal(result.text, 'ok');
    const sentWith = openai.requests.map((recorded) => recorded.headers.authorization);
    assert.equal(sentWith.length, 2);
    assert.notEqual(sentWith[0], sentWith[1], 'the second try used the other key');
    assert.equal(result.events.filter((event) => event.type === 'route').length, 2, 'each key tried says where the request went');
    const snapshot = await pool.snapshot(['openai-compatible']);
    const cooled = snapshot.filter((key) => key.cooldownUntil !== undefined);
    assert.equal(cooled.length, 1, 'one group cools down, for the 30 s the server asked');
    assert.ok((cooled[0]?.cooldownUntil ?? 0) - Date.now() > 25_000);
  });

  it('a cancelled request releases its place and its lease', async () => {
    const list = keys('openai', { o1: 'go' });
    const { pool, client } = rig({ keys: { 'openai-compatible': list }, limits: { rpm: 1 }, windowMs: 60_000, endpoints: { 'openai-compatible': openai.baseUrl } });
    pools.push(pool);
    openai.enqueue({ kind: 'answer', text: ['ok'], usage: { prompt_tokens: 8, completion_tokens: 2 } });
    await answer(client('openai-compatible'));
    const abort = new AbortController();
    const waiting = answer(client('openai-compatible'), abort.signal);
    await waitUntil(() => pool.waiting() === 1, 'the second request never queued for the key');
    abort.abort();
    await assert.rejects(waiting, (error) => isModelError(error) && error.kind === 'cancelled');
    assert.equal(pool.waiting(), 0);
    assert.equal(openai.requests.length, 1, 'the cancelled request was never sent');
  });
});
