import assert from 'node:assert/strict';
import { adviceFor, kindForStatus } from '../../../src/core/models/modelErrors.js';

describe('what a failed call tells the person', () => {
  it('points a refused key to the key list and to the variables the key may come from', () => {
    assert.match(adviceFor('auth', 'Anthropic'), /"Dual-Model: Manage API Keys", or ANTHROPIC_API_KEY in the environment/);
    assert.match(adviceFor('auth', 'Google Gemini'), /GEMINI_API_KEY or GOOGLE_API_KEY/);
    assert.match(adviceFor('auth', 'openai-compatible'), /OPENAI_API_KEY/);
    // A provider with no variable of its own gets no made-up one.
    assert.equal(adviceFor('auth', 'vscode-lm'), 'Check the vscode-lm API key ("Dual-Model: Manage API Keys") and that it has access to this model.');
  });

  it('reads the same status the same way for every provider', () => {
    assert.deepEqual([401, 403, 404, 408, 429, 500, 503, 529, 400].map(kindForStatus), ['auth', 'auth', 'not-found', 'timeout', 'rate-limited', 'server', 'overloaded', 'overloaded', 'bad-request']);
  });
});
