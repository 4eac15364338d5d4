// The user's registry entries laid over the built-ins: a partial entry changes the model it
// names (by provider and id, or every provider's model of that id), and an entry with a
// provider and a new id adds a model. Validation of the raw setting is the settings layer's.
import type { DailyReset, QuotaLimits } from '../keyvault/quota.js';
import type { ModelCapabilities, ModelEntry, ModelPrice, ModelRegistry, ModelTier, ProviderId } from './registry.js';

export interface ModelEntryPatch {
  /** Absent: the patch changes every listed model with this id, and adds none. */
  provider?: ProviderId;
  id: string;
  displayName?: string;
  tier?: ModelTier;
  contextWindow?: number;
  maxOutput?: number;
  /** Replaces the price as a whole. */
  price?: ModelPrice;
  capabilities?: Partial<ModelCapabilities>;
  /** Replaces the default limits as a whole: the user's plan is not the default one. */
  limits?: QuotaLimits;
  dailyReset?: DailyReset;
}

export interface Overlaid {
  registry: ModelRegistry;
  /** Indexes of the patches that named no listed model and could not add one (no provider). */
  unmatched: number[];
}

/** The plan name of limits the user set: they apply whatever plan a quota group is on. */
export const userLimitsPlan = 'your settings (dualModel.modelRegistry)';

/** What a model added by the user can do until they say otherwise: what the roles need. */
const addedCapabilities: ModelCapabilities = { tools: true, thinking: true, json: false };

export function overlayRegistry(base: ModelRegistry, patches: readonly ModelEntryPatch[]): Overlaid {
  const models = [...base.models];
  const unmatched: number[] = [];
  patches.forEach((patch, index) => {
    const matches = (model: ModelEntry): boolean => model.id === patch.id && (patch.provider === undefined || model.provider === patch.provider);
    let found = false;
    models.forEach((model, at) => {
      if (!matches(model)) return;
      found = true;
      models[at] = applyPatch(model, patch);
    });
    if (found) return;
    if (patch.provider === undefined) unmatched.push(index);
    else models.push(applyPatch({ provider: patch.provider, id: patch.id, displayName: patch.id, capabilities: addedCapabilities }, patch));
  });
  return { registry: { ...base, models }, unmatched };
}

function applyPatch(model: ModelEntry, patch: ModelEntryPatch): ModelEntry {
  return {
    ...model,
    ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
    ...(patch.tier !== undefined ? { tier: patch.tier } : {}),
    ...(patch.contextWindow !== undefined ? { contextWindow: patch.contextWindow } : {}),
    ...(patch.maxOutput !== undefined ? { maxOutput: patch.maxOutput } : {}),
    ...(patch.price !== undefined ? { price: patch.price } : {}),
    ...(patch.capabilities !== undefined ? { capabilities: { ...model.capabilities, ...patch.capabilities } } : {}),
    ...(patch.limits !== undefined ? { limits: { plan: userLimitsPlan, limits: patch.limits } } : {}),
    ...(patch.dailyReset !== undefined ? { dailyReset: patch.dailyReset } : {}),
  };
}

/**
 * dualModel.prices, as it always worked: by model id alone. A price for an id no entry lists (a
 * VS Code or local model) is kept by id.
 */
export function overlayPrices(base: ModelRegistry, prices: Readonly<Record<string, ModelPrice>>): ModelRegistry {
  const entries = Object.entries(prices);
  const { registry, unmatched } = overlayRegistry(base, entries.map(([id, price]) => ({ id, price })));
  const pricesById = { ...registry.pricesById };
  for (const index of unmatched) {
    const entry = entries[index];
    if (entry) pricesById[entry[0]] = entry[1];
  }
  return { ...registry, pricesById };
}
