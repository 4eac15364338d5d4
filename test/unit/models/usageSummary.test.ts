import assert from 'node:assert/strict';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { costOf } from '../../../src/core/models/cost.js';
import { priceTable } from '../../../src/core/models/registry.js';
import { summariseUsage } from '../../../src/core/models/usageSummary.js';

const builtInPrices = priceTable(builtInRegistry);

const usage = (inputTokens: number, outputTokens: number, extra: Partial<{ cacheReadTokens: number; cacheWriteTokens: number; thinkingTokens: number }> = {}) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens: extra.cacheReadTokens ?? 0,
  cacheWriteTokens: extra.cacheWriteTokens ?? 0,
  thinkingTokens: extra.thinkingTokens ?? 0,
});

describe('token costs', () => {
  it('prices input, output and cache tokens per million', () => {
    const price = { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 };
    assert.equal(costOf('anthropic', usage(1_000_000, 0), price), 5);
    assert.equal(costOf('anthropic', usage(0, 0, { cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 }), price), 6.75);
    // Anthropic counts thinking inside output; Gemini reports it apart and bills it as output.
    assert.equal(costOf('anthropic', usage(0, 1_000_000, { thinkingTokens: 400_000 }), price), 25);
    assert.equal(costOf('google', usage(0, 600_000, { thinkingTokens: 400_000 }), price), 25);
  });

  it('sums a run by phase, and says so when a model has no price', () => {
    const known = summariseUsage(
      [
        { phase: 'architect-spec', provider: 'anthropic', modelId: 'claude-opus-4-6', usage: usage(10_000, 2_000) },
        { phase: 'coder-implement', provider: 'google', modelId: 'gemini-3.1-pro-preview', usage: usage(20_000, 3_000, { thinkingTokens: 1_000 }) },
      ],
      builtInPrices,
    );
    assert.equal(known.costUsd?.toFixed(4), (0.05 + 0.05 + 0.04 + 0.048).toFixed(4));
    assert.equal(known.text, '30.0k tokens in · 6.0k out · $0.19');
    assert.equal(known.byPhase.length, 2);
    const unknown = summariseUsage([{ phase: 'architect-spec', provider: 'openai-compatible', modelId: 'qwen3-coder', usage: usage(100, 10) }], builtInPrices);
    assert.equal(unknown.costUsd, undefined);
    assert.match(unknown.text, /cost unknown \(set dualModel\.prices\)/);
    assert.match(unknown.byPhase[0] ?? '', /no price for qwen3-coder/);
  });

  it("says VS Code's models are billed by their provider, unless one without a price is not", () => {
    const host = { phase: 'coder-implement', provider: 'vscode-lm', modelId: 'gpt-4.1', usage: usage(100, 10) };
    assert.match(summariseUsage([host], builtInPrices).text, /billed by VS Code's model provider/);
    const mixed = summariseUsage([host, { phase: 'architect-spec', provider: 'openai-compatible', modelId: 'qwen3-coder', usage: usage(1, 1) }], builtInPrices);
    assert.match(mixed.text, /cost unknown/);
    // A user's price still estimates a VS Code model.
    assert.equal(summariseUsage([host], { 'gpt-4.1': { input: 2, output: 8, cacheRead: 0, cacheWrite: 0 } }).text, '100 tokens in · 10 out · <$0.01');
  });
});
