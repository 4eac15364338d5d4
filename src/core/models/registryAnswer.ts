// The answer to kv.modelRegistry: every model the registry lists, in the seed's snake_case JSON,
// with the date of the built-in figures. Unknown figures are null, so a caller sees "no price"
// rather than a missing field it might read as free.
import type { ModelEntry, ModelRegistry, ModelTier } from './registry.js';

export interface RegistryModelAnswer {
  id: string;
  provider: string;
  display_name: string;
  tier: ModelTier | null;
  context_window: number | null;
  max_output: number | null;
  /** US$ per million tokens; reasoning is billed as output unless it has its own price. */
  prices: { input: number; output: number; reasoning: number; cached_read: number; cache_write: number } | null;
  capabilities: { tools: boolean; thinking: boolean; json: boolean };
  /** Per quota group (a Google Cloud project, an organisation); null figures are not enforced. */
  limits: { plan: string; rpm: number | null; tpm: number | null; rpd: number | null } | null;
  daily_reset_time_zone: string;
  retired: { on: string; successor: string | null } | null;
}

export interface ModelRegistryAnswer {
  /** When the built-in figures were taken from the providers' pages (the user's entries are over them). */
  date: string;
  models: RegistryModelAnswer[];
}

export function modelRegistryAnswer(registry: ModelRegistry): ModelRegistryAnswer {
  return { date: registry.date, models: registry.models.map(modelAnswer) };
}

function modelAnswer(model: ModelEntry): RegistryModelAnswer {
  const { price, limits } = model;
  return {
    id: model.id,
    provider: model.provider,
    display_name: model.displayName,
    tier: model.tier ?? null,
    context_window: model.contextWindow ?? null,
    max_output: model.maxOutput ?? null,
    prices: price
      ? { input: price.input, output: price.output, reasoning: price.reasoning ?? price.output, cached_read: price.cacheRead, cache_write: price.cacheWrite }
      : null,
    capabilities: { ...model.capabilities },
    limits: limits ? { plan: limits.plan, rpm: limits.limits.rpm ?? null, tpm: limits.limits.tpm ?? null, rpd: limits.limits.rpd ?? null } : null,
    daily_reset_time_zone: model.dailyReset?.timeZone ?? 'UTC',
    retired: model.retired ? { on: model.retired.on, successor: model.retired.successor ?? null } : null,
  };
}
