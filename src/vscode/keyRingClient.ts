// A real provider's model on the key ring's keys: each request on a key the pool leases, within
// its group's limits. Provider clients are built when first needed and kept per key, base URL and
// time limit (providers keep per-client state, such as Anthropic's thinking blocks). A local
// OpenAI-compatible server needs no key, and no pool. No `vscode` import: tested on plain Node.
import type { KeyProvider, UsableKey } from '../core/keyvault/apiKeys.js';
import type { KeyPool } from '../core/keyvault/keyPool.js';
import type { PoolRetryNotice } from '../core/keyvault/pooledModelClient.js';
import { pooledModelClient } from '../core/keyvault/pooledModelClient.js';
import { providerEndpoints } from '../core/models/endpoints.js';
import type { ModelClient, ModelEvent, ModelInfo, ModelRequest } from '../core/models/modelClient.js';
import { ModelError } from '../core/models/modelErrors.js';
import type { ProviderClientOptions } from '../providers/providerOptions.js';

export interface KeyRingClientOptions {
  provider: KeyProvider;
  info: ModelInfo;
  /** The keys a request may use (KeyRing.usable: a read of SecretStorage), read once per request. */
  keys: (provider: KeyProvider) => Promise<readonly UsableKey[]>;
  pool: () => KeyPool;
  /** Where the provider's next request goes (undefined: its own endpoint); may ask the user. */
  baseUrl: (provider: KeyProvider) => Promise<string | undefined>;
  requestTimeoutMs: () => number;
  /** The provider's own client for one key (its SDK, loaded on first use). */
  createClient: (options: ProviderClientOptions) => ModelClient;
  /** A refused attempt the pool asks again (another key, or after the cooldown). */
  onRetry: (notice: PoolRetryNotice) => void;
}

export function keyRingClient(options: KeyRingClientOptions): ModelClient {
  const { provider, info } = options;
  const built = new Map<string, ModelClient>();
  const clientFor = (key: UsableKey | undefined, baseUrl: string | undefined, requestTimeoutMs: number): ModelClient => {
    // The key's id, never its text, names the client.
    const signature = JSON.stringify([key?.id ?? '', baseUrl ?? '', requestTimeoutMs]);
    let client = built.get(signature);
    if (!client) {
      // Keys, base URLs or time limits that changed leave clients behind; a bound keeps it small.
      if (built.size >= 32) built.clear();
      client = options.createClient({ apiKey: key?.key ?? '', ...(baseUrl ? { baseUrl } : {}), modelId: info.modelId, displayName: info.displayName, requestTimeoutMs });
      built.set(signature, client);
    }
    return client;
  };
  return {
    info,
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      const baseUrl = await options.baseUrl(provider);
      const requestTimeoutMs = options.requestTimeoutMs();
      const host = hostOf(baseUrl ?? providerEndpoints[provider]);
      // Read once for the request: the pool leases from these rather than reading them again.
      const keys = await options.keys(provider);
      if (keys.length === 0) {
        if (!(provider === 'openai-compatible' && baseUrl)) {
          throw new ModelError('auth', `No ${provider} API key is configured. Run "Dual-Model: Manage API Keys".`, { provider });
        }
        yield { type: 'route', host };
        yield* clientFor(undefined, baseUrl, requestTimeoutMs).stream(request, signal);
        return;
      }
      yield* pooledModelClient({
        pool: options.pool(),
        provider,
        info,
        host,
        keys,
        clientFor: (key) => clientFor(key, baseUrl, requestTimeoutMs),
        onRetry: options.onRetry,
      }).stream(request, signal);
    },
  };
}

/** "api.anthropic.com", "127.0.0.1:8080": what the run shows as the host a call went to. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 200);
  }
}
