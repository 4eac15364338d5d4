// The key vault's `clientFor` over the fake providers, for tests and the bench: for each provider
// and model a pooled client whose leases each get the real SDK client for that key, pointed at
// the fake server, made once per key and model. What the extension's ModelClientFactory does,
// without VS Code.
import type { KeyProvider } from '../../src/core/keyvault/apiKeys.js';
import type { KeyPool } from '../../src/core/keyvault/keyPool.js';
import { pooledModelClient } from '../../src/core/keyvault/pooledModelClient.js';
import type { ModelClient } from '../../src/core/models/modelClient.js';
import type { ModelEntry } from '../../src/core/models/registry.js';
import { createAnthropicClient } from '../../src/providers/anthropic/anthropicModelClient.js';
import { createGeminiClient } from '../../src/providers/google/geminiModelClient.js';

export interface FakeProviderUrls {
  anthropic?: string;
  google?: string;
}

export function pooledClientsOverFakes(
  pool: KeyPool,
  urls: FakeProviderUrls,
  options: { requestTimeoutMs: number; estimateTokens?: () => number },
): (provider: KeyProvider, model: ModelEntry) => ModelClient {
  const clients = new Map<string, ModelClient>();
  return (provider, model) =>
    pooledModelClient({
      pool,
      provider,
      info: { provider, modelId: model.id, displayName: model.displayName, isDemo: false },
      host: 'fake',
      clientFor: (key) => {
        const name = `${provider}:${model.id}:${key.id}`;
        let client = clients.get(name);
        if (!client) {
          const common = { apiKey: key.key, modelId: model.id, displayName: model.displayName, requestTimeoutMs: options.requestTimeoutMs };
          if (provider === 'anthropic' && urls.anthropic) client = createAnthropicClient({ ...common, baseUrl: urls.anthropic });
          else if (provider === 'google' && urls.google) client = createGeminiClient({ ...common, baseUrl: urls.google });
          else throw new Error(`No fake server for ${provider} in this test.`);
          clients.set(name, client);
        }
        return client;
      },
      ...(options.estimateTokens ? { estimateTokens: options.estimateTokens } : {}),
    });
}
