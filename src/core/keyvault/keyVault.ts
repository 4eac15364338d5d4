// The key vault behind the kv.* methods and the OpenAI face: the key pool, the model registry
// (read on every call: settings change), a pooled client per model, and the spend ledger whose
// caps are kept before anything is sent. Knows keys only to count them and to hand the faces
// the texts they must redact; no answer carries one.
import type { KeyProvider } from './apiKeys.js';
import { keyProviders } from './apiKeys.js';
import type { KeyPool } from './keyPool.js';
import { KeyVaultError } from './kvProtocol.js';
import type {
  ActiveModelsAnswer,
  GenerateResult,
  KeyVaultService,
  ModelRegistryAnswer,
  ParallelGenerateAnswer,
  ParallelGenerateParams,
  PoolChatRequest,
  PoolModel,
  SwarmGenerateAnswer,
  SwarmGenerateParams,
} from './kvProtocol.js';
import type { GenerationDeps, PoolCall, PooledClientFor } from './poolGeneration.js';
import { reserveAll, runPoolCall, streamPoolCall } from './poolGeneration.js';
import { swarmGenerate } from './swarmGeneration.js';
import type { ModelEvent, TokenUsage } from '../models/modelClient.js';
import type { ModelEntry, ModelRegistry } from '../models/registry.js';
import { findModel } from '../models/registry.js';
import { modelRegistryAnswer } from '../models/registryAnswer.js';
import type { RetryPolicy } from '../models/retry.js';
import { defaultRetryPolicy } from '../models/retry.js';
import type { SpendLedger } from '../models/spendLedger.js';

export interface KeyVaultOptions {
  pool: () => KeyPool;
  registry: () => ModelRegistry;
  clientFor: PooledClientFor;
  ledger: SpendLedger;
  /** Every key text of every provider (KeyRing.knownSecrets). */
  secrets: () => Promise<readonly string[]>;
  retryPolicy?: RetryPolicy;
  /** Milliseconds since the epoch, for the secrets cache. */
  now?: () => number;
  /** How long the known secrets are reused before being read again. Default 2 s. */
  secretsMaxAgeMs?: number;
}

export class KeyVault implements KeyVaultService {
  private secretsCache: { at: number; texts: Promise<readonly string[]> } | undefined;
  private calls = 0;

  constructor(private readonly options: KeyVaultOptions) {}

  /** Providers with at least one key in use (not revoked), how many, and their models in service. */
  async activeModels(): Promise<ActiveModelsAnswer> {
    const counts = await this.activeKeyCounts();
    const registry = this.options.registry();
    const providers = [...counts].map(([provider, activeKeys]) => ({
      provider,
      active_keys: activeKeys,
      models: registry.models.filter((model) => model.provider === provider && !model.retired).map((model) => model.id),
    }));
    return { providers, total_active_keys: providers.reduce((sum, entry) => sum + entry.active_keys, 0) };
  }

  async modelRegistry(): Promise<ModelRegistryAnswer> {
    const answer = modelRegistryAnswer(this.options.registry());
    // Spread into plain objects: the wire schema is open to fields the registry adds later.
    return { dated: answer.dated, models: answer.models.map((model) => ({ ...model })) };
  }

