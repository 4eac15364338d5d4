// Phase 3 of a swarm: the division pass (divisionPass.ts) with each spec on the route the swarm's
// plan gives it (swarmPlan.ts) over the models the host says are ready, and a failed spec redone
// one tier up. The same plan, priced, is what the HARD STOP shows and the report's cost line says.
import type { ModelRegistry } from '../models/registry.js';
import type { Route } from '../models/swarmRouting.js';
import type { SpecAttempt, SpecCoders } from './divisionPass.js';
import { messageOf } from './errorMessage.js';
import type { EngineDeps } from './phaseContext.js';
import type { RoleSnapshot } from './roleSnapshot.js';
import type { SpecSet } from './specVersions.js';
import type { SwarmRunPlan } from './swarmPlan.js';
import { nextRoute, planSwarmRun, routingWords, swarmCostLine, swarmSpecOf, swarmSpentLine } from './swarmPlan.js';

export interface SwarmSetup {
  plan: SwarmRunPlan;
  /** The registry narrowed to the ready models, and their providers: what escalation may pick from. */
  registry: ModelRegistry;
  available: string[];
  roles: readonly RoleSnapshot[];
}

/** The swarm's plan for a spec set, over the ready models only; a spec no model can take fails it, naming why. */
export async function swarmSetup(deps: Pick<EngineDeps, 'registry' | 'swarmModels'>, set: SpecSet): Promise<SwarmSetup> {
  if (!deps.registry || !deps.swarmModels) throw new Error('A swarm needs the model registry and the ready models, and this window has neither; start the run in single-Coder mode.');
  const roles = await deps.swarmModels();
  const full = deps.registry();
  const ready = (provider: string, id: string): boolean => roles.some((role) => role.provider === provider && role.modelId === id);
  const registry: ModelRegistry = { ...full, models: full.models.filter((model) => ready(model.provider, model.id)) };
  const available = [...new Set(roles.map((role) => role.provider))];
  const plan = planSwarmRun(set.specs.map(swarmSpecOf), registry, available);
  const unrouted = plan.specs.flatMap((spec) => (spec.routing.ok ? [] : [`${spec.specId}: ${spec.routing.error}`]));
  if (unrouted.length) throw new Error(`The swarm cannot route every spec, so nothing ran: ${unrouted.join('; ')}.`);
  return { plan, registry, available, roles };
}

/** The ready role that codes on a route. */
function roleOnRoute(roles: readonly RoleSnapshot[], route: Route): RoleSnapshot | undefined {
  return roles.find((entry) => entry.provider === route.model.provider && entry.modelId === route.model.id);
}

/** The roles the plan sends its specs to first: the models Model Confirmed checks. */
export function firstRoutedRoles(setup: SwarmSetup): RoleSnapshot[] {
  return setup.plan.specs.flatMap(({ routing }) => {
    const role = routing.ok ? roleOnRoute(setup.roles, routing.route) : undefined;
    return role ? [role] : [];
  });
}

/** Who codes each spec in a swarm: its route, then one tier up while it fails. */
export function swarmCoders(setup: SwarmSetup, specIds: readonly string[]): SpecCoders {
  const { plan, registry, available, roles } = setup;
  const attemptOf = (route: Route): SpecAttempt => {
    const role = roleOnRoute(roles, route);
    if (!role) throw new Error(`The swarm routed to ${route.model.id}, which is not among the ready models.`);
    return { role, route };
  };
  return {
    mode: 'swarm',
    count: 1,
    first: (assignment) => {
      const routing = plan.specs.find((spec) => spec.specId === specIds[assignment.spec])?.routing;
      if (!routing?.ok) throw new Error(`The swarm has no route for ${specIds[assignment.spec] ?? `spec ${assignment.spec + 1}`}.`);
      return attemptOf(routing.route);
    },
    next: (failed) => {
      const route = failed.route && nextRoute(failed.route, registry, available);
      return route ? attemptOf(route) : undefined;
    },
    routing: (attempts) => {
      const [first, ...rest] = attempts.flatMap((attempt) => (attempt.route ? [attempt.route] : []));
      return first ? routingWords(first, rest) : '';
    },
    cost: (calls) => `${swarmCostLine(plan)}\n${swarmSpentLine(plan, calls)}`,
    architectAccepts: true,
  };
}

/** The swarm's plan as the HARD STOP before the Coder shows it: each spec's tier and model, then the estimate against all-top-tier. */
export async function swarmPlanLines(deps: Pick<EngineDeps, 'registry' | 'swarmModels'>, set: SpecSet): Promise<string[]> {
  try {
    const { plan } = await swarmSetup(deps, set);
    const routes = plan.specs.map((spec) => (spec.routing.ok ? `${spec.specId}: ${spec.routing.route.tier} → ${spec.routing.route.model.displayName}` : `${spec.specId}: ${spec.routing.error}`));
    return [...routes, swarmCostLine(plan)];
  } catch (error) {
    // Shown rather than thrown: the user reads why before confirming, and the pass fails the same way.
    return [messageOf(error)];
  }
}
