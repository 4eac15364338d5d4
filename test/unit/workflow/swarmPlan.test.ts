// A swarm run's plan: each spec to the cheapest model that can do its tier and can work as a
// Coder (it must call tools), among the providers with keys; the ladder a failed spec climbs; and
// what the plan costs against every spec on the top tier.
import assert from 'node:assert/strict';
import type { CodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import type { ModelTier } from '../../../src/core/models/registry.js';
import { overlayRegistry } from '../../../src/core/models/registryOverlay.js';
import type { ModelCall } from '../../../src/core/workflow/runRecord.js';
import { complexityText, nextRoute, planSwarmRun, routingWords, swarmCostLine, swarmSpecOf, swarmModelsLine, swarmSpentLine, type SwarmSpec } from '../../../src/core/workflow/swarmPlan.js';

const both = ['google', 'anthropic'];
const spec = (specId: string, text: string, complexity?: ModelTier): SwarmSpec => ({ specId, text, ...(complexity ? { complexity } : {}) });
const routedId = (plan: ReturnType<typeof planSwarmRun>, index: number): string | undefined => {
  const routing = plan.specs[index]?.routing;
  return routing?.ok ? routing.route.model.id : undefined;
};

const codeSpec = (objective: string, files: CodeSpec['files']): CodeSpec => ({
  title: 'T',
  specId: 'CS-1',
  architect: 'a',
  created: 'now',
  priority: 'P1',
  objective,
  files,
  tests: [{ name: 'unit tests for it', description: 'a simple flag', checked: false }],
  guardrails: ['Do not touch the architecture of the distributed consensus layer'],
  verification: { language: 'bash', command: 'npm test' },
  context: 'the protocol uses async retries',
});

describe("a swarm run's plan", () => {
  const table: { complexity: ModelTier; providers: string[]; model: string | undefined }[] = [
    { complexity: 'trivial', providers: both, model: 'gemini-2.5-flash-lite' },
    { complexity: 'simple', providers: both, model: 'gemini-2.5-flash-lite' },
    { complexity: 'medium', providers: both, model: 'gemini-3-flash-preview' },
    { complexity: 'complex', providers: both, model: 'gemini-3.1-pro-preview' },
    { complexity: 'expert', providers: both, model: 'gemini-3.1-pro-preview' },
    { complexity: 'trivial', providers: ['anthropic'], model: 'claude-haiku-4-5' },
    { complexity: 'expert', providers: ['anthropic'], model: 'claude-opus-4-6' },
    { complexity: 'medium', providers: [], model: undefined },
  ];
  for (const row of table) {
    it(`routes a ${row.complexity} spec with keys for ${row.providers.join(', ') || 'nothing'} to ${row.model ?? 'nothing'}`, () => {
      assert.equal(routedId(planSwarmRun([spec('CS-1', 'whatever', row.complexity)], builtInRegistry, row.providers), 0), row.model);
    });
  }

  it('never routes to a model that cannot call tools: a Coder works through them', () => {
    const cheap = overlayRegistry(builtInRegistry, [
      { provider: 'openai-compatible', id: 'chat-only', displayName: 'Chat Only', tier: 'expert', price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, capabilities: { tools: false } },
    ]).registry;
    const plan = planSwarmRun([spec('CS-1', 'x', 'expert')], cheap, ['google', 'openai-compatible']);
    assert.equal(routedId(plan, 0), 'gemini-3.1-pro-preview');
    const failed: ReturnType<typeof planSwarmRun>['specs'][number]['routing'] | undefined = planSwarmRun([spec('CS-1', 'x', 'expert')], cheap, ['openai-compatible']).specs[0]?.routing;
    assert.ok(failed && !failed.ok);
    assert.match(failed.error, /no model for a expert task/);
  });

  it("classifies a spec from its objective and files, not from the format's guardrails, verification or context", () => {
    const simple = complexityText(codeSpec('Fix the typo in the log message', [{ action: 'MODIFY', path: 'src/log.ts', change: 'Fix the spelling', constraints: [] }]));
    assert.doesNotMatch(simple, /consensus|async|npm test|unit tests/);
    const plan = planSwarmRun([spec('CS-1', simple), spec('CS-2', complexityText(codeSpec('Implement the connection pool with async retry logic', [{ action: 'NEW', path: 'src/pool.ts', purpose: 'the pool', contents: ['acquire()', 'release()'] }])))], builtInRegistry, both);
    assert.deepEqual(plan.specs.map((entry) => entry.routing.ok && entry.routing.route.tier), ['trivial', 'complex']);
    assert.match(plan.specs[1]?.routing.ok ? plan.specs[1].routing.route.why : '', /^classified complex \(markers: implement, connection pool\)/);
  });

  it("honours the spec's own complexity over the classifier", () => {
    const plan = planSwarmRun([spec('CS-1', 'Implement the connection pool with async retry logic', 'trivial')], builtInRegistry, both);
    assert.equal(routedId(plan, 0), 'gemini-2.5-flash-lite');
    const hard = codeSpec('Implement the connection pool with async retry logic', [{ action: 'NEW', path: 'src/pool.ts', purpose: 'the pool', contents: ['acquire()'] }]);
    assert.equal(swarmSpecOf(hard).complexity, undefined);
    const told = swarmSpecOf({ ...hard, complexity: 'simple' });
    assert.deepEqual([told.specId, told.complexity], ['CS-1', 'simple']);
    assert.equal(routedId(planSwarmRun([told], builtInRegistry, both), 0), 'gemini-2.5-flash-lite', "the spec's **Complexity:** wins");
  });

  it('gives each routed spec the ladder it climbs on failure, one tier at a time to a different model, and none from the top', () => {
    const plan = planSwarmRun([spec('CS-1', 'x', 'trivial'), spec('CS-2', 'x', 'expert')], builtInRegistry, both);
    assert.deepEqual(plan.specs[0]?.ladder.map((route) => `${route.tier}:${route.model.id}`), ['medium:gemini-3-flash-preview', 'complex:gemini-3.1-pro-preview']);
    assert.deepEqual(plan.specs[1]?.ladder, []);
    const first = plan.specs[0]?.routing;
    assert.ok(first?.ok);
    assert.equal(nextRoute(first.route, builtInRegistry, both)?.model.id, 'gemini-3-flash-preview');
    const top = plan.specs[1]?.routing;
    assert.ok(top?.ok);
    assert.equal(nextRoute(top.route, builtInRegistry, both), undefined);
  });

  it('prices the plan against every spec on the top tier, and says it in one line', () => {
    const specs = [spec('CS-1', 'Rename a field. '.repeat(400), 'trivial'), spec('CS-2', 'Add a helper. '.repeat(400), 'simple')];
    const plan = planSwarmRun(specs, builtInRegistry, both);
    assert.equal(plan.topTierModel?.id, 'gemini-3.1-pro-preview');
    assert.ok(plan.allTopTier && plan.estimate.likelyUsd < plan.allTopTier.likelyUsd);
    const saved = Math.round((1 - plan.estimate.likelyUsd / plan.allTopTier.likelyUsd) * 100);
    assert.match(swarmCostLine(plan), new RegExp(`^Cost: about \\$0\\.\\d{4} estimated for 2 routed specs, against about \\$0\\.\\d{4} with every spec on the top tier \\(Gemini 3\\.1 Pro\\): ${saved}% less\\.$`));
  });

  it("measures what was spent against the Coders' same tokens at the top tier's price, acceptances and escalations included", () => {
    const plan = planSwarmRun([spec('CS-1', 'Add a helper.', 'simple')], builtInRegistry, both);
    assert.equal(plan.topTierModel?.id, 'gemini-3.1-pro-preview');
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 };
    const call = (purpose: string, modelId: string, costUsd: number | undefined): ModelCall => ({ at: '2026-11-28T00:00:00Z', phase: 'coder-implement', purpose, provider: 'google', modelId, displayName: modelId, usage, durationMs: 1, outcome: 'ok', ...(costUsd !== undefined ? { costUsd } : {}) });
    // Two Coder calls on a cheap model ($0.10 each) and one acceptance by the Architect ($0.50),
    // which would be asked the same on the top tier. At $2 in / $12 out a Coder call costs $3.20.
    const calls = [call('implement', 'gemini-2.5-flash-lite', 0.1), call('implement', 'gemini-2.5-flash-lite', 0.1), call('accept', 'architect', 0.5)];
    assert.equal(swarmSpentLine(plan, calls), "Spent: $0.7000 on 3 calls; the Coders' same tokens at Gemini 3.1 Pro's price: $6.90, so 90% less.");
    // An unpriced call: the spend is said, and no comparison that would flatter the swarm.
    assert.equal(swarmSpentLine(plan, [...calls, call('implement', 'local-coder', undefined)]), 'Spent: $0.7000 on 4 calls, 1 with no price.');
  });

  it('says what it cannot price or compare, rather than guess', () => {
    const unpriced = overlayRegistry(builtInRegistry, [{ provider: 'openai-compatible', id: 'local-coder', displayName: 'Local Coder', tier: 'expert' }]).registry;
    const local = planSwarmRun([spec('CS-1', 'x', 'medium')], unpriced, ['openai-compatible']);
    assert.equal(swarmCostLine(local), 'Cost: no price for local-coder, so no estimate; no model of the top tier has a price to compare against.');
    const none = planSwarmRun([spec('CS-1', 'x', 'medium')], builtInRegistry, []);
    assert.equal(swarmCostLine(none), 'Cost: no spec could be routed (no model for a medium task among the providers with keys (none); add a key, or give the task a model).');
  });

  it('puts a route in the words the report shows, escalations included', () => {
    const plan = planSwarmRun([spec('CS-1', 'x', 'trivial')], builtInRegistry, both);
    const entry = plan.specs[0];
    assert.ok(entry?.routing.ok);
    assert.equal(routingWords(entry.routing.route), 'trivial → gemini-2.5-flash-lite (complexity trivial as given; cheapest adequate: gemini-2.5-flash-lite)');
    assert.equal(routingWords(entry.routing.route, entry.ladder.slice(0, 1)), 'trivial → gemini-2.5-flash-lite (complexity trivial as given; cheapest adequate: gemini-2.5-flash-lite); failed, escalated to medium → gemini-3-flash-preview');
  });

  it('names the models a swarm may use, by tier, before it starts; with none ready it refuses, so nothing is spent', () => {
    const ready = [
      { provider: 'anthropic', modelId: 'claude-opus-4-6', displayName: 'Claude Opus 4.6' },
      { provider: 'anthropic', modelId: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5' },
      // Not in the registry, or without a tier: never a swarm's.
      { provider: 'openai-compatible', modelId: 'local-coder', displayName: 'Local Coder' },
    ];
    assert.deepEqual(swarmModelsLine(builtInRegistry, ready), { ok: true, line: 'Swarm — simple: Claude Haiku 4.5 · expert: Claude Opus 4.6; each spec goes to the cheapest able to do it' });
    const none = swarmModelsLine(builtInRegistry, ready.slice(2));
    assert.ok(!none.ok);
    assert.match(none.error, /none is: add an API key \(Dual-Model: Manage API Keys\) or start the run in another mode\. Nothing was sent\.$/);
  });
});
