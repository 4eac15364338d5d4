// A real provider's model on the key ring: each request reads the keys from SecretStorage once,
// not once to see that there are some and again for the pool to pick one. Counted through a
// secret store that counts its reads, with the real pool and the real Anthropic client against
// the fake server.
import assert from 'node:assert/strict';
import type { SecretStore } from '../../../src/core/keyvault/apiKeys.js';
import { KeyRing } from '../../../src/core/keyvault/apiKeys.js';
import { KeyPool } from '../../../src/core/keyvault/keyPool.js';
import type { ModelRequest } from '../../../src/core/models/modelClient.js';
import { createAnthropicClient } from '../../../src/providers/anthropic/anthropicModelClient.js';
import { keyRingClient } from '../../../src/vscode/keyRingClient.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../fakes/anthropicServer.js';

/** SecretStorage's contract (a string per name), counting each read. */
class CountingSecrets implements SecretStore {
  readonly values = new Map<string, string>();
  reads = 0;
  async get(name: string): Promise<string | undefined> {
    this.reads += 1;
    return this.values.get(name);
  }
  async store(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }
  async delete(name: string): Promise<void> {
    this.values.delete(name);
  }
}

const request: ModelRequest = { purpose: 'question', system: '', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], thinking: 'none', maxOutputTokens: 100 };

describe('a model on the key ring’s keys', () => {
  let server: FakeAnthropicServer;
  let pool: KeyPool | undefined;
  beforeEach(async () => {
    server = await startFakeAnthropicServer();
  });
  afterEach(async () => {
    pool?.dispose();
    await server.close();
  });

  it('reads the keys from SecretStorage once per request', async () => {
    const secrets = new CountingSecrets();
    let ids = 0;
    const ring = new KeyRing(secrets, {}, () => new Date(), () => `k${++ids}`);
    await ring.add('anthropic', 'sk-ant-fake-000000000000000a', 'first');
    await ring.add('anthropic', 'sk-ant-fake-000000000000000b', 'second');
    // As the extension makes it (keyPoolService.ts): the pool asks the ring for keys.
    const keyPool = new KeyPool({ keys: (provider) => ring.usable(provider), limitsFor: () => ({}) });
    pool = keyPool;
    const client = keyRingClient({
      provider: 'anthropic',
      info: { provider: 'anthropic', modelId: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', isDemo: false },
      keys: (provider) => ring.usable(provider),
      pool: () => keyPool,
      baseUrl: async () => server.url,
      requestTimeoutMs: () => 15_000,
      createClient: createAnthropicClient,
      onRetry: () => undefined,
    });
    server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'one' }] }, { kind: 'answer', blocks: [{ type: 'text', text: 'two' }] });
    for (const expected of ['one', 'two']) {
      secrets.reads = 0;
      let text = '';
      for await (const event of client.stream(request, new AbortController().signal)) if (event.type === 'text') text += event.text;
      assert.equal(text, expected);
      assert.equal(secrets.reads, 1, 'one read of the keys for the request');
    }
    assert.equal(server.requests.length, 2);
  });
});
