// Where each swarm task goes: its tier (the caller's `complexity`, else the classifier's), then
// the cheapest model adequate for that tier among the providers the user has keys for, or the
// exact model the caller named. Escalation moves a failed task one tier up, to a different
// model; at the top (expert) there is nowhere to go, and the failure stands. The same plan
// priced as if every task ran on the top tier is what the swarm's report compares against.
import type { FanOutEstimate, FanOutRequest } from './costEstimate.js';
import { estimateFanOut } from './costEstimate.js';
import type { ModelEntry, ModelRegistry, ModelTier } from './registry.js';
import { modelTiers, tierIndex } from './registry.js';
import { classifyComplexity } from './taskComplexity.js';

export interface SwarmTask {
  prompt: string;
  label?: string;
  /** The caller's tier; the classifier is not asked. */
  complexity?: ModelTier;
  /** The caller's exact model id; routing only checks it can be served. */
  model?: string;
  system?: string;
  maxTokens?: number;
}

export interface Route {
  model: ModelEntry;
  tier: ModelTier;
  /** How the tier and model were chosen, for the report. */
  why: string;
}

export type Routing = { ok: true; route: Route } | { ok: false; tier: ModelTier; error: string };

/** The tier above, or undefined at expert: there is no escalation from the top. */
export function nextTier(tier: ModelTier): ModelTier | undefined {
  return modelTiers[tierIndex(tier) + 1];
}

/**
 * Models that may be routed to: tiered, not retired, of an available provider. Cheapest first by
 * input + output price per million; a model with no price comes after every priced one (its cost
 * is unknown, not zero); ties keep the registry's order.
 */
function candidates(registry: ModelRegistry, available: readonly string[]): ModelEntry[] {
  const usable = registry.models.filter((model) => model.tier !== undefined && !model.retired && available.includes(model.provider));
  const rate = (model: ModelEntry): number => (model.price ? model.price.input + model.price.output : Number.POSITIVE_INFINITY);
  return usable.map((model, order) => ({ model, order })).sort((a, b) => rate(a.model) - rate(b.model) || a.order - b.order).map(({ model }) => model);
}

/** The cheapest model whose tier reaches this one, among the available providers. */
export function cheapestFor(tier: ModelTier, registry: ModelRegistry, available: readonly string[]): ModelEntry | undefined {
  return candidates(registry, available).find((model) => model.tier !== undefined && tierIndex(model.tier) >= tierIndex(tier));
}

export function routeTask(task: SwarmTask, registry: ModelRegistry, available: readonly string[]): Routing {
  const classified = task.complexity === undefined ? classifyComplexity(task.prompt) : undefined;
  const tier = task.complexity ?? classified?.tier ?? 'medium';
  const tierWhy = classified ? `classified ${tier} (${classified.why})` : `complexity ${tier} as given`;
  if (task.model !== undefined) return namedModel(task.model, tier, tierWhy, registry, available);
  const model = cheapestFor(tier, registry, available);
  if (!model) {
    const providers = available.length > 0 ? available.join(', ') : 'none';
    return { ok: false, tier, error: `no model for a ${tier} task among the providers with keys (${providers}); add a key, or give the task a model` };
  }
  return { ok: true, route: { model, tier, why: `${tierWhy}; cheapest adequate: ${model.id}` } };
}

function namedModel(id: string, tier: ModelTier, tierWhy: string, registry: ModelRegistry, available: readonly string[]): Routing {
  const listed = registry.models.filter((model) => model.id === id);
  if (listed.length === 0) return { ok: false, tier, error: `unknown model "${id}"; kv.modelRegistry lists the known ones` };
  const model = listed.find((entry) => available.includes(entry.provider));
  if (!model) return { ok: false, tier, error: `no key for ${listed.map((entry) => entry.provider).join(' or ')}, which serves "${id}"` };
  if (model.retired) {
    const successor = model.retired.successor ? `; use its successor "${model.retired.successor}"` : '';
    return { ok: false, tier, error: `"${id}" was retired on ${model.retired.on}${successor}` };
  }
  return { ok: true, route: { model, tier, why: `${tierWhy}; model ${id} as given` } };
}

/**
 * The route one tier up for a task whose answer was empty, refused or invalid: the cheapest
 * adequate model that is not the one that failed (tiers are skipped while they would pick the
 * same model). Undefined at the top, or when no other model is available: the failure stands.
 */
export function escalate(failed: Route, registry: ModelRegistry, available: readonly string[]): Route | undefined {
  for (let tier = nextTier(failed.tier); tier !== undefined; tier = nextTier(tier)) {
    const model = cheapestFor(tier, registry, available);
    if (model && !(model.provider === failed.model.provider && model.id === failed.model.id)) {
      return { model, tier, why: `escalated from ${failed.tier} (${failed.model.id}) to ${tier}: ${model.id}` };
    }
  }
  return undefined;
}

export interface SwarmPlan {
  routes: Routing[];
  /** The routed tasks, as they will be sent. */
  estimate: FanOutEstimate;
  /** The same tasks all on the cheapest expert model; undefined when none is available. */
  allTopTier: FanOutEstimate | undefined;
  topTierModel: ModelEntry | undefined;
}

export function planSwarm(tasks: readonly SwarmTask[], registry: ModelRegistry, available: readonly string[]): SwarmPlan {
  const routes = tasks.map((task) => routeTask(task, registry, available));
  const request = (task: SwarmTask, model: ModelEntry): FanOutRequest => ({
    provider: model.provider,
    model: model.id,
    ...(task.system !== undefined ? { system: task.system } : {}),
    messages: [{ role: 'user', content: task.prompt }],
    ...(task.maxTokens !== undefined ? { maxTokens: task.maxTokens } : {}),
  });
  const routed = tasks.flatMap((task, index) => {
    const routing = routes[index];
    return routing?.ok ? [request(task, routing.route.model)] : [];
  });
  const topTierModel = cheapestFor('expert', registry, available);
  return {
    routes,
    estimate: estimateFanOut(routed, registry),
    allTopTier: topTierModel ? estimateFanOut(tasks.map((task) => request(task, topTierModel)), registry) : undefined,
    topTierModel,
  };
}
