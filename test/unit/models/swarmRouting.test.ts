// Swarm routing: each task's tier from its prompt (or the caller's override), then the cheapest
// adequate model among the providers with keys; one tier up when an answer fails; nothing above
// expert.
import assert from 'node:assert/strict';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { overlayRegistry } from '../../../src/core/models/registryOverlay.js';
import type { Route } from '../../../src/core/models/swarmRouting.js';
import { cheapestFor, escalate, nextTier, planSwarm, routeTask } from '../../../src/core/models/swarmRouting.js';
import { classifyComplexity } from '../../../src/core/models/taskComplexity.js';
import { labelledPrompts } from '../support/labelledPrompts.js';

const both = ['google', 'anthropic'];

describe('the complexity classifier', () => {
  it('labels the table of prompts mostly right, and never more than one tier off', () => {
    const misses = labelledPrompts.filter(({ prompt, tier }) => classifyComplexity(prompt).tier !== tier);
    const accuracy = (labelledPrompts.length - misses.length) / labelledPrompts.length;
    console.log(`      classifier accuracy on ${labelledPrompts.length} labelled prompts: ${(accuracy * 100).toFixed(0)}%`);
    assert.ok(labelledPrompts.length >= 30);
    assert.ok(accuracy >= 0.85, `accuracy ${accuracy}; missed: ${misses.map((miss) => miss.prompt).join(' | ')}`);
    const tiers = ['trivial', 'simple', 'medium', 'complex', 'expert'];
    for (const { prompt, tier } of labelledPrompts) {
      assert.ok(Math.abs(tiers.indexOf(classifyComplexity(prompt).tier) - tiers.indexOf(tier)) <= 1, prompt);
    }
  });

  it('says why, and lets the size of the work raise the tier once', () => {
    assert.deepEqual(classifyComplexity('Implement the connection pool with async retry logic'), { tier: 'complex', why: 'markers: implement, connection pool' });
    const files = 'Update a.ts, b.ts, c.ts and d.ts to use the new logger';
    assert.equal(classifyComplexity(files).tier, 'medium');
    assert.match(classifyComplexity(files).why, /4 files/);
    assert.equal(classifyComplexity('Rename the async retry helper').tier, 'trivial', 'a short ask whose verb is trivial');
    assert.equal(classifyComplexity('Do it').tier, 'simple');
  });
});

describe('swarm routing', () => {
  it("routes each tier to the seed's Gemini table when Google has keys", () => {
    const model = (tier: 'trivial' | 'simple' | 'medium' | 'complex' | 'expert') => cheapestFor(tier, builtInRegistry, both)?.id;
    assert.equal(model('trivial'), 'gemini-2.5-flash-lite');
    assert.equal(model('simple'), 'gemini-2.5-flash-lite');
    assert.equal(model('medium'), 'gemini-3-flash-preview');
    assert.equal(model('complex'), 'gemini-3.1-pro-preview');
    assert.equal(model('expert'), 'gemini-3.1-pro-preview');
  });

  it('chooses among the available providers only, priced models before unpriced ones', () => {
    assert.equal(cheapestFor('trivial', builtInRegistry, ['anthropic'])?.id, 'claude-haiku-4-5');
    assert.equal(cheapestFor('complex', builtInRegistry, ['anthropic'])?.id, 'claude-sonnet-4-6');
    assert.equal(cheapestFor('expert', builtInRegistry, ['anthropic'])?.id, 'claude-opus-4-6', 'the unpriced Opus 5 comes after');
    assert.equal(cheapestFor('simple', builtInRegistry, ['openai-compatible']), undefined);
    const failed = routeTask({ prompt: 'Fix the typo' }, builtInRegistry, []);
    assert.deepEqual(failed, { ok: false, tier: 'trivial', error: 'no model for a trivial task among the providers with keys (none); add a key, or give the task a model' });
    const local = overlayRegistry(builtInRegistry, [{ provider: 'openai-compatible', id: 'qwen3-coder', tier: 'complex', price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } }]).registry;
    assert.equal(cheapestFor('complex', local, ['google', 'openai-compatible'])?.id, 'qwen3-coder', "a user's free local model is the cheapest");
  });

  it('honours the complexity and model overrides', () => {
    const overridden = routeTask({ prompt: 'Implement the connection pool with async retry logic', complexity: 'trivial' }, builtInRegistry, both);
    assert.ok(overridden.ok);
    assert.equal(overridden.ok && overridden.route.model.id, 'gemini-2.5-flash-lite');
    assert.match(overridden.ok ? overridden.route.why : '', /complexity trivial as given/);
    const named = routeTask({ prompt: 'Fix the typo', model: 'claude-opus-4-6' }, builtInRegistry, both);
    assert.equal(named.ok && named.route.model.id, 'claude-opus-4-6');
    assert.equal(named.ok && named.route.tier, 'trivial');
    assert.match(routeTask({ prompt: 'x', model: 'gpt-9' }, builtInRegistry, both).ok ? '' : 'unknown', /unknown/);
    const noKey = routeTask({ prompt: 'x', model: 'claude-opus-4-6' }, builtInRegistry, ['google']);
    assert.equal(noKey.ok ? '' : noKey.error, 'no key for anthropic, which serves "claude-opus-4-6"');
    const retired = routeTask({ prompt: 'x', model: 'gemini-3-pro-preview' }, builtInRegistry, both);
    assert.equal(retired.ok ? '' : retired.error, '"gemini-3-pro-preview" was retired on 2026-03-09; use its successor "gemini-3.1-pro-preview"');
  });

  it('escalates one tier to a different model, skipping tiers that would pick the same one, and not from the top', () => {
    const route = (id: string, tier: Route['tier']): Route => {
      const model = builtInRegistry.models.find((entry) => entry.id === id);
      assert.ok(model);
      return { model, tier, why: '' };
    };
    assert.equal(escalate(route('gemini-2.5-flash-lite', 'trivial'), builtInRegistry, both)?.model.id, 'gemini-3-flash-preview', 'simple would pick flash-lite again');
    assert.equal(escalate(route('gemini-3-flash-preview', 'medium'), builtInRegistry, both)?.model.id, 'gemini-3.1-pro-preview');
    assert.equal(escalate(route('gemini-3.1-pro-preview', 'complex'), builtInRegistry, both), undefined, 'expert would pick the same Pro');
    assert.equal(escalate(route('claude-opus-4-6', 'expert'), builtInRegistry, both), undefined);
    assert.equal(nextTier('expert'), undefined);
    assert.equal(nextTier('complex'), 'expert');
  });

  it('plans a swarm and prices it against running every task on the top tier', () => {
    const tasks = labelledPrompts.map(({ prompt }) => ({ prompt, maxTokens: 4096 }));
    const plan = planSwarm(tasks, builtInRegistry, both);
    assert.equal(plan.routes.filter((routing) => routing.ok).length, tasks.length);
    assert.equal(plan.topTierModel?.id, 'gemini-3.1-pro-preview');
    assert.equal(plan.allTopTier?.requests.length, tasks.length);
    assert.ok((plan.estimate.maxUsd ?? Infinity) < (plan.allTopTier?.maxUsd ?? 0), 'routing is cheaper than all top tier');
    assert.equal(planSwarm(tasks, builtInRegistry, []).allTopTier, undefined);
  });
});
