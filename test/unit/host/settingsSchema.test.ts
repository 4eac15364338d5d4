// The dualModel.* settings as the extension reads them: one schema, every value checked, and a
// bad value replaced by its default with one warning that names the setting.
import * as assert from 'node:assert/strict';
import { builtInModels, builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { findModel, limitsFor, modelPrice, priceTable } from '../../../src/core/models/registry.js';
import { defaultRoles } from '../../../src/core/models/roles.js';
import { levelledReader, parseSettings } from '../../../src/vscode/settingsSchema.js';

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
    assert.deepEqual(settings.registry, builtInRegistry);
    assert.deepEqual(settings.prices, priceTable(builtInRegistry));
    assert.deepEqual(settings.spendCaps, {});
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
    const custom = settings.registry.models.slice(builtInModels.length);
    assert.deepEqual(custom, [
      { provider: 'openai-compatible', id: 'qwen3-coder', displayName: 'Qwen3 Coder', capabilities: { tools: true, thinking: true, json: false } },
      { provider: 'google', id: 'gemini-next', displayName: 'gemini-next', capabilities: { tools: true, thinking: true, json: false } },
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

  it('keeps a price for a model the registry does not list, by id, and prices it in estimates too', () => {
    const { settings } = parseSettings(read({ prices: { 'gpt-4.1': { input: 2, output: 8 } } }));
    assert.deepEqual(modelPrice(settings.registry, 'vscode-lm', 'gpt-4.1'), { input: 2, output: 8, cacheRead: 0, cacheWrite: 0 });
  });

  it('lays valid dualModel.modelRegistry entries over the built-ins, adds new models, and drops each bad entry with a line naming it', () => {
    const entries = [
      { id: 'gemini-2.5-flash-lite', limits: { rpm: 15, tpm: 250_000, rpd: 1000 } },
      { provider: 'anthropic', id: 'claude-opus-5', price: { input: 5, output: 25, reasoning: 25, cacheRead: 0.5, cacheWrite: 6.25 }, contextWindow: 1_000_000 },
      { provider: 'openai-compatible', id: 'qwen3-coder', displayName: 'Qwen3 Coder', tier: 'medium', price: { input: 0, output: 0 }, capabilities: { json: true } },
      { id: 'gemini-3-flash-preview', tier: 'legendary' },
      { provider: 'google', id: 'gemini-3-flash-preview', limits: { rpd: -1 } },
      { id: 'no-such-model', tier: 'simple' },
      { provider: 'google', id: 'gemini-3-flash-preview', dailyResetTimeZone: 'Mars/Olympus' },
      { provider: 'google', id: 'gemini-3-flash-preview', priceInput: 1 },
      'gemini',
    ];
    const { settings, problems } = parseSettings(read({ modelRegistry: entries }));
    const registry = settings.registry;
    assert.deepEqual(limitsFor(registry, 'google', 'gemini-2.5-flash-lite'), { rpm: 15, tpm: 250_000, rpd: 1000 });
    assert.equal(findModel(registry.models, 'google', 'gemini-2.5-flash-lite')?.limits?.plan, 'your settings (dualModel.modelRegistry)');
    assert.equal(findModel(registry.models, 'google', 'gemini-2.5-flash-lite')?.tier, 'simple', 'what the entry does not name stays as built in');
    const opus5 = findModel(registry.models, 'anthropic', 'claude-opus-5');
    assert.equal(opus5?.contextWindow, 1_000_000);
    assert.equal(settings.prices['claude-opus-5']?.input, 5);
    const qwen = findModel(registry.models, 'openai-compatible', 'qwen3-coder');
    assert.deepEqual(qwen?.capabilities, { tools: true, thinking: true, json: true });
    assert.equal(qwen?.tier, 'medium');
    assert.deepEqual(qwen?.price, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    // Every bad entry is named by its index and ignored; nothing else is lost.
    assert.deepEqual(
      problems.map((line) => line.split(':')[0]),
      [3, 4, 6, 7, 8, 5].map((index) => `dualModel.modelRegistry[${index}]`),
    );
    for (const line of problems) assert.match(line, /this entry is ignored|This entry is ignored/);
    assert.match(problems.find((line) => line.startsWith('dualModel.modelRegistry[5]')) ?? '', /no listed model has the id "no-such-model"; give its provider/);
    assert.match(problems.find((line) => line.startsWith('dualModel.modelRegistry[6]')) ?? '', /not an IANA time zone/);
    assert.equal(findModel(registry.models, 'google', 'gemini-3-flash-preview')?.tier, 'medium');
    assert.deepEqual(limitsFor(registry, 'google', 'gemini-3-flash-preview'), { rpd: 250 });
    assert.equal(parseSettings(read({ modelRegistry: { id: 'x' } })).problems.length, 1, 'not a list at all');
  });

  it('reads the spending caps, a cap of 0 included, and reports a bad one without setting it', () => {
    assert.deepEqual(parseSettings(read({ 'spend.capPerRunUsd': 0.5, 'spend.capPerDayUsd': 0 })).settings.spendCaps, { perRunUsd: 0.5, perDayUsd: 0 });
    const { settings, problems } = parseSettings(read({ 'spend.capPerRunUsd': -1, 'spend.capPerDayUsd': 'ten' }));
    assert.deepEqual(settings.spendCaps, {});
    assert.deepEqual(problems.map((line) => line.split(':')[0]), ['dualModel.spend.capPerRunUsd', 'dualModel.spend.capPerDayUsd']);
  });
});

describe('settings read per level', () => {
  it("takes the spending caps from the user's level only: a workspace can neither raise nor remove one", () => {
    const merged = read({ 'spend.capPerRunUsd': 1000, 'spend.capPerDayUsd': null, 'coder.model': 'from-the-workspace' });
    const user = read({ 'spend.capPerRunUsd': 2, 'spend.capPerDayUsd': 10 });
    const { settings } = parseSettings(levelledReader(merged, user));
    assert.deepEqual(settings.spendCaps, { perRunUsd: 2, perDayUsd: 10 });
    assert.equal(settings.roles.coder.model, 'from-the-workspace', 'other settings are read merged as before');
  });

  it("takes prices from the user's level only: a workspace pricing a model at zero changes nothing", () => {
    const free = { input: 0, output: 0 };
    const merged = read({
      prices: { 'claude-sonnet-4-6': free, 'workspace-only-model': free },
      modelRegistry: [{ id: 'gemini-3-flash-preview', price: free, tier: 'simple' }, { provider: 'google', id: 'gemini-2.5-flash-lite', price: free }],
    });
    const { settings } = parseSettings(levelledReader(merged, read({})));
    const builtIn = parseSettings(read({})).settings.registry;
    for (const id of ['claude-sonnet-4-6', 'gemini-3-flash-preview', 'gemini-2.5-flash-lite']) {
      assert.deepEqual(modelPrice(settings.registry, id.startsWith('claude') ? 'anthropic' : 'google', id), modelPrice(builtIn, id.startsWith('claude') ? 'anthropic' : 'google', id), id);
    }
    assert.equal(modelPrice(settings.registry, 'openai-compatible', 'workspace-only-model'), undefined, 'a workspace cannot price a model it names');
    assert.equal(settings.prices['claude-sonnet-4-6']?.output, priceTable(builtIn)['claude-sonnet-4-6']?.output);
    assert.equal(findModel(settings.registry.models, 'google', 'gemini-3-flash-preview')?.tier, 'simple', "the workspace's other registry fields still apply");
  });

  it("takes the run's mode and Coders from the user's level only: a workspace asking for 8 competing Coders is not obeyed", () => {
    const eight = Array.from({ length: 8 }, () => 'anthropic/claude-opus-4-6');
    const merged = read({ 'run.mode': 'competitive', 'run.coders': eight, 'run.candidates': 8, 'run.askMode': false });
    const { settings } = parseSettings(levelledReader(merged, read({})));
    assert.deepEqual(settings.run, { mode: 'single', coders: undefined, candidates: 3, askMode: true });
  });

  it("reads the user's own run mode and Coders, as ids or objects", () => {
    const user = read({ 'run.mode': 'competitive', 'run.coders': ['google/gemini-3-flash-preview', { provider: 'openai-compatible', model: 'org/model', thinking: 'low' }], 'run.askMode': false });
    const { settings, problems } = parseSettings(levelledReader(read({}), user));
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.run, {
      mode: 'competitive',
      coders: [{ provider: 'google', model: 'gemini-3-flash-preview' }, { provider: 'openai-compatible', model: 'org/model', thinking: 'low' }],
      candidates: 3,
      askMode: false,
    });
  });

  it('reports a Coder entry it cannot read, and more Coders than may run at once', () => {
    const user = read({ 'run.coders': ['no-slash', 'nowhere/model', ...Array.from({ length: 9 }, () => 'demo/demo-coder')], 'run.candidates': 20 });
    const { settings, problems } = parseSettings(levelledReader(read({}), user));
    assert.equal(settings.run.coders?.length, 8);
    assert.equal(settings.run.candidates, 3);
    assert.deepEqual(problems.map((line) => line.split(':')[0]), ['dualModel.run.candidates', 'dualModel.run.coders[0]', 'dualModel.run.coders[1]', 'dualModel.run.coders']);
  });

  it("keeps the user's own prices when a workspace replaces the registry list", () => {
    const mine = { input: 1, output: 2 };
    const user = read({ prices: { 'local-model': mine }, modelRegistry: [{ id: 'gemini-3-flash-preview', price: mine }] });
    const merged = read({ prices: { 'local-model': { input: 0, output: 0 } }, modelRegistry: [{ id: 'gemini-3-flash-preview', tier: 'simple', price: { input: 0, output: 0 } }] });
    const { settings, problems } = parseSettings(levelledReader(merged, user));
    assert.deepEqual(problems, []);
    assert.equal(modelPrice(settings.registry, 'google', 'gemini-3-flash-preview')?.output, 2);
    assert.equal(modelPrice(settings.registry, 'openai-compatible', 'local-model')?.output, 2);
    assert.equal(findModel(settings.registry.models, 'google', 'gemini-3-flash-preview')?.tier, 'simple');
  });

  it('reports a base URL or artifacts root of the wrong type', () => {
    const { problems } = parseSettings(read({ artifactsRoot: 7, 'anthropic.baseUrl': ['https://a.example'] }));
    assert.deepEqual(problems.map((line) => line.split(':')[0]), ['dualModel.artifactsRoot', 'dualModel.anthropic.baseUrl']);
  });
});
