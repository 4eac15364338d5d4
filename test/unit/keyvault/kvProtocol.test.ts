// The kv.* wire shapes on their own: the seed's examples parse as given, the bounds hold at their
// edges, and an activeModels answer can carry nothing about a key whatever a service puts in it.
import assert from 'node:assert/strict';
import {
  ActiveModelsAnswerSchema,
  isKeyVaultError,
  KeyVaultError,
  kvLimits,
  ParallelGenerateParamsSchema,
  SwarmGenerateParamsSchema,
  SwarmResultSchema,
} from '../../../src/core/keyvault/kvProtocol.js';

const request = { provider: 'google', model: 'gemini-3-pro-exp-0312', messages: [{ role: 'user', content: '...code spec...' }], system_prompt: 'You are a Rust expert. Implement exactly as specified.', temperature: 0.2, max_tokens: 8192 };

describe('the kv.* protocol', () => {
  it("parses the seed's kv.parallelGenerate and kv.swarmGenerate params as given", () => {
    assert.ok(ParallelGenerateParamsSchema.safeParse({ caller: 'dual-model-orchestration', requests: [request, { ...request, provider: 'anthropic', model: 'claude-sonnet-4-20250514' }] }).success);
    assert.ok(
      SwarmGenerateParamsSchema.safeParse({
        tasks: [
          { prompt: 'Add derive(Serialize) to the Config struct', label: 'config-derive', complexity: 'trivial' },
          { prompt: 'Implement the connection pool with async retry logic', label: 'conn-pool', system_prompt: 'You are a Rust expert.', temperature: 0.1, max_tokens: 16384 },
        ],
      }).success,
    );
  });

  it('holds the bounds at their edges', () => {
    const requests = (count: number) => Array.from({ length: count }, () => request);
    assert.ok(ParallelGenerateParamsSchema.safeParse({ requests: requests(kvLimits.maxParallelRequests) }).success);
    assert.ok(!ParallelGenerateParamsSchema.safeParse({ requests: requests(kvLimits.maxParallelRequests + 1) }).success);
    assert.ok(!ParallelGenerateParamsSchema.safeParse({ requests: [] }).success);
    const long = (length: number) => ({ requests: [{ ...request, messages: [{ role: 'user', content: 'x'.repeat(length) }] }] });
    assert.ok(ParallelGenerateParamsSchema.safeParse(long(kvLimits.maxTextLength)).success);
    assert.ok(!ParallelGenerateParamsSchema.safeParse(long(kvLimits.maxTextLength + 1)).success);
    assert.ok(!ParallelGenerateParamsSchema.safeParse({ requests: [{ ...request, max_tokens: kvLimits.maxOutputTokens + 1 }] }).success);
    assert.ok(!ParallelGenerateParamsSchema.safeParse({ requests: [{ ...request, max_tokens: 0 }] }).success);
    assert.ok(!SwarmGenerateParamsSchema.safeParse({ tasks: Array.from({ length: kvLimits.maxSwarmTasks + 1 }, () => ({ prompt: 'x' })) }).success);
  });

  it('refuses what the seed does not know rather than ignoring it: a misspelt field, an unknown complexity', () => {
    assert.ok(!ParallelGenerateParamsSchema.safeParse({ requests: [{ ...request, max_token: 10 }] }).success);
    assert.ok(!SwarmGenerateParamsSchema.safeParse({ tasks: [{ prompt: 'x', complexity: 'hard' }] }).success);
    assert.ok(!SwarmGenerateParamsSchema.safeParse({ tasks: [{ prompt: '' }] }).success);
  });

  it('keeps an activeModels answer to counts and model ids, whatever the service adds', () => {
    const parsed = ActiveModelsAnswerSchema.parse({ providers: [{ provider: 'google', active_keys: 2, models: ['m'], keys: ['AIzaSy-secret'], hashes: ['ab12'] }], total_active_keys: 2, key: 'AIzaSy-secret' });
    assert.deepEqual(parsed, { providers: [{ provider: 'google', active_keys: 2, models: ['m'] }], total_active_keys: 2 });
  });

  it('a swarm result is text when ok and an error when not, never both missing', () => {
    assert.ok(SwarmResultSchema.safeParse({ model: 'm', complexity: 'medium', ok: true, text: 'done', escalated: true, costUsd: 0.001 }).success);
    assert.ok(SwarmResultSchema.safeParse({ model: 'm', complexity: 'medium', ok: false, error: { code: 'refused', message: 'empty answer twice' } }).success);
    assert.ok(!SwarmResultSchema.safeParse({ model: 'm', complexity: 'medium', ok: true }).success);
  });

  it('recognises its errors by shape, across bundles', () => {
    const copy = Object.assign(new Error('cap'), { name: 'KeyVaultError', kind: 'cap-exceeded' });
    assert.ok(isKeyVaultError(new KeyVaultError('no-key', 'none')));
    assert.ok(isKeyVaultError(copy));
    assert.ok(!isKeyVaultError(new Error('plain')));
  });
});
