// A quota group's plan decides which limits the pool keeps: none of ours by default (learn from
// the provider), the registry's published figures when chosen, and the user's own always.
import assert from 'node:assert/strict';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { KeyPool } from '../../../src/core/keyvault/keyPool.js';
import type { PlanOf } from '../../../src/core/keyvault/quotaPlans.js';
import { planLimits, providerDailyReset, publishedPlans } from '../../../src/core/keyvault/quotaPlans.js';
import { messageOf } from '../../../src/core/workflow/errorMessage.js';
import { overlayRegistry } from '../../../src/core/models/registryOverlay.js';

const learn: PlanOf = () => 'learn';
const free: PlanOf = (provider, group) => (provider === 'google' && group === 'project-a' ? 'published' : 'learn');

describe('quota plans', () => {
  it('keeps no limits of ours for a group learning from the provider, a paid project included', () => {
    assert.deepEqual(planLimits(builtInRegistry, learn, 'google', 'gemini-3-flash-preview', 'project-a'), {});
  });

  it("keeps the registry's published limits for a group on that plan, and only for that group", () => {
    assert.deepEqual(planLimits(builtInRegistry, free, 'google', 'gemini-3-flash-preview', 'project-a'), { rpd: 250 });
    assert.deepEqual(planLimits(builtInRegistry, free, 'google', 'gemini-3-flash-preview', 'project-b'), {});
    assert.deepEqual(publishedPlans(builtInRegistry, 'google'), ['Google AI Studio free tier (seed table)']);
    assert.deepEqual(publishedPlans(builtInRegistry, 'anthropic'), []);
  });

  it("applies the user's own numbers whatever the plan", () => {
    const { registry } = overlayRegistry(builtInRegistry, [{ id: 'gemini-3-flash-preview', limits: { rpm: 5, rpd: 40 } }]);
    assert.deepEqual(planLimits(registry, learn, 'google', 'gemini-3-flash-preview', 'project-b'), { rpm: 5, rpd: 40 });
    assert.deepEqual(planLimits(registry, free, 'google', 'gemini-3-flash-preview', 'project-a'), { rpm: 5, rpd: 40 });
  });

  it("takes the provider's daily reset from the registry", () => {
    assert.equal(providerDailyReset(builtInRegistry, 'google').timeZone, 'America/Los_Angeles');
    assert.equal(providerDailyReset(builtInRegistry, 'anthropic').timeZone, 'UTC');
  });

  it('reaches the pool: a group on the published plan is held at its daily limit, a group learning is not', async () => {
    // The published free tier, shrunk to one request a day so the test need not send 250.
    const registry = { ...builtInRegistry, models: builtInRegistry.models.map((model) => (model.id === 'gemini-3-flash-preview' && model.limits ? { ...model, limits: { ...model.limits, limits: { rpd: 1 } } } : model)) };
    const twice = async (group: string): Promise<string> => {
      const pool = new KeyPool({
        keys: () => [{ id: group, key: `AIza-key-${group}-000000000000`, label: group, group }],
        limitsFor: (provider, model, keyGroup) => planLimits(registry, free, provider, model, keyGroup),
        dailyReset: (provider) => providerDailyReset(registry, provider),
      });
      try {
        for (let request = 1; request <= 2; request++) {
          try {
            const lease = await pool.acquire({ provider: 'google', model: 'gemini-3-flash-preview', estimatedTokens: 10 }, new AbortController().signal);
            lease.settle({ kind: 'ok', tokens: 10 });
          } catch (error) {
            return `refused request ${request}: ${messageOf(error)}`;
          }
        }
        return 'both sent';
      } finally {
        pool.dispose();
      }
    };
    assert.match(await twice('project-a'), /^refused request 2: /);
    assert.equal(await twice('project-b'), 'both sent');
  });
});
