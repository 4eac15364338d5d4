// The fan-out confirm names the requests, the models, the estimate and what is left today.
import assert from 'node:assert/strict';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { estimateFanOut } from '../../../src/core/models/costEstimate.js';
import { fanOutConfirmText } from '../../../src/core/models/fanOutConfirmText.js';

const ask = { provider: 'anthropic', model: 'claude-sonnet-4-6', system: 'be brief', messages: [{ role: 'user', content: 'hello' }], maxTokens: 1000 };

describe('the fan-out confirm', () => {
  it('names N requests, the models, about and at most, and the cap left today', () => {
    const estimate = estimateFanOut([ask, ask, { ...ask, model: 'claude-haiku-4-5' }], builtInRegistry);
    const { message, detail } = fanOutConfirmText(estimate, 1, { dayUsd: 0.25, heldUsd: 0.05 });
    assert.match(message, /^Send 3 requests to Claude Sonnet 4\.6 ×2, Claude Haiku 4\.5: about \$[0-9.]+, at most \$[0-9.]+\.$/);
    assert.match(detail, /Left under today's cap of \$1\.00: \$0\.70\./);
  });

  it('says when no daily cap is set', () => {
    assert.match(fanOutConfirmText(estimateFanOut([ask], builtInRegistry), undefined, { dayUsd: 0, heldUsd: 0 }).detail, /No daily cap is set/);
  });
});
