// The one model registry: the seed's tier table on today's ids, dated defaults, and the lookups
// the run panel, the key pool and the swarm read.
import assert from 'node:assert/strict';
import { builtInModels, builtInRegistry, registryDate } from '../../../src/core/models/builtInRegistry.js';
import { costOf } from '../../../src/core/models/cost.js';
import { dailyResetFor, findModel, limitsFor, modelPrice, modelTiers, priceTable } from '../../../src/core/models/registry.js';
import { overlayPrices, overlayRegistry } from '../../../src/core/models/registryOverlay.js';

const usage = (inputTokens: number, outputTokens: number, thinkingTokens = 0) => ({ inputTokens, outputTokens, thinkingTokens, cacheReadTokens: 0, cacheWriteTokens: 0 });

describe('the model registry', () => {
  it("carries the seed's tier table on today's ids, with the retired Pro naming its successor", () => {
    const tier = (id: string) => builtInModels.find((model) => model.id === id)?.tier;
    assert.equal(tier('gemini-2.5-flash-lite'), 'simple');
    assert.equal(tier('gemini-3-flash-preview'), 'medium');
    assert.equal(tier('gemini-3.1-pro-preview'), 'expert');
    assert.equal(tier('claude-sonnet-4-6'), 'complex');
    assert.equal(tier('claude-opus-4-6'), 'expert');
    const retired = findModel(builtInModels, 'google', 'gemini-3-pro-preview');
    assert.deepEqual(retired?.retired, { on: '2026-03-09', successor: 'gemini-3.1-pro-preview' });
    assert.equal(retired?.tier, undefined, 'a retired model is never routed to');
    assert.match(registryDate, /^\d{4}-\d{2}$/);
    for (const model of builtInModels) if (model.tier) assert.ok(modelTiers.includes(model.tier), model.id);
  });

  it("gives the seed's free Gemini requests per day per Google Cloud project, reset at midnight Pacific, and none it does not know", () => {
    assert.deepEqual(limitsFor(builtInRegistry, 'google', 'gemini-2.5-flash-lite'), { rpd: 1000 });
    assert.deepEqual(limitsFor(builtInRegistry, 'google', 'gemini-3-flash-preview'), { rpd: 250 });
    assert.deepEqual(limitsFor(builtInRegistry, 'google', 'gemini-3.1-pro-preview'), { rpd: 100 });
    assert.deepEqual(dailyResetFor(builtInRegistry, 'google', 'gemini-3-flash-preview'), { timeZone: 'America/Los_Angeles' });
    assert.deepEqual(limitsFor(builtInRegistry, 'anthropic', 'claude-opus-4-6'), {}, 'no published figure fits: none rather than a guess');
    assert.deepEqual(limitsFor(builtInRegistry, 'openai-compatible', 'anything'), {});
    assert.deepEqual(dailyResetFor(builtInRegistry, 'anthropic', 'claude-opus-4-6'), { timeZone: 'UTC' });
  });

  it('prices by provider and id, and has no price rather than a guess', () => {
    assert.equal(modelPrice(builtInRegistry, 'anthropic', 'claude-sonnet-4-6')?.input, 3);
    assert.equal(modelPrice(builtInRegistry, 'anthropic', 'claude-opus-5'), undefined);
    assert.equal(modelPrice(builtInRegistry, 'openai-compatible', 'qwen3-coder'), undefined);
    assert.equal(priceTable(builtInRegistry)['gemini-3-flash-preview']?.output, 3);
    assert.equal(priceTable(builtInRegistry)['claude-opus-5'], undefined);
  });

  it('bills thinking at its own price where one is set, and as output otherwise', () => {
    const price = { input: 1, output: 10, cacheRead: 0, cacheWrite: 0 };
    // Gemini reports thinking apart from output; Anthropic counts it inside.
    assert.equal(costOf('google', usage(0, 600_000, 400_000), price), 10);
    assert.equal(costOf('google', usage(0, 600_000, 400_000), { ...price, reasoning: 5 }), 6 + 2);
    assert.equal(costOf('anthropic', usage(0, 1_000_000, 400_000), { ...price, reasoning: 5 }), 6 + 2);
  });

  it('lays a partial entry over a built-in one and keeps what it does not name; adds a model only with its provider', () => {
    const { registry, unmatched } = overlayRegistry(builtInRegistry, [
      { id: 'claude-sonnet-4-6', tier: 'expert' },
      { provider: 'openai-compatible', id: 'deepseek-coder', maxOutput: 8192 },
      { id: 'nobody' },
    ]);
    const sonnet = findModel(registry.models, 'anthropic', 'claude-sonnet-4-6');
    assert.equal(sonnet?.tier, 'expert');
    assert.equal(sonnet?.price?.input, 3);
    assert.equal(findModel(registry.models, 'openai-compatible', 'deepseek-coder')?.maxOutput, 8192);
    assert.deepEqual(unmatched, [2]);
    assert.equal(findModel(builtInRegistry.models, 'anthropic', 'claude-sonnet-4-6')?.tier, 'complex', 'the built-ins are not changed');
    const priced = overlayPrices(builtInRegistry, { 'claude-opus-4-6': { input: 4, output: 20, cacheRead: 0, cacheWrite: 0 }, 'gpt-4.1': { input: 2, output: 8, cacheRead: 0, cacheWrite: 0 } });
    assert.equal(modelPrice(priced, 'anthropic', 'claude-opus-4-6')?.input, 4);
    assert.equal(modelPrice(priced, 'vscode-lm', 'gpt-4.1')?.input, 2);
  });
});
