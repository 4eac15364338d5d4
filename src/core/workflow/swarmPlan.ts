// A swarm run's plan, over the routing kv.swarmGenerate already uses (models/swarmRouting.ts):
// each spec to the cheapest model adequate for its tier among the providers with keys, a failed
// spec one tier up to a different model, and the plan priced against every spec on the top
// tier. One difference from kv.swarmGenerate: here each spec is a Coder's work, done through
// tools, so a model that cannot call them is never chosen.
import type { CodeSpec, CodeSpecFile } from '../artifacts/codeSpec.js';
import { costOf } from '../models/cost.js';
import type { FanOutEstimate } from '../models/costEstimate.js';
import type { ModelEntry, ModelRegistry, ModelTier } from '../models/registry.js';
import { findModel, modelTiers } from '../models/registry.js';
import type { Route, Routing } from '../models/swarmRouting.js';
import { escalate, planSwarm } from '../models/swarmRouting.js';
import type { ModelCall } from './runRecord.js';

export interface SwarmSpec {
  specId: string;
  /** What the classifier reads: complexityText(spec). */
  text: string;
  /** The spec's own tier, when it gives one; the classifier is then not asked. */
  complexity?: ModelTier;
  maxTokens?: number;
}

export interface SwarmSpecRoute {
  specId: string;
  routing: Routing;
  /** The routes a failed spec climbs, one tier at a time; empty at the top. */
  ladder: Route[];
}

export interface SwarmRunPlan {
  specs: SwarmSpecRoute[];
  /** The routed specs, each asked once on its route. */
  estimate: FanOutEstimate;
  /** The same specs all on the cheapest top-tier Coder; undefined when none has a key. */
  allTopTier: FanOutEstimate | undefined;
  topTierModel: ModelEntry | undefined;
}

/** The models that can work as a Coder: the Coder reads and changes files through tools. */
function coders(registry: ModelRegistry): ModelRegistry {
  return { ...registry, models: registry.models.filter((model) => model.capabilities.tools) };
}

/**
 * The words that say how hard a spec is: its title, objective and what it does to each file. The
 * rest of the format (test checklist, guardrails, verification, context) is the same boilerplate
 * in every spec, or says what not to touch, and would only mislead the classifier.
 */
export function complexityText(spec: CodeSpec): string {
  return [spec.title, spec.objective, ...spec.files.map(fileWords)].join('\n');
}

function fileWords(file: CodeSpecFile): string {
  const head = `[${file.action}] ${file.path}`;
  switch (file.action) {
    case 'MODIFY':
      return `${head}${file.function !== undefined ? ` ${file.function}` : ''}: ${file.change}`;
    case 'NEW':
      return `${head}: ${file.purpose}\n${file.contents.join('\n')}`;
    case 'DELETE':
      return `${head}: ${file.reason}`;
    default: {
      const unknown: never = file;
      throw new Error(`unknown file action in ${JSON.stringify(unknown)}`);
    }
  }
}

/** A spec as the swarm routes it: its own **Complexity:** when it gives one, else what it asks. */
export function swarmSpecOf(spec: CodeSpec): SwarmSpec {
  return { specId: spec.specId, text: complexityText(spec), ...(spec.complexity !== undefined ? { complexity: spec.complexity } : {}) };
}

/** The route one tier up for a spec whose Coder failed; undefined at the top (the failure stands). */
export function nextRoute(failed: Route, registry: ModelRegistry, available: readonly string[]): Route | undefined {
  return escalate(failed, coders(registry), available);
}

export function planSwarmRun(specs: readonly SwarmSpec[], registry: ModelRegistry, available: readonly string[]): SwarmRunPlan {
  const usable = coders(registry);
  const plan = planSwarm(
    specs.map((spec) => ({
      prompt: spec.text,
      label: spec.specId,
      ...(spec.complexity !== undefined ? { complexity: spec.complexity } : {}),
      ...(spec.maxTokens !== undefined ? { maxTokens: spec.maxTokens } : {}),
    })),
    usable,
    available,
  );
  return {
    specs: specs.map((spec, index) => {
      const routing = plan.routes[index] ?? { ok: false, tier: 'medium', error: 'not routed' };
      return { specId: spec.specId, routing, ladder: routing.ok ? ladder(routing.route, usable, available) : [] };
    }),
    estimate: plan.estimate,
    allTopTier: plan.allTopTier,
    topTierModel: plan.topTierModel,
  };
}

function ladder(first: Route, usable: ModelRegistry, available: readonly string[]): Route[] {
  const steps: Route[] = [];
  // Each step is at least one tier up, so the ladder is never longer than the tiers.
  for (let route = escalate(first, usable, available); route && steps.length < modelTiers.length; route = escalate(route, usable, available)) steps.push(route);
  return steps;
}

