// The key vault whole, in plain Node: JSON-RPC and the OpenAI face → the real KeyVault → the
// real key pool → the real provider clients (@google/genai, the Anthropic SDK) → the fake
// provider servers in auto mode. A canary key is among the keys sent: it must appear in no
// answer, no log line and no error.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { KeyProvider, UsableKey } from '../../../src/core/keyvault/apiKeys.js';
import { KeyPool } from '../../../src/core/keyvault/keyPool.js';
import { KeyVault } from '../../../src/core/keyvault/keyVault.js';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import type { SpendCaps } from '../../../src/core/models/spendCaps.js';
import { SpendLedger, type SpendRecord } from '../../../src/core/models/spendLedger.js';
import { startKvServer, type KvServer } from '../../../src/rpc/kvServer.js';
import { RpcToken } from '../../../src/rpc/rpcToken.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../fakes/anthropicServer.js';
import { FakeLimits } from '../../fakes/fakeLimits.js';
import { startFakeGeminiServer, type FakeGeminiServer } from '../../fakes/geminiServer.js';
import { pooledClientsOverFakes } from '../../support/pooledFakeClients.js';
import { waitUntil, within } from '../../support/waitUntil.js';
import { json, rpc } from '../rpc/rpcClient.js';

const CANARY = 'AIzaSy-VAULT-CANARY-0123456789abcdefGHIJ';
const googleKeys: UsableKey[] = [
  { id: 'g1', key: CANARY, label: 'canary' },
  { id: 'g2', key: 'AIzaSy-second-google-key-000000000000' },
];
const anthropicKeys: UsableKey[] = [{ id: 'a1', key: 'sk-ant-api03-only-anthropic-key-0000000000' }];

interface RpcAnswer {
  result?: Record<string, unknown> & { results?: Record<string, unknown>[] };
  error?: { code: number; message: string };
}

