// Cost before spending: the prompt's tokens, the likely and the most output, and US dollars from
// the registry, never a guessed price.
import assert from 'node:assert/strict';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import type { FanOutRequest } from '../../../src/core/models/costEstimate.js';
import { estimateFanOut, estimateRequest } from '../../../src/core/models/costEstimate.js';
import { describeEstimate, describeEstimateTokens, estimateWarnings } from '../../../src/core/models/estimateSummary.js';
import { ModelRegistryAnswerSchema } from '../../../src/core/keyvault/kvProtocol.js';
import { modelRegistryAnswer } from '../../../src/core/models/registryAnswer.js';
import { estimateChatTokens, estimateTokens } from '../../../src/core/models/tokenEstimate.js';

const spec = 'Implement the connection pool with async retry logic. '.repeat(40);
const request = (provider: string, model: string, maxTokens?: number): FanOutRequest => ({
  provider,
  model,
  system: 'You are a Rust expert. Implement exactly as specified.',
  messages: [{ role: 'user', content: spec }],
  ...(maxTokens !== undefined ? { maxTokens } : {}),
});

describe('the token estimate', () => {
  it('counts words, numbers, punctuation and line breaks the way byte-pair encoders split them', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('hello world'), 2);
    assert.equal(estimateTokens('getUserById'), 4, 'camelCase parts apart');
    assert.equal(estimateTokens('1234567'), 3, 'digits in threes');
    assert.equal(estimateTokens('a\n    b'), 3, 'a line break with its indentation is one');
    assert.equal(estimateTokens('東京'), 2, 'each character outside ASCII counts one');
    // OpenAI's o200k_base counts these as 10 and 9 tokens.
    assert.equal(estimateTokens('export function estimateTokens(text: string): number {'), 11);
    assert.equal(estimateTokens('Implement the connection pool with async retry logic.'), 9);
  });

  it('adds the framing of each message and the system prompt', () => {
    assert.equal(estimateChatTokens(undefined, [{ content: 'hello world' }]), 2 + 4);
    assert.equal(estimateChatTokens('be brief', [{ content: 'hello world' }, { content: 'hi' }]), 2 + 4 + 2 + 4 + 1 + 4);
  });
});