  async parallelGenerate(params: ParallelGenerateParams, signal: AbortSignal): Promise<ParallelGenerateAnswer> {
    const registry = this.options.registry();
    const available = await this.availableProviders();
    const resolved = params.requests.map((request) => resolveModel(request.provider, request.model, registry, available));
    const calls = params.requests.flatMap((request, index): { index: number; call: PoolCall }[] => {
      const model = resolved[index];
      if (!model?.ok) return [];
      const call: PoolCall = {
        model: model.entry,
        ...(request.system_prompt !== undefined ? { system: request.system_prompt } : {}),
        messages: request.messages,
        ...(request.max_tokens !== undefined ? { maxTokens: request.max_tokens } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      };
      return [{ index, call }];
    });
    if (calls.length === 0) {
      const first = resolved[0];
      throw first && !first.ok ? first.error : new KeyVaultError('bad-request', 'No request to send.');
    }
    const runId = this.runId('parallel', params.caller);
    const holds = await reserveAll(this.options.ledger, runId, calls.map(({ call }) => call), registry);
    const deps = this.deps(registry);
    const results: GenerateResult[] = resolved.map((model, index) => {
      const request = params.requests[index];
      const error = model && !model.ok ? model.error : new KeyVaultError('bad-request', 'not sent');
      return { ok: false, error: { code: error.kind, message: error.message, ...(request ? { provider: request.provider, model: request.model } : {}) } };
    });
    await Promise.all(
      calls.map(async ({ index, call }, order) => {
        const hold = holds[order];
        if (!hold) return;
        const outcome = await runPoolCall(call, hold, deps, signal);
        const where = { provider: call.model.provider, model: call.model.id };
        results[index] = outcome.ok
          ? { ok: true, response: { text: outcome.text, ...where, usage: usageAnswer(outcome.usage), ...(outcome.costUsd !== undefined ? { cost_usd: outcome.costUsd } : {}) } }
          : { ok: false, error: { ...outcome.failure, ...where } };
      }),
    );
    return { results };
  }

  async swarmGenerate(params: SwarmGenerateParams, signal: AbortSignal): Promise<SwarmGenerateAnswer> {
    const registry = this.options.registry();
    return swarmGenerate(params, await this.availableProviders(), this.runId('swarm', params.caller), this.deps(registry), signal);
  }

  async *chat(request: PoolChatRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const registry = this.options.registry();
    const available = await this.availableProviders();
    const model = request.provider !== undefined ? resolveModel(request.provider, request.model, registry, available) : resolveById(request.model, registry, available);
    if (!model.ok) throw model.error;
    const call: PoolCall = { model: model.entry, ...(request.system !== undefined ? { system: request.system } : {}), messages: request.messages, ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}), ...(request.temperature !== undefined ? { temperature: request.temperature } : {}) };
    const [hold] = await reserveAll(this.options.ledger, this.runId('chat', request.caller), [call], registry);
    if (!hold) throw new KeyVaultError('bad-request', 'Nothing was reserved for the call.');
    yield* streamPoolCall(call, hold, this.deps(registry), signal);
  }

  async listModels(): Promise<PoolModel[]> {
    const available: readonly string[] = await this.availableProviders();
    return this.options.registry()
      .models.filter((model) => available.includes(model.provider) && !model.retired)
      .map((model) => ({ id: model.id, provider: model.provider }));
  }

  /** Read again after a short while, so a key just added is redacted too. */
  knownSecrets(): Promise<readonly string[]> {
    const now = (this.options.now ?? Date.now)();
    const maxAge = this.options.secretsMaxAgeMs ?? 2_000;
    if (!this.secretsCache || now - this.secretsCache.at > maxAge) {
      const texts = this.options.secrets();
      this.secretsCache = { at: now, texts };
      // A failed read is not kept: the next answer asks again.
      texts.catch(() => {
        if (this.secretsCache?.texts === texts) this.secretsCache = undefined;
      });
    }
    return this.secretsCache.texts;
  }

  /** Forgets the cached key texts (a key was added or removed). */
  forgetSecrets(): void {
    this.secretsCache = undefined;
  }

  private deps(registry: ModelRegistry): GenerationDeps {
    return { registry, clientFor: this.options.clientFor, ledger: this.options.ledger, retryPolicy: this.options.retryPolicy ?? defaultRetryPolicy };
  }

  /** Each kv call is its own run for the per-run cap; the day cap sees them all. */
  private runId(kind: string, caller: string | undefined): string {
    this.calls += 1;
    return `kv-${kind}-${this.calls}${caller ? `-${caller.slice(0, 40)}` : ''}`;
  }

  private async activeKeyCounts(): Promise<Map<KeyProvider, number>> {
    const snapshot = await this.options.pool().snapshot(keyProviders);
    const counts = new Map<KeyProvider, number>();
    for (const key of snapshot) if (!key.revoked) counts.set(key.provider, (counts.get(key.provider) ?? 0) + 1);
    return counts;
  }

  private async availableProviders(): Promise<KeyProvider[]> {
    return [...(await this.activeKeyCounts()).keys()];
  }
}

type Resolved = { ok: true; entry: ModelEntry } | { ok: false; error: KeyVaultError };

function resolveModel(provider: string, id: string, registry: ModelRegistry, available: readonly string[]): Resolved {
  const entry = findModel(registry.models, provider, id);
  if (!entry) return { ok: false, error: new KeyVaultError('unknown-model', `Unknown model "${id}" for provider "${provider}"; kv.modelRegistry lists the known ones.`) };
  if (entry.retired) {
    const successor = entry.retired.successor ? `; use its successor "${entry.retired.successor}"` : '';
    return { ok: false, error: new KeyVaultError('unknown-model', `"${id}" was retired on ${entry.retired.on}${successor}.`) };
  }
  if (!available.includes(provider)) return { ok: false, error: new KeyVaultError('no-key', `No usable ${provider} key (none stored, or all refused): add one with "Dual-Model: Manage API Keys".`) };
  return { ok: true, entry };
}

/** A model named by id alone (the OpenAI face): the first provider with keys that serves it. */
function resolveById(id: string, registry: ModelRegistry, available: readonly string[]): Resolved {
  const listed = registry.models.filter((model) => model.id === id);
  if (listed.length === 0) return { ok: false, error: new KeyVaultError('unknown-model', `Unknown model "${id}"; GET /v1/models lists the ones served.`) };
  const served = listed.find((model) => available.includes(model.provider)) ?? listed[0];
  return served ? resolveModel(served.provider, id, registry, available) : { ok: false, error: new KeyVaultError('unknown-model', `Unknown model "${id}".`) };
}

function usageAnswer(usage: TokenUsage): { input_tokens: number; output_tokens: number; reasoning_tokens?: number; cached_tokens?: number } {
  return {
    input_tokens: usage.inputTokens + usage.cacheWriteTokens,
    output_tokens: usage.outputTokens,
    ...(usage.thinkingTokens > 0 ? { reasoning_tokens: usage.thinkingTokens } : {}),
    ...(usage.cacheReadTokens > 0 ? { cached_tokens: usage.cacheReadTokens } : {}),
  };
}
