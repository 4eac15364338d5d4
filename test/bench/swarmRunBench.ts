// The swarm's cost figures of `npm run bench`. First the plan (plain Node, no model asked): a
// typical spec set of mixed complexity routed by planSwarmRun over the built-in registry with
// every keyed provider ready, its estimate against every spec on the top tier (swarmCostLine).
// Then a measured run through the real engine, real copies and real verifications, on the
// built-in Anthropic models with fake Coders that answer the same tokens whichever model they
// play, one spec failing on its cheap tier and escalated: what the report says was spent, against
// the same tokens at the top tier's price (swarmSpentLine), beside the estimate.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { builtInRegistry } from '../../src/core/models/builtInRegistry.js';
import type { ModelClient } from '../../src/core/models/modelClient.js';
import type { ModelRegistry, ModelTier } from '../../src/core/models/registry.js';
import { priceTable } from '../../src/core/models/registry.js';
import type { RoleSnapshot } from '../../src/core/workflow/roleSnapshot.js';
import type { SwarmSpec } from '../../src/core/workflow/swarmPlan.js';
import { planSwarmRun, swarmCostLine } from '../../src/core/workflow/swarmPlan.js';
import { NodeIsolatedCopies } from '../../src/node/isolatedCopies.js';
import { createEngine, demoClient, demoRoles, sampleWorkspace, waitForPhase } from '../unit/support/engineHarness.js';
import { constantCoder, constantSpecs } from './constantSpecs.js';

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

/** The measured run's specs: one of each tier but the top; CS-M2 fails on its cheap tier. */
const measured: readonly [string, ModelTier][] = [['CS-M1', 'trivial'], ['CS-M2', 'simple'], ['CS-M3', 'medium'], ['CS-M4', 'complex']];
/** Per Coder answer, whichever model plays it: a tool turn re-reads the conversation. */
const TURN_USAGE = { inputTokens: 6000, outputTokens: 800, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 };

/** The report's two cost lines after a real swarm run over the built-in Anthropic models. */
async function measuredSwarm(): Promise<string[]> {
  const registry: ModelRegistry = { ...builtInRegistry, models: builtInRegistry.models.filter((model) => model.provider === 'anthropic') };
  const ready: RoleSnapshot[] = registry.models.filter((model) => model.tier !== undefined).map((model) => ({ provider: model.provider, modelId: model.id, displayName: model.displayName, thinking: 'none', isDemo: false }));
  const root = await sampleWorkspace();
  const base = await fs.mkdtemp(path.join(tmpdir(), 'dm-swarm-bench-'));
  try {
    const answer = constantSpecs(measured.map(([id, complexity]) => ({ id, complexity })));
    const architect: ModelClient = {
      info: demoClient(demoRoles.architect).info,
      async *stream(request, signal) {
        if (request.purpose !== 'spec') return yield* demoClient(demoRoles.architect).stream(request, signal);
        yield { type: 'text', text: answer };
        yield { type: 'done', stopReason: 'end' };
      },
    };
    const { engine, store } = createEngine({
      workspaceRoot: root,
      copies: new NodeIsolatedCopies(root, base),
      prices: priceTable(registry),
      registry: () => registry,
      swarmModels: async () => ready,
      clientFor: (role) => (role.modelId === 'demo-architect' ? architect : role.provider === 'anthropic' ? constantCoder(role, { usage: TURN_USAGE, breaks: (id, coder) => id === 'CS-M2' && coder.modelId.startsWith('claude-haiku') }) : demoClient(role)),
    });
    const run = await engine.start({ request: 'bench', roles: demoRoles, mode: { mode: 'swarm' } });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect', 120_000);
    const report = await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8');
    await engine.dispose();
    return [...report.split('\n').filter((line) => /^\*\*Routed:\*\*|^Cost:|^Spent:/.test(line))];
  } finally {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(base, { recursive: true, force: true });
  }
}

export async function swarmRunFigures(): Promise<void> {
  console.log('\n## A swarm run: the routed plan against every spec on the top tier (built-in registry, estimate, no model asked)');
  const available = [...new Set(builtInRegistry.models.filter((model) => model.tier !== undefined && model.provider !== 'demo').map((model) => model.provider))];
  const specs: SwarmSpec[] = tasks.map(([complexity, text], index) => ({ specId: `CS-${index + 1}`, text, complexity, maxTokens: 8000 }));
  const plan = planSwarmRun(specs, builtInRegistry, available);
  for (const spec of plan.specs) console.log(`${spec.specId.padEnd(6)} ${spec.routing.ok ? `${spec.routing.route.tier.padEnd(8)} → ${spec.routing.route.model.displayName}` : spec.routing.error}`);
  console.log(`providers: ${available.join(', ')}`);
  console.log(swarmCostLine(plan));

  console.log('\n## A swarm run, measured: 4 specs (trivial … complex) on the built-in Anthropic models, real engine, copies and verifications; fake Coders answering 6000 in / 800 out tokens a turn whatever the model; CS-M2 fails on its cheap tier');
  for (const line of await measuredSwarm()) console.log(line.replace(/\*\*/g, ''));
}