describe('the cost estimate', () => {
  it('prices one request from the registry: likely and at most (every max_tokens token billed)', () => {
    const estimate = estimateRequest(request('anthropic', 'claude-sonnet-4-6', 8192), builtInRegistry);
    assert.equal(estimate.displayName, 'Claude Sonnet 4.6');
    assert.equal(estimate.outputTokens.max, 8192);
    assert.ok(estimate.outputTokens.likely > 0 && estimate.outputTokens.likely <= 8192);
    assert.ok(estimate.cost.priced);
    if (!estimate.cost.priced) return;
    const inputUsd = (estimate.inputTokens * 3) / 1e6;
    assert.equal(estimate.cost.maxUsd, inputUsd + (8192 * 15) / 1e6);
    assert.equal(estimate.cost.likelyUsd, inputUsd + (estimate.outputTokens.likely * 15) / 1e6);
  });

  it("takes the model's max output when max_tokens is absent, and never more than it", () => {
    assert.equal(estimateRequest(request('google', 'gemini-3-flash-preview'), builtInRegistry).outputTokens.max, 65_536);
    assert.equal(estimateRequest(request('google', 'gemini-3-flash-preview', 1_000_000), builtInRegistry).outputTokens.max, 65_536);
  });

  it('counts thinking inside the output ceiling, at its own price where it has one', () => {
    const thinking = estimateRequest({ ...request('google', 'gemini-3.1-pro-preview', 10_000), thinking: 'high' }, builtInRegistry);
    assert.ok(thinking.reasoningTokens.likely > 0);
    assert.ok(thinking.outputTokens.likely <= 10_000);
    const none = estimateRequest(request('google', 'gemini-3.1-pro-preview', 10_000), builtInRegistry);
    assert.equal(none.reasoningTokens.likely, 0);
    assert.ok(thinking.cost.priced && none.cost.priced && thinking.cost.likelyUsd > none.cost.likelyUsd);
    assert.ok(thinking.cost.priced && none.cost.priced && thinking.cost.maxUsd === none.cost.maxUsd, 'the ceiling is the same');
  });

  it('says "no price" for an unknown model and leaves it out of the sums, never guessing', () => {
    const estimate = estimateFanOut([request('openai-compatible', 'qwen3-coder', 4096), request('google', 'gemini-3-flash-preview', 4096)], builtInRegistry);
    assert.deepEqual(estimate.requests[0]?.cost, { priced: false, why: 'no price for qwen3-coder' });
    assert.deepEqual(estimate.unpriced, ['qwen3-coder']);
    const flash = estimate.requests[1]?.cost;
    assert.ok(flash?.priced);
    if (!flash?.priced) return;
    assert.equal(estimate.likelyUsd, flash.likelyUsd);
    assert.equal(estimate.maxUsd, flash.maxUsd);
    assert.match(describeEstimate(estimate), /^2 requests to qwen3-coder, Gemini 3 Flash: about <?\$[\d.]+, at most \$[\d.]+, plus 1 with no price \(qwen3-coder\)\.$/);
    const allUnknown = estimateFanOut([request('openai-compatible', 'qwen3-coder', 4096)], builtInRegistry);
    assert.equal(describeEstimate(allUnknown), '1 request to qwen3-coder: no price for qwen3-coder, so no cost estimate.');
  });

  it('has no ceiling, and says so, when neither the request nor the registry gives one', () => {
    const estimate = estimateFanOut([request('anthropic', 'claude-opus-5')], builtInRegistry);
    assert.equal(estimate.outputTokens.max, undefined);
    const priced = { ...builtInRegistry, pricesById: { 'claude-opus-5': { input: 5, output: 25, cacheRead: 0, cacheWrite: 0 } } };
    const unbounded = estimateFanOut([request('anthropic', 'claude-opus-5')], priced);
    assert.equal(unbounded.maxUsd, undefined);
    assert.deepEqual(unbounded.unbounded, ['claude-opus-5']);
    assert.match(describeEstimate(unbounded), /no ceiling for claude-opus-5 \(set max_tokens\)/);
  });

  it("sums a fan-out and says it in the modal's words", () => {
    const estimate = estimateFanOut(
      [request('google', 'gemini-3-flash-preview', 8192), request('google', 'gemini-3-flash-preview', 8192), request('anthropic', 'claude-sonnet-4-6', 8192)],
      builtInRegistry,
    );
    const sum = estimate.requests.reduce((total, one) => total + (one.cost.priced ? (one.cost.maxUsd ?? 0) : 0), 0);
    assert.equal(estimate.maxUsd, sum);
    assert.equal(estimate.outputTokens.max, 3 * 8192);
    assert.match(describeEstimate(estimate), /^3 requests to Gemini 3 Flash ×2, Claude Sonnet 4\.6: about \$\d+\.\d\d, at most \$\d+\.\d\d\.$/);
    assert.match(describeEstimateTokens(estimate), /^about [\d.]+k tokens in, [\d.]+k out, at most 24\.6k out$/);
    assert.equal(describeEstimate(estimateFanOut([], builtInRegistry)), 'No requests.');
    const bestOfThree = estimateFanOut([request('google', 'gemini-3-flash-preview', 8192), request('anthropic', 'claude-sonnet-4-6', 8192), request('anthropic', 'claude-opus-4-6', 8192)], builtInRegistry);
    assert.deepEqual(bestOfThree.requests.map((one) => one.inputTokens), Array(3).fill(estimateRequest(request('google', 'gemini-3-flash-preview'), builtInRegistry).inputTokens), 'the same spec counts the same for each model');
  });

  it('warns of a prompt over the context window and of a retired model', () => {
    const small = { ...builtInRegistry, models: builtInRegistry.models.map((model) => (model.id === 'claude-haiku-4-5' ? { ...model, contextWindow: 100 } : model)) };
    const warnings = estimateWarnings(estimateFanOut([request('anthropic', 'claude-haiku-4-5', 100), request('google', 'gemini-3-pro-preview', 100)], small));
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /longer than Claude Haiku 4\.5's context window \(100\)/);
    assert.match(warnings[1] ?? '', /retired on 2026-03-09; its successor is gemini-3\.1-pro-preview/);
  });
});

describe('the kv.modelRegistry answer', () => {
  it("lists every model in the RPC face's wire shape, with the date, leaving out what is not known", () => {
    const answer = modelRegistryAnswer(builtInRegistry);
    assert.deepEqual(JSON.parse(JSON.stringify(answer)), answer, 'JSON-able as it is');
    assert.deepEqual(ModelRegistryAnswerSchema.parse(answer), answer, 'what the RPC face checks answers against');
    assert.equal(answer.dated, '2026-11');
    assert.equal(answer.models.length, builtInRegistry.models.length);
    assert.deepEqual(
      answer.models.find((model) => model.id === 'gemini-2.5-flash-lite'),
      {
        id: 'gemini-2.5-flash-lite',
        provider: 'google',
        display_name: 'Gemini 2.5 Flash-Lite',
        tier: 'simple',
        context_window: 1_048_576,
        max_output_tokens: 65_536,
        prices: { input: 0.1, output: 0.4, reasoning: 0.4, cached: 0.01, cache_write: 0 },
        capabilities: { tools: true, thinking: true, json: true },
        limits: { plan: 'Google AI Studio free tier (seed table)', rpd: 1000 },
        daily_reset_time_zone: 'America/Los_Angeles',
      },
    );
    const opus5 = answer.models.find((model) => model.id === 'claude-opus-5');
    assert.equal(opus5 && 'prices' in opus5, false, 'no price is left out, never 0');
    assert.equal(opus5 && 'limits' in opus5, false);
    assert.deepEqual(answer.models.find((model) => model.id === 'gemini-3-pro-preview')?.retired, { on: '2026-03-09', successor: 'gemini-3.1-pro-preview' });
  });
});
