// One model registry: what each model is (provider, name, tier, context, prices, capabilities,
// default limits, retirement), as data, dated, with the user's entries laid over the built-ins
// (builtInRegistry.ts holds the data). The run panel's costs, the roles' validation, the cost
// estimate, the spend caps and the swarm's routing all read it.
import type { DailyReset, QuotaLimits } from '../keyvault/quota.js';

export type ProviderId = 'demo' | 'anthropic' | 'google' | 'openai-compatible' | 'vscode-lm';

export const providerNames: Record<ProviderId, string> = {
  demo: 'Demo (offline replay)',
  anthropic: 'Anthropic',
  google: 'Google Gemini',
  'openai-compatible': 'OpenAI-compatible',
  'vscode-lm': 'VS Code language models',
};

/** The seed's complexity tiers, easiest first. */
export const modelTiers = ['trivial', 'simple', 'medium', 'complex', 'expert'] as const;
export type ModelTier = (typeof modelTiers)[number];

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Thinking tokens; absent means billed as output, as every provider here does today. */
  reasoning?: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface ModelCapabilities {
  tools: boolean;
  thinking: boolean;
  /** Structured (JSON) output on request. */
  json: boolean;
}

/** Limits for one quota group (a Google Cloud project, an organisation), and which plan they are. */
export interface DefaultLimits {
  /** e.g. "Google AI Studio free tier", "your settings". */
  plan: string;
  limits: QuotaLimits;
}

export interface ModelEntry {
  provider: ProviderId;
  id: string;
  displayName: string;
  /**
   * The hardest tier the model is meant for; it also serves the easier tiers down to the next
   * cheaper model's (the seed's table: flash-lite simple, 3-flash medium, pro expert). Absent:
   * never chosen by the swarm's routing (demo models, a custom model nobody tiered).
   */
  tier?: ModelTier;
  /** Input tokens the model reads at most; absent when not published or not known. */
  contextWindow?: number;
  /** Output tokens per answer at most (thinking included). */
  maxOutput?: number;
  /** Absent: no price is known, and costs say so rather than guess. */
  price?: ModelPrice;
  capabilities: ModelCapabilities;
  /** Default limits per quota group; absent when no published figure fits (see builtInRegistry.ts). */
  limits?: DefaultLimits;
  /** When the provider's daily counters start again. */
  dailyReset?: DailyReset;
  /** Retired models stay listed so a setting naming one fails with the successor's name. */
  retired?: { on: string; successor?: string };
}

export interface ModelRegistry {
  /** When the built-in figures were taken from the providers' published pages. */
  date: string;
  models: readonly ModelEntry[];
  /**
   * Prices from dualModel.prices for ids no entry lists (a VS Code or local model), known by id
   * alone as that setting always has been.
   */
  pricesById: Readonly<Record<string, ModelPrice>>;
}

export function findModel(models: readonly ModelEntry[], provider: string, id: string): ModelEntry | undefined {
  return models.find((model) => model.provider === provider && model.id === id);
}

/** The model's price, or undefined when none is known (never a guess). */
export function modelPrice(registry: ModelRegistry, provider: string, id: string): ModelPrice | undefined {
  return findModel(registry.models, provider, id)?.price ?? registry.pricesById[id];
}

/** Prices by model id, for the run's usage (run.json records a model by id). */
export function priceTable(registry: ModelRegistry): Record<string, ModelPrice> {
  const table: Record<string, ModelPrice> = { ...registry.pricesById };
  // The first entry of an id wins, as findModel finds it.
  for (const model of [...registry.models].reverse()) if (model.price) table[model.id] = model.price;
  return table;
}

/** A model's default limits per quota group ({} when none: the scheduler then enforces none). */
export function limitsFor(registry: ModelRegistry, provider: string, id: string): QuotaLimits {
  return findModel(registry.models, provider, id)?.limits?.limits ?? {};
}

/** When a provider's daily counters reset: the model's own, else UTC. */
export function dailyResetFor(registry: ModelRegistry, provider: string, id: string): DailyReset {
  return findModel(registry.models, provider, id)?.dailyReset ?? { timeZone: 'UTC' };
}

export function tierIndex(tier: ModelTier): number {
  return modelTiers.indexOf(tier);
}
