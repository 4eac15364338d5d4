// What a run of several Coders would cost before it starts, on plain Node: the requests it is
// estimated from, the refusal of a fan-out whose estimate alone crosses a cap, and the Coders a
// competitive run gets from the settings.
import * as assert from 'node:assert/strict';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { estimateFanOut } from '../../../src/core/models/costEstimate.js';
import { defaultRoles } from '../../../src/core/models/roles.js';
import { coderFanOutRequests, fanOutCapRefusal, fanOutNote } from '../../../src/core/workflow/coderFanOut.js';
import { coderConfigs, coderCounts } from '../../../src/core/workflow/runCoders.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';

const opus: RoleSnapshot = { provider: 'anthropic', modelId: 'claude-opus-4-6', displayName: 'Claude Opus 4.6', thinking: 'high', isDemo: false };
const flash: RoleSnapshot = { provider: 'google', modelId: 'gemini-3-flash-preview', displayName: 'Gemini 3 Flash', thinking: 'none', isDemo: false };
const demo: RoleSnapshot = { provider: 'demo', modelId: 'demo-coder', displayName: 'Demo Coder', thinking: 'none', isDemo: true };

describe('a fan-out of Coders, before it starts', () => {
  it('estimates one request per Coder, each carrying the request as its prompt at the run’s output ceiling', () => {
    const requests = coderFanOutRequests([opus, opus, flash], 'Add a slugify helper', 16_000);
    assert.deepEqual(
      requests.map((request) => [request.provider, request.model, request.maxTokens, request.thinking]),
      [
        ['anthropic', 'claude-opus-4-6', 16_000, 'high'],
        ['anthropic', 'claude-opus-4-6', 16_000, 'high'],
        ['google', 'gemini-3-flash-preview', 16_000, 'none'],
      ],
    );
    assert.ok(requests.every((request) => request.messages[0]?.content.includes('Add a slugify helper')));
  });

  it('refuses, naming the per-run cap, a fan-out whose estimate alone crosses it', () => {
    const estimate = estimateFanOut(coderFanOutRequests([opus, opus, opus], 'x', 16_000), builtInRegistry);
    const refusal = fanOutCapRefusal(estimate, { perRunUsd: 0.5 });
    assert.match(refusal ?? '', /cap per run of \$0\.50 \(dualModel\.spend\.capPerRunUsd\)/);
    assert.match(refusal ?? '', /Nothing was started/);
  });

  it('refuses, naming the per-day cap, when only that one is crossed', () => {
    const estimate = estimateFanOut(coderFanOutRequests([opus, opus], 'x', 16_000), builtInRegistry);
    const refusal = fanOutCapRefusal(estimate, { perRunUsd: 100, perDayUsd: 0.1 });
    assert.match(refusal ?? '', /cap per day of \$0\.10 \(dualModel\.spend\.capPerDayUsd\)/);
  });

  it('refuses a fan-out whose cost cannot be bounded while a cap is set', () => {
    const estimate = estimateFanOut(coderFanOutRequests([{ ...flash, provider: 'openai-compatible', modelId: 'unpriced-model' }, flash], 'x', 16_000), builtInRegistry);
    assert.match(fanOutCapRefusal(estimate, { perDayUsd: 50 }) ?? '', /no price for unpriced-model/);
    assert.equal(fanOutCapRefusal(estimate, {}), undefined, 'no cap: the confirm says there is no price, and the user decides');
  });

  it('lets through a fan-out under its caps, and the offline demo (priced at nothing) under any cap', () => {
    const estimate = estimateFanOut(coderFanOutRequests([flash, flash], 'x', 16_000), builtInRegistry);
    assert.equal(fanOutCapRefusal(estimate, { perRunUsd: 10, perDayUsd: 10 }), undefined);
    assert.equal(fanOutCapRefusal(estimateFanOut(coderFanOutRequests([demo, demo, demo], 'x', 16_000), builtInRegistry), { perRunUsd: 0 }), undefined);
  });

  it('says honestly that it estimates N Coder passes and that a real pass takes several turns', () => {
    const note = fanOutNote(3);
    assert.match(note, /estimate of 3 Coder passes/);
    assert.match(note, /several turns/);
  });
});

describe('the Coders of a competitive run', () => {
  it('is the Coder role N times when the setting names none', () => {
    const configs = coderConfigs({ coders: undefined, candidates: 3 }, defaultRoles.coder);
    assert.equal(configs.length, 3);
    assert.ok(configs.every((config) => config.model === defaultRoles.coder.model && config.fallbackModel === defaultRoles.coder.fallbackModel));
  });

  it('takes the named Coders, with the role’s thinking when none is given and its fallback only for the role’s own model', () => {
    const configs = coderConfigs(
      { coders: [{ provider: 'anthropic', model: 'claude-sonnet-4-6' }, { provider: 'google', model: defaultRoles.coder.model, thinking: 'low' }], candidates: 3 },
      defaultRoles.coder,
    );
    assert.deepEqual(
      configs.map((config) => [config.provider, config.model, config.thinking, config.fallbackModel]),
      [
        ['anthropic', 'claude-sonnet-4-6', defaultRoles.coder.thinking, ''],
        ['google', defaultRoles.coder.model, 'low', defaultRoles.coder.fallbackModel],
      ],
    );
  });

  it('counts the same model once with how many times it runs', () => {
    assert.deepEqual(coderCounts([opus, flash, opus]), [
      { coder: opus, count: 2 },
      { coder: flash, count: 1 },
    ]);
  });
});