/** A spec's route as the report shows it, with the steps it climbed after failing. */
export function routingWords(route: Route, escalations: readonly Route[] = []): string {
  return `${route.tier} → ${route.model.id} (${route.why})${escalations.map((step) => `; failed, escalated to ${step.tier} → ${step.model.id}`).join('')}`;
}

/** Swarm costs are often fractions of a cent: four decimals below a dollar, so they compare. */
const usd = (amount: number): string => `$${amount.toFixed(amount >= 1 ? 2 : 4)}`;

/** The cost line of the HARD STOP and the report: the plan's estimate against all on the top tier. */
export function swarmCostLine(plan: SwarmRunPlan): string {
  const routed = plan.specs.filter((spec) => spec.routing.ok).length;
  if (routed === 0) {
    const first = plan.specs[0]?.routing;
    return `Cost: no spec could be routed${first && !first.ok ? ` (${first.error})` : ''}.`;
  }
  const { estimate, allTopTier } = plan;
  const priced = estimate.requests.filter((request) => request.cost.priced).length;
  const missing = estimate.unpriced.length ? `, plus ${estimate.requests.length - priced} with no price (${estimate.unpriced.join(', ')})` : '';
  const left = priced === 0 ? `no price for ${estimate.unpriced.join(', ')}, so no estimate` : `about ${usd(estimate.likelyUsd)} estimated for ${routed} routed spec${routed === 1 ? '' : 's'}${missing}`;
  const topPriced = allTopTier?.requests.some((request) => request.cost.priced) === true;
  let right: string;
  if (!allTopTier || !plan.topTierModel) right = 'no model of the top tier has a key to compare against';
  else if (!topPriced) right = 'no model of the top tier has a price to compare against';
  else {
    right = `against about ${usd(allTopTier.likelyUsd)} with every spec on the top tier (${plan.topTierModel.displayName})`;
    // A share of a sum that leaves unpriced specs out would mislead.
    if (priced > 0 && estimate.unpriced.length === 0 && allTopTier.likelyUsd > 0) {
      const saved = Math.round((1 - estimate.likelyUsd / allTopTier.likelyUsd) * 100);
      right += saved >= 0 ? `: ${saved}% less` : `: ${-saved}% more`;
    }
  }
  return `Cost: ${left}${priced === 0 ? '; ' : ', '}${right}.`;
}

/**
 * The report's measured line, beside the estimate: what the Coder phase's calls cost (escalated
 * attempts and the Architect's acceptances included), and what the Coders' same tokens would have
 * cost at the top-tier model's price. The estimate guesses one pass per spec; real Coders take
 * several turns, so only this compares what was spent with what the top tier would have charged.
 */
export function swarmSpentLine(plan: SwarmRunPlan, calls: readonly ModelCall[]): string {
  const spent = calls.reduce((sum, call) => sum + (call.costUsd ?? 0), 0);
  const unpriced = calls.filter((call) => call.costUsd === undefined).length;
  let line = `Spent: ${usd(spent)} on ${calls.length} call${calls.length === 1 ? '' : 's'}${unpriced ? `, ${unpriced} with no price` : ''}`;
  const top = plan.topTierModel;
  const coders = calls.filter((call) => call.purpose === 'implement');
  // A comparison that leaves unpriced calls out would flatter the swarm.
  if (top?.price && coders.length > 0 && unpriced === 0) {
    const price = top.price;
    const onTop = spent + coders.reduce((sum, call) => sum + costOf(top.provider, call.usage, price) - (call.costUsd ?? 0), 0);
    line += `; the Coders' same tokens at ${top.displayName}'s price: ${usd(onTop)}`;
    if (onTop > 0) {
      const saved = Math.round((1 - spent / onTop) * 100);
      line += `, so ${saved >= 0 ? `${saved}% less` : `${-saved}% more`}`;
    }
  }
  return `${line}.`;
}

/**
 * Before a swarm starts: the models it may route to, by tier, or why it cannot start. Said
 * before the Architect's call, so a swarm with no ready model costs nothing.
 */
export function swarmModelsLine(registry: ModelRegistry, ready: readonly { provider: string; modelId: string; displayName: string }[]): { ok: true; line: string } | { ok: false; error: string } {
  const tiered = ready.flatMap((role) => {
    const entry = findModel(registry.models, role.provider, role.modelId);
    return entry?.tier ? [{ name: role.displayName, tier: entry.tier }] : [];
  });
  if (tiered.length === 0) {
    return { ok: false, error: "A swarm routes each spec to a model of the registry whose provider is ready, and none is: add an API key (Dual-Model: Manage API Keys) or start the run in another mode. Nothing was sent." };
  }
  const byTier = modelTiers.flatMap((tier) => {
    const names = tiered.filter((model) => model.tier === tier).map((model) => model.name);
    return names.length ? [`${tier}: ${names.join(', ')}`] : [];
  });
  return { ok: true, line: `Swarm — ${byTier.join(' · ')}; each spec goes to the cheapest able to do it` };
}