describe('the key vault over the fake providers', function () {
  this.timeout(30_000);
  let gemini: FakeGeminiServer;
  let anthropic: FakeAnthropicServer;
  let pool: KeyPool;
  let vault: KeyVault;
  let server: KvServer;
  let token: string;
  let caps: SpendCaps;
  let record: SpendRecord | undefined;
  let geminiLimits: FakeLimits;
  let anthropicLimits: FakeLimits;
  const logLines: string[] = [];
  const seen: string[] = [];

  const call = async (method: string, params: unknown, withToken = true): Promise<RpcAnswer> => {
    const reply = await rpc(server.port, { jsonrpc: '2.0', method, params, id: 1 }, withToken ? { authorization: `Bearer ${token}` } : {});
    seen.push(reply.text);
    return json(reply) as RpcAnswer;
  };

  beforeEach(async () => {
    [gemini, anthropic] = await Promise.all([startFakeGeminiServer(), startFakeAnthropicServer()]);
    geminiLimits = new FakeLimits({ groups: {}, limits: { default: { rpm: 1000 } }, windowMs: 60_000, tokensPerRequest: 10 });
    anthropicLimits = new FakeLimits({ groups: {}, limits: { default: { rpm: 1000 } }, windowMs: 60_000, tokensPerRequest: 10 });
    gemini.auto({ limits: geminiLimits, text: 'gemini says hi' });
    anthropic.auto({ limits: anthropicLimits, text: 'claude says hi' });
    const keys: Partial<Record<KeyProvider, UsableKey[]>> = { google: googleKeys, anthropic: anthropicKeys };
    pool = new KeyPool({ keys: (provider) => keys[provider] ?? [], limitsFor: () => ({}), defaultCooldownMs: 20 });
    caps = {};
    record = undefined;
    const ledger = new SpendLedger({ read: async () => record && structuredClone(record), write: async (next) => void (record = structuredClone(next)) }, () => caps, { now: () => new Date() });
    const clientFor = pooledClientsOverFakes(pool, { anthropic: anthropic.url, google: gemini.url }, { requestTimeoutMs: 10_000 });
    vault = new KeyVault({
      pool: () => pool,
      registry: () => builtInRegistry,
      clientFor,
      ledger,
      secrets: async () => [...googleKeys, ...anthropicKeys].map((key) => key.key),
      retryPolicy: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    });
    let stored: string | undefined;
    const rpcToken = new RpcToken({ get: async () => stored, store: async (value) => void (stored = value) });
    token = await rpcToken.current();
    logLines.length = 0;
    seen.length = 0;
    server = await startKvServer({ service: vault, token: rpcToken, log: { info: (line) => logLines.push(line), warn: (line) => logLines.push(line) } });
  });

  afterEach(async () => {
    await server.close();
    pool.dispose();
    await Promise.all([gemini.close(), anthropic.close()]);
    for (const text of [...seen, ...logLines]) assert.ok(!text.includes(CANARY), `the canary key got out: ${text.slice(0, 300)}`);
  });

  it('counts the active keys per provider and shows no key', async () => {
    const answer = await call('kv.activeModels', {}, false);
    const providers = answer.result?.providers as { provider: string; active_keys: number; models: string[] }[];
    assert.deepEqual(providers.map((entry) => [entry.provider, entry.active_keys]).sort(), [['anthropic', 1], ['google', 2]]);
    assert.equal(answer.result?.total_active_keys, 3);
    const google = providers.find((entry) => entry.provider === 'google');
    assert.ok(google?.models.includes('gemini-3-flash-preview'));
    assert.ok(!google?.models.includes('gemini-3-pro-preview'), 'a retired model is not offered');
    assert.ok(!seen.join('').includes('second-google-key'));
  });

  it("answers the seed's parallelGenerate (today's ids) with usage and cost from the registry", async () => {
    const answer = await call('kv.parallelGenerate', {
      caller: 'seed-example',
      requests: [
        { provider: 'google', model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: 'Write a Rust fn that adds two numbers' }], max_tokens: 1024 },
        { provider: 'anthropic', model: 'claude-sonnet-4-6', system_prompt: 'You are terse.', messages: [{ role: 'user', content: 'Explain ownership' }], max_tokens: 1024 },
      ],
    });
    const results = answer.result?.results as { ok: boolean; response: { text: string; model: string; provider: string; usage: { input_tokens: number; output_tokens: number }; cost_usd: number } }[];
    assert.equal(results.length, 2);
    assert.deepEqual(results.map((result) => [result.ok, result.response.provider, result.response.model, result.response.text]), [
      [true, 'google', 'gemini-3-flash-preview', 'gemini says hi'],
      [true, 'anthropic', 'claude-sonnet-4-6', 'claude says hi'],
    ]);
    // The fakes bill 8 in, 2 out: Sonnet at $3 / $15 per million.
    assert.deepEqual(results[1]?.response.usage, { input_tokens: 8, output_tokens: 2 });
    assert.ok(Math.abs((results[1]?.response.cost_usd ?? 0) - (8 * 3 + 2 * 15) / 1e6) < 1e-12);
    assert.equal(gemini.requests.length + anthropic.requests.length, 2, 'each request sent once');
    const spent = Object.values(record?.days ?? {}).reduce((sum, micro) => sum + micro, 0);
    assert.ok(spent > 0, 'the spend was settled');
  });

  it('keeps the other answers when one provider refuses its only key', async () => {
    anthropicLimits.revoke(anthropicKeys[0]?.key ?? '');
    const answer = await call('kv.parallelGenerate', {
      requests: [
        { provider: 'google', model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'one' }], max_tokens: 64 },
        { provider: 'anthropic', model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'two' }], max_tokens: 64 },
        { provider: 'google', model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: 'three' }], max_tokens: 64 },
        { provider: 'google', model: 'no-such-model', messages: [{ role: 'user', content: 'four' }], max_tokens: 64 },
      ],
    });
    const results = answer.result?.results as { ok: boolean; error?: { code: string; message: string; provider: string } }[];
    assert.deepEqual(results.map((result) => result.ok), [true, false, true, false]);
    assert.equal(results[1]?.error?.provider, 'anthropic');
    assert.match(results[1]?.error?.code ?? '', /auth|no-key/);
    assert.equal(results[3]?.error?.code, 'unknown-model');
    const after = await call('kv.activeModels', {}, false);
    assert.ok(!(after.result?.providers as { provider: string }[]).some((entry) => entry.provider === 'anthropic'), 'the refused key no longer counts');
  });

  it('refuses a fan-out whole when it would cross a cap: the providers receive nothing', async () => {
    caps = { perDayUsd: 0.01 };
    const answer = await call('kv.parallelGenerate', {
      requests: [
        { provider: 'google', model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'cheap' }], max_tokens: 100 },
        { provider: 'anthropic', model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'dear' }], max_tokens: 64_000 },
      ],
    });
    assert.equal(answer.error?.code, -32010, JSON.stringify(answer));
    assert.match(answer.error?.message ?? '', /cap per day/);
    assert.equal(gemini.requests.length + anthropic.requests.length, 0, 'nothing was sent');
    assert.equal(record, undefined, 'nothing was spent');
    // Within the cap, the same ledger lets a call through: nothing was left held.
    const cheap = await call('kv.parallelGenerate', { requests: [{ provider: 'google', model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'cheap' }], max_tokens: 100 }] });
    assert.equal((cheap.result?.results?.[0] as { ok: boolean }).ok, true);
  });

  it('routes a swarm of ten with overrides, and escalates a task whose answer was empty', async () => {
    // Flash-Lite answers nothing: its tasks go one tier up.
    gemini.auto({ limits: geminiLimits, text: 'gemini says hi', textFor: (model) => (model === 'gemini-2.5-flash-lite' ? '' : undefined) });
    const tasks = [
      { label: 'derive', prompt: 'Add derive(Serialize) to the Config struct', complexity: 'trivial' },
      { label: 'pool', prompt: 'Implement the connection pool with async retry logic', system_prompt: 'You are a Rust expert.', temperature: 0.1, max_tokens: 16384 },
      { label: 'haiku', prompt: 'Write a helper that checks a flag', model: 'claude-haiku-4-5' },
      { label: 'sonnet', prompt: 'Rename a variable', model: 'claude-sonnet-4-6' },
      { label: 'medium', prompt: 'Refactor the parser', complexity: 'medium' },
      { label: 'expert', prompt: 'Design a consensus protocol', complexity: 'expert' },
      { label: 'typo', prompt: 'Fix the typo in the log message' },
      { label: 'retired', prompt: 'Anything', model: 'gemini-3-pro-preview' },
      { label: 'unknown', prompt: 'Anything', model: 'no-such-model' },
      { label: 'simple', prompt: 'Add a getter', complexity: 'simple', max_tokens: 256 },
    ];
    const answer = await call('kv.swarmGenerate', { caller: 'swarm-test', tasks });
    const results = answer.result?.results as { label: string; model: string; complexity: string; ok: boolean; text?: string; escalated?: boolean; costUsd?: number; error?: { message: string } }[];
    const byLabel = new Map(results.map((result) => [result.label, result]));
    assert.deepEqual(results.map((result) => result.label), tasks.map((task) => task.label), 'in the order asked');
    assert.deepEqual(answer.result?.summary, { total: 10, succeeded: 8, failed: 2 });
    const derive = byLabel.get('derive');
    assert.equal(derive?.complexity, 'trivial');
    assert.equal(derive?.escalated, true, 'the empty answer went one tier up');
    assert.equal(derive?.model, 'gemini-3-flash-preview');
    assert.equal(derive?.text, 'gemini says hi');
    assert.equal(byLabel.get('haiku')?.model, 'claude-haiku-4-5');
    assert.equal(byLabel.get('haiku')?.text, 'claude says hi');
    assert.equal(byLabel.get('sonnet')?.model, 'claude-sonnet-4-6');
    assert.equal(byLabel.get('expert')?.model, 'gemini-3.1-pro-preview');
    assert.equal(byLabel.get('medium')?.escalated, undefined);
    assert.match(byLabel.get('retired')?.error?.message ?? '', /retired.*gemini-3\.1-pro-preview/);
    assert.match(byLabel.get('unknown')?.error?.message ?? '', /unknown model/);
    assert.ok((derive?.costUsd ?? 0) > 0, 'both attempts are in its cost');
    const flashLite = gemini.requests.filter((request) => request.model === 'gemini-2.5-flash-lite').length;
    assert.ok(flashLite >= 2, `the trivial tasks went to Flash-Lite first (${flashLite})`);
    // The seed's default temperature (0.2) for tasks that name none; a task's own wins.
    const temperatures = gemini.requests.map((request) => (request.body as { generationConfig?: { temperature?: number } }).generationConfig?.temperature);
    assert.ok(temperatures.length > 0 && temperatures.every((value) => value === 0.2 || value === 0.1), `temperatures sent: ${JSON.stringify(temperatures)}`);
    assert.ok(temperatures.includes(0.1), "the pool task's own 0.1 reached the provider");
  });

  it('holds each escalation before it is sent: one that would cross the cap is not sent, and says why', async () => {
    gemini.auto({ limits: geminiLimits, textFor: (model) => (model === 'gemini-2.5-flash-lite' ? '' : 'answered') });
    // Room for Flash-Lite's 100 tokens, not for 3 Flash's.
    caps = { perDayUsd: 0.0001 };
    const answer = await call('kv.swarmGenerate', { tasks: [{ label: 'only', prompt: 'Add a getter', complexity: 'simple', max_tokens: 100 }] });
    const [result] = answer.result?.results as { ok: boolean; model: string; error?: { code: string; message: string } }[];
    assert.equal(result?.ok, false);
    assert.equal(result?.error?.code, 'cap-exceeded', JSON.stringify(result));
    assert.deepEqual(gemini.requests.map((request) => request.model), ['gemini-2.5-flash-lite'], 'the escalation was never sent');
  });

  it('refuses an OpenAI-face call over the cap with 402, before the provider hears of it', async () => {
    caps = { perDayUsd: 0.01 };
    const client = new OpenAI({ apiKey: token, baseURL: `${server.url}/v1`, maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hello' }], max_tokens: 64_000 }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 402);
      return true;
    });
    assert.equal(anthropic.requests.length, 0);
  });

  it('cancels every request in flight when the caller hangs up: the providers see the connections close', async () => {
    gemini.auto(undefined);
    anthropic.auto(undefined);
    gemini.enqueue({ kind: 'hang' }, { kind: 'hang' });
    anthropic.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = fetch(`${server.url}/rpc`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'kv.parallelGenerate',
        params: {
          requests: [
            { provider: 'google', model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'a' }], max_tokens: 64 },
            { provider: 'google', model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: 'b' }], max_tokens: 64 },
            { provider: 'anthropic', model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'c' }], max_tokens: 64 },
          ],
        },
      }),
    }).catch((error: unknown) => error);
    await waitUntil(() => gemini.requests.length === 2 && anthropic.requests.length === 1, 'the three requests never reached the providers');
    controller.abort();
    await within(pending, 'the aborted call never settled');
    await waitUntil(() => gemini.hangUps() === 2 && anthropic.hangUps() === 1, () => `the providers saw ${gemini.hangUps()} + ${anthropic.hangUps()} connections close, not 3`);
    await waitUntil(async () => (await pool.snapshot(['google', 'anthropic'])).every((key) => key.inFlight === 0), 'a lease was left in flight');
  });

  it('serves the OpenAI face through the real openai SDK on the real vault', async () => {
    const client = new OpenAI({ apiKey: token, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    assert.ok(models.includes('claude-sonnet-4-6') && models.includes('gemini-2.5-flash-lite'));
    const whole = await client.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hello' }], max_tokens: 100 });
    assert.equal(whole.choices[0]?.message.content, 'claude says hi');
    const stream = await client.chat.completions.create({ model: 'gemini-3-flash-preview', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello' }], max_tokens: 100, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'gemini says hi');
    seen.push(JSON.stringify(whole), text);
  });
});
