// The dualModel.* settings as the extension reads them: one schema, every value checked, and a
// bad value replaced by its default with one warning that names the setting.
import * as assert from 'node:assert/strict';
import { builtInModels } from '../../../src/core/models/catalog.js';
import { builtInPrices } from '../../../src/core/models/prices.js';
import { defaultRoles } from '../../../src/core/models/roles.js';
import { parseSettings } from '../../../src/vscode/settingsSchema.js';

const read = (values: Record<string, unknown>) => (key: string): unknown => values[key];

describe('typed settings', () => {
  it('reads the defaults when nothing is set, with no warning', () => {
    const { settings, problems } = parseSettings(read({}));
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.roles, defaultRoles);
    assert.equal(settings.demoModels, 'auto');
    assert.equal(settings.verificationSandbox, 'sandboxed');
    assert.deepEqual(settings.engine, { verificationTimeoutMs: 300_000, maxCoderTurns: 30, maxVerificationRuns: 5, maxOutputTokens: 16_000 });
    assert.equal(settings.requestTimeoutMs, 600_000);
    assert.equal(settings.demoLatencyMs, 20);
    assert.deepEqual(settings.catalog, builtInModels);
    assert.deepEqual(settings.prices, builtInPrices);
  });

  it('takes valid values as they are', () => {
    const { settings, problems } = parseSettings(
      read({
        'coder.provider': 'openai-compatible',
        'coder.model': 'qwen3-coder',
        'coder.thinking': 'medium',
        demoModels: 'never',
        'verification.timeoutSeconds': 12,
        'verification.sandbox': 'unsandboxed',
        requestTimeoutSeconds: 30,
      }),
    );
    assert.deepEqual(problems, []);
    assert.equal(settings.roles.coder.provider, 'openai-compatible');
    assert.equal(settings.roles.coder.model, 'qwen3-coder');
    assert.equal(settings.roles.coder.thinking, 'medium');
    assert.equal(settings.demoModels, 'never');
    assert.equal(settings.engine.verificationTimeoutMs, 12_000);
    assert.equal(settings.verificationSandbox, 'unsandboxed');
    assert.equal(settings.requestTimeoutMs, 30_000);
  });

  it('keeps an empty fallback model, which means no fallback', () => {
    const { settings, problems } = parseSettings(read({ 'architect.fallbackModel': '' }));
    assert.deepEqual(problems, []);
    assert.equal(settings.roles.architect.fallbackModel, '');
  });

  it('falls back to the default for each invalid value, with one warning naming the setting', () => {
    const { settings, problems } = parseSettings(
      read({
        'architect.provider': 'openai',
        'coder.thinking': 'extreme',
        'coder.model': 42,
        demoModels: 'sometimes',
        'verification.sandbox': 'off',
        'coder.maxTurns': 0,
        maxOutputTokens: 'lots',
        requestTimeoutSeconds: Number.NaN,
      }),
    );
    assert.equal(settings.roles.architect.provider, defaultRoles.architect.provider);
    assert.equal(settings.roles.coder.thinking, defaultRoles.coder.thinking);
    assert.equal(settings.roles.coder.model, defaultRoles.coder.model);
    assert.equal(settings.demoModels, 'auto');
    assert.equal(settings.verificationSandbox, 'sandboxed', 'an unknown sandbox value never turns the sandbox off');
    assert.equal(settings.engine.maxCoderTurns, 30);
    assert.equal(settings.engine.maxOutputTokens, 16_000);
    assert.equal(settings.requestTimeoutMs, 600_000);
    const named = ['architect.provider', 'coder.thinking', 'coder.model', 'demoModels', 'verification.sandbox', 'coder.maxTurns', 'maxOutputTokens', 'requestTimeoutSeconds'];
    assert.equal(problems.length, named.length);
    for (const key of named) assert.equal(problems.filter((line) => line.startsWith(`dualModel.${key}:`)).length, 1, key);
  });

  it('keeps the valid custom models and drops the others, naming each', () => {
    const { settings, problems } = parseSettings(
      read({
        customModels: [
          { provider: 'openai-compatible', id: 'qwen3-coder', displayName: 'Qwen3 Coder' },
          { provider: 'google', id: 'gemini-next' },
          { provider: 'skynet', id: 'x' },
          { provider: 'google' },
          'claude',
        ],
      }),
    );
    const custom = settings.catalog.slice(builtInModels.length);
    assert.deepEqual(custom, [
      { provider: 'openai-compatible', id: 'qwen3-coder', displayName: 'Qwen3 Coder', supportsThinking: true },
      { provider: 'google', id: 'gemini-next', displayName: 'gemini-next', supportsThinking: true },
    ]);
    assert.deepEqual(
      problems.map((line) => line.split(':')[0]),
      ['dualModel.customModels[2]', 'dualModel.customModels[3]', 'dualModel.customModels[4]'],
    );
    assert.equal(parseSettings(read({ customModels: { provider: 'google', id: 'x' } })).problems.length, 1, 'not a list at all');
  });

  it('lays valid price entries over the built-in table and drops the others', () => {
    const { settings, problems } = parseSettings(
      read({ prices: { 'qwen3-coder': { input: 0.5, output: 2 }, 'claude-opus-4-6': { input: 4, output: 20, cacheRead: 0.4 }, broken: { input: 'cheap', output: 1 } } }),
    );
    assert.deepEqual(settings.prices['qwen3-coder'], { input: 0.5, output: 2, cacheRead: 0, cacheWrite: 0 });
    assert.deepEqual(settings.prices['claude-opus-4-6'], { input: 4, output: 20, cacheRead: 0.4, cacheWrite: 0 });
    assert.equal(settings.prices['broken'], undefined);
    assert.deepEqual(problems.map((line) => line.split(':')[0]), ['dualModel.prices.broken']);
  });
});

describe('settings read per level', () => {
  it('reports a base URL or artifacts root of the wrong type', () => {
    const { problems } = parseSettings(read({ artifactsRoot: 7, 'anthropic.baseUrl': ['https://a.example'] }));
    assert.deepEqual(problems.map((line) => line.split(':')[0]), ['dualModel.artifactsRoot', 'dualModel.anthropic.baseUrl']);
  });
});
