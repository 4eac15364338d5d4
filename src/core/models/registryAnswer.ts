// The answer to kv.modelRegistry: every model the registry lists, in the seed's snake_case wire
// names (kvProtocol.ts's ModelRegistryAnswerSchema), with the date of the built-in figures. A
// figure nobody published is left out rather than guessed: no `prices` means no price is known
// (never free), no `limits` means none are enforced.
import type { ModelEntry, ModelRegistry, ModelTier } from './registry.js';

export interface RegistryModelAnswer {
  id: string;
  provider: string;
  display_name: string;
  tier?: ModelTier;
  context_window?: number;
  max_output_tokens?: number;
  /** US$ per million tokens; `cached` is a cache read. Thinking is billed as output unless `reasoning` differs. */
  prices?: { input: number; output: number; reasoning: number; cached: number; cache_write: number };
  capabilities: { tools: boolean; thinking: boolean; json: boolean };
  /** Per quota group (a Google Cloud project, an organisation), and which plan the figures are. */
  limits?: { plan: string; rpm?: number; tpm?: number; rpd?: number };
  daily_reset_time_zone: string;
  retired?: { on: string; successor?: string };
}

export interface RegistryAnswer {
  /** When the built-in figures were taken from the providers' pages (the user's entries are over them). */
  dated: string;
  models: RegistryModelAnswer[];
}

export function modelRegistryAnswer(registry: ModelRegistry): RegistryAnswer {
  return { dated: registry.date, models: registry.models.map(modelAnswer) };
}

function modelAnswer(model: ModelEntry): RegistryModelAnswer {
  const { price, limits } = model;
  return {
    id: model.id,
    provider: model.provider,
    display_name: model.displayName,
    ...(model.tier !== undefined ? { tier: model.tier } : {}),
    ...(model.contextWindow !== undefined ? { context_window: model.contextWindow } : {}),
    ...(model.maxOutput !== undefined ? { max_output_tokens: model.maxOutput } : {}),
    ...(price ? { prices: { input: price.input, output: price.output, reasoning: price.reasoning ?? price.output, cached: price.cacheRead, cache_write: price.cacheWrite } } : {}),
    capabilities: { ...model.capabilities },
    ...(limits ? { limits: { plan: limits.plan, ...limits.limits } } : {}),
    daily_reset_time_zone: model.dailyReset?.timeZone ?? 'UTC',
    ...(model.retired ? { retired: { ...model.retired } } : {}),
  };
}
