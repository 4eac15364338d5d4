// Which limits the key pool keeps for a quota group. The registry's built-in limits are one
// published plan's (Gemini's AI Studio free tier): held to them, a paid project would stop at
// 100 requests a day. So each group is on a plan: "learn" (the default: no limits of ours, the
// pool learns from the provider's headers and 429s) or "published" (the registry's figures).
// The user's own numbers in dualModel.modelRegistry apply whatever the plan.
import type { ModelRegistry } from '../models/registry.js';
import { findModel } from '../models/registry.js';
import { userLimitsPlan } from '../models/registryOverlay.js';
import type { KeyProvider } from './apiKeys.js';
import { defaultDailyReset } from './dailyReset.js';
import type { DailyReset, QuotaLimits } from './quota.js';

export type QuotaPlan = 'learn' | 'published';

/** A group's plan as kept per machine; absent: learn. */
export type PlanOf = (provider: KeyProvider, group: string) => QuotaPlan;

export function planLimits(registry: ModelRegistry, planOf: PlanOf, provider: KeyProvider, model: string, group: string): QuotaLimits {
  const limits = findModel(registry.models, provider, model)?.limits;
  if (limits === undefined) return {};
  if (limits.plan === userLimitsPlan) return limits.limits;
  return planOf(provider, group) === 'published' ? limits.limits : {};
}

/** The published plans the registry lists for a provider, e.g. ["Google AI Studio free tier (seed table)"]. */
export function publishedPlans(registry: ModelRegistry, provider: KeyProvider): string[] {
  const names = registry.models.filter((model) => model.provider === provider && model.limits !== undefined && model.limits.plan !== userLimitsPlan).map((model) => model.limits?.plan ?? '');
  return [...new Set(names)];
}

/** A provider's daily reset: the first of its models the registry gives one for, else the provider's own. */
export function providerDailyReset(registry: ModelRegistry, provider: KeyProvider): DailyReset {
  return registry.models.find((model) => model.provider === provider && model.dailyReset !== undefined)?.dailyReset ?? defaultDailyReset(provider);
}

/** A plan in words, for the Keys view and the pickers. */
export function describePlan(registry: ModelRegistry, provider: KeyProvider, plan: QuotaPlan): string {
  if (plan === 'learn') return 'learn from the provider';
  return publishedPlans(registry, provider).join(', ') || 'no published plan';
}
