// Builds the ModelClient for a role: the offline demo, or a real provider loaded on first use
// from its own bundle (dist/providers/*.js), so the SDKs cost nothing at activation. Each real
// client gets the shared retry policy and the role's fallback model.
import * as path from 'node:path';
import type { KeyProvider, KeyRing } from '../core/keyvault/apiKeys.js';
import type { KeyPool } from '../core/keyvault/keyPool.js';
import { foreignHost } from '../core/models/endpoints.js';
import { atThinkingLevel, withFallback } from '../core/models/fallback.js';
import type { ModelClient } from '../core/models/modelClient.js';
import type { ModelError } from '../core/models/modelErrors.js';
import type { ModelRegistry } from '../core/models/registry.js';
import { defaultRetryPolicy, withRetries } from '../core/models/retry.js';
import { withSpendCaps } from '../core/models/spendCapped.js';
import type { SpendLedger } from '../core/models/spendLedger.js';
import type { RoleSnapshot } from '../core/workflow/roleSnapshot.js';
import type { ProviderClientOptions } from '../providers/providerOptions.js';
import { DemoModelClient } from '../providers/demo/demoModelClient.js';
import { keyRingClient } from './keyRingClient.js';
import { findLanguageModel, LanguageModelClient, languageModelMissing } from './languageModelClient.js';
import type { ProviderReadiness } from '../core/models/roles.js';

type ProviderModule = { createClient(options: ProviderClientOptions): ModelClient };

export interface ModelClientFactoryOptions {
  extensionPath: string;
  keys: KeyRing;
  /** The window's key pool: which key each request uses, within each group's limits. */
  pool: () => KeyPool;
  /** Where the provider's next request goes (undefined: its own endpoint); may ask the user. */
  baseUrl: (provider: KeyProvider) => Promise<string | undefined>;
  requestTimeoutMs: () => number;
  demoLatencyMs: () => number;
  /** Retries (info) and fall-overs (warning) are worth telling the user. */
  notify: (message: string, level: 'info' | 'warning') => void;
  /** What was spent on this machine, and the caps kept before each call. */
  spend: SpendLedger;
  registry: () => ModelRegistry;
}

const bundles: Record<KeyProvider, string> = { anthropic: 'anthropic.js', google: 'google.js', 'openai-compatible': 'openai.js' };
const loaded = new Map<KeyProvider, ProviderModule>();

function loadProvider(extensionPath: string, provider: KeyProvider): ProviderModule {
  let module = loaded.get(provider);
  if (!module) {
    // A runtime require of a separate bundle: esbuild leaves it alone, Node loads it on first use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
    module = require(path.join(extensionPath, 'dist', 'providers', bundles[provider])) as ProviderModule;
    loaded.set(provider, module);
  }
  return module;
}

export function isKeyProvider(provider: string): provider is KeyProvider {
  return provider in bundles;
}

export class ModelClientFactory {
  constructor(private readonly options: ModelClientFactoryOptions) {}

  /** Whether a real provider can serve a role now; otherwise why not, in words for the UI. */
  async ready(provider: string, modelId: string): Promise<ProviderReadiness> {
    if (provider === 'demo') return { ready: true };
    if (provider === 'vscode-lm') {
      const model = await findLanguageModel(modelId);
      return model ? { ready: true, displayName: `${model.name} (VS Code)` } : { ready: false, why: await languageModelMissing(modelId) };
    }
    if (!isKeyProvider(provider)) return { ready: false, why: `the ${provider} provider is not available in this version yet.` };
    if ((await this.options.keys.usable(provider)).length > 0) return { ready: true };
    if (provider === 'openai-compatible' && this.isLocal(await this.options.baseUrl(provider))) return { ready: true };
    return { ready: false, why: `no ${provider} API key is configured (run "Dual-Model: Manage API Keys", or set it in the environment).` };
  }

  /** The host a provider's requests go to when it is not the provider's own, for the panel. */
  async endpointHost(provider: string): Promise<string | undefined> {
    return isKeyProvider(provider) ? foreignHost(provider, await this.options.baseUrl(provider)) : undefined;
  }

  private isLocal(url: string | undefined): boolean {
    return !!url && /^https?:\/\/(localhost|127\.|\[::1\])/.test(url);
  }

  /** The machine's spend record: a fan-out's confirm shows what is left under today's cap. */
  get spend(): SpendLedger {
    return this.options.spend;
  }

  /** A run's client with the spending caps kept before each call (see spendCapped.ts). */
  withSpendCaps(runId: string, client: ModelClient): ModelClient {
    return withSpendCaps(client, { ledger: this.options.spend, runId, registry: this.options.registry });
  }

  clientFor(role: RoleSnapshot): ModelClient {
    if (role.provider === 'demo') {
      return new DemoModelClient({ provider: 'demo', modelId: role.modelId, displayName: role.displayName, isDemo: true }, this.options.demoLatencyMs, () => new Date());
    }
    const provider = role.provider;
    if (provider !== 'vscode-lm' && !isKeyProvider(provider)) throw new Error(`${role.displayName}: the ${provider} provider is not available in this version yet.`);
    const make = (modelId: string, displayName: string): ModelClient =>
      withRetries(provider === 'vscode-lm' ? new LanguageModelClient(modelId, displayName, this.options.requestTimeoutMs) : this.lazyClient(provider, modelId, displayName), defaultRetryPolicy, (notice) =>
        this.options.notify(retryMessage(displayName, notice), 'info'),
      );
    const primary = make(role.modelId, role.displayName);
    const fallback = role.fallback ? atThinkingLevel(make(role.fallback.modelId, role.fallback.displayName), role.fallback.thinking) : undefined;
    return withFallback(primary, fallback, (error, to) =>
      this.options.notify(`${role.displayName} kept failing (${error.kind}); continuing on the fallback model ${to.info.displayName}.`, 'warning'),
    );
  }

  /** A model on keys the pool leases, with no retries or fallback: the key vault adds its own. */
  pooledClient(provider: KeyProvider, modelId: string, displayName: string): ModelClient {
    return this.lazyClient(provider, modelId, displayName);
  }

  /** The real client: each request on a key the pool leases (see keyRingClient.ts). */
  private lazyClient(provider: KeyProvider, modelId: string, displayName: string): ModelClient {
    const options = this.options;
    return keyRingClient({
      provider,
      info: { provider, modelId, displayName, isDemo: false },
      keys: (asked) => options.keys.usable(asked),
      pool: options.pool,
      baseUrl: options.baseUrl,
      requestTimeoutMs: options.requestTimeoutMs,
      createClient: (clientOptions) => loadProvider(options.extensionPath, provider).createClient(clientOptions),
      // The pool asks again itself (another key, or after the cooldown): said as a retry is.
      onRetry: (notice) =>
        notice.error.kind === 'auth'
          ? options.notify(`${displayName}: the ${provider} key ${notice.key} was refused (${notice.error.message.split('\n')[0] ?? ''}); it stays out of use until it is added again. Going on with another key.`, 'warning')
          : options.notify(retryMessage(displayName, notice), 'info'),
    });
  }
}

/** What the user reads when a request is asked again: the refusal, and when. */
function retryMessage(displayName: string, notice: { attempt: number; delayMs: number; error: ModelError }): string {
  const delay = notice.delayMs < 1000 ? `${notice.delayMs} ms` : `${Math.ceil(notice.delayMs / 1000)} s`;
  return `${displayName}: ${notice.error.message.split('\n')[0] ?? ''} — retry ${notice.attempt} in ${delay}.`;
}
