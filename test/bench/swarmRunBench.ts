// The swarm run's cost figure of `npm run bench` (plain Node, no model asked): a typical spec set
// of mixed complexity routed by planSwarmRun over the built-in registry with every keyed provider
// ready, its estimate against every spec on the top tier (swarmCostLine). An estimate from the
// specs' text and the answer's token cap: a real Coder's tool turns multiply both sides alike.
import { builtInRegistry } from '../../src/core/models/builtInRegistry.js';
import type { ModelTier } from '../../src/core/models/registry.js';
import type { SwarmSpec } from '../../src/core/workflow/swarmPlan.js';
import { planSwarmRun, swarmCostLine } from '../../src/core/workflow/swarmPlan.js';

/** A spec set as an Architect in swarm mode might write it for a small feature. */
const tasks: readonly [ModelTier, string][] = [
  ['trivial', 'Rename the constant MAX_ITEMS to MAX_ENTRIES in src/config.js'],
  ['trivial', 'Add a JSDoc line to the slugify helper'],
  ['simple', 'Add a getter isEmpty() to the Queue class in src/queue.js with a unit test'],
  ['simple', 'Add input validation to parsePort: reject non-integers and out-of-range ports'],
  ['simple', 'Write a unit test for formatDate covering leap years'],
  ['medium', 'Add pagination (limit, offset) to the /items endpoint and its client'],
  ['medium', 'Extract the retry logic of three HTTP callers into one retry helper with backoff'],
  ['complex', 'Replace the in-memory cache with an LRU cache that evicts by size, with concurrency-safe reads'],
  ['expert', 'Design a migration that splits the users table into accounts and profiles without downtime'],
];

export async function swarmRunFigures(): Promise<void> {
  console.log('\n## A swarm run: the routed plan against every spec on the top tier (built-in registry, estimate, no model asked)');
  const available = [...new Set(builtInRegistry.models.filter((model) => model.tier !== undefined && model.provider !== 'demo').map((model) => model.provider))];
  const specs: SwarmSpec[] = tasks.map(([complexity, text], index) => ({ specId: `CS-${index + 1}`, text, complexity, maxTokens: 8000 }));
  const plan = planSwarmRun(specs, builtInRegistry, available);
  for (const spec of plan.specs) console.log(`${spec.specId.padEnd(6)} ${spec.routing.ok ? `${spec.routing.route.tier.padEnd(8)} → ${spec.routing.route.model.displayName}` : spec.routing.error}`);
  console.log(`providers: ${available.join(', ')}`);
  console.log(swarmCostLine(plan));
}
