import assert from 'node:assert/strict';
import { builtInModels } from '../../../src/core/models/builtInRegistry.js';
import { defaultRoles, modelDisplayName, resolveRole, validateRole } from '../../../src/core/models/roles.js';

const ready = () => ({ ready: true as const });
const notReady = () => ({ ready: false as const, why: 'no Anthropic key is configured.' });

describe('roles', () => {
  it("default to the seed's table with ids that exist today", () => {
    assert.deepEqual(validateRole('architect', defaultRoles.architect, builtInModels), []);
    assert.deepEqual(validateRole('coder', defaultRoles.coder, builtInModels), []);
    const opus = builtInModels.find((m) => m.id === 'claude-opus-4-6');
    assert.equal(modelDisplayName(opus, 'claude-opus-4-6', 'high'), 'Claude Opus 4.6 (Thinking)');
    assert.equal(modelDisplayName(builtInModels.find((m) => m.id === 'claude-sonnet-4-6'), 'claude-sonnet-4-6', 'none'), 'Claude Sonnet 4.6');
    const gemini = builtInModels.find((m) => m.id === 'gemini-3.1-pro-preview');
    assert.equal(modelDisplayName(gemini, 'gemini-3.1-pro-preview', 'high'), 'Gemini 3.1 Pro (High)');
    assert.equal(modelDisplayName(gemini, 'gemini-3.1-pro-preview', 'low'), 'Gemini 3.1 Pro (Low)');
  });

  it('a retired model fails before the run, naming its successor', () => {
    const problems = validateRole('coder', { ...defaultRoles.coder, model: 'gemini-3-pro-preview' }, builtInModels);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /Coder: the model "gemini-3-pro-preview" \(dualModel\.coder\.model\) was retired on 2026-03-09\. Use its successor "gemini-3\.1-pro-preview"/);
  });

  it('an unknown model, unknown provider or empty model says what to change', () => {
    assert.match(validateRole('architect', { ...defaultRoles.architect, model: 'claude-opus-9' }, builtInModels)[0] ?? '', /not a known Anthropic model\. Known: claude-opus-4-6.*dualModel\.customModels/);
    assert.match(validateRole('architect', { ...defaultRoles.architect, provider: 'acme' }, builtInModels)[0] ?? '', /unknown provider "acme"/);
    assert.match(validateRole('architect', { ...defaultRoles.architect, model: ' ' }, builtInModels)[0] ?? '', /is empty/);
    assert.match(validateRole('architect', { ...defaultRoles.architect, fallbackModel: 'gemini-3-pro-preview' }, builtInModels)[0] ?? '', /fallback model "gemini-3-pro-preview"/);
    assert.deepEqual(validateRole('coder', { ...defaultRoles.coder, provider: 'openai-compatible', model: 'qwen3-coder', fallbackModel: 'llama' }, builtInModels), []);
    const custom = [...builtInModels, { provider: 'anthropic' as const, id: 'claude-next', displayName: 'Claude Next', capabilities: { tools: true, thinking: true, json: false } }];
    assert.deepEqual(validateRole('architect', { ...defaultRoles.architect, model: 'claude-next' }, custom), []);
  });

  it('without a usable provider the demo plays the role and says why; "never" refuses instead', () => {
    const demo = resolveRole('architect', defaultRoles.architect, builtInModels, notReady, 'auto');
    assert.equal(demo.kind, 'demo');
    if (demo.kind === 'demo') {
      assert.equal(demo.snapshot.isDemo, true);
      assert.match(demo.why, /Architect would be Claude Opus 4\.6 \(Thinking\), but no Anthropic key/);
    }
    const refused = resolveRole('architect', defaultRoles.architect, builtInModels, notReady, 'never');
    assert.equal(refused.kind, 'error');
    const real = resolveRole('architect', defaultRoles.architect, builtInModels, ready, 'auto');
    assert.deepEqual(real, {
      kind: 'real',
      snapshot: {
        provider: 'anthropic',
        modelId: 'claude-opus-4-6',
        displayName: 'Claude Opus 4.6 (Thinking)',
        thinking: 'high',
        isDemo: false,
        fallback: { modelId: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', thinking: 'none' },
      },
    });
    const coder = resolveRole('coder', defaultRoles.coder, builtInModels, ready, 'auto');
    assert.ok(coder.kind === 'real');
    assert.deepEqual(coder.snapshot.fallback, { modelId: 'gemini-3.1-pro-preview', displayName: 'Gemini 3.1 Pro (Low)', thinking: 'low' }, "the seed's Gemini 3 Pro (High) → (Low)");
    const broken = resolveRole('coder', { ...defaultRoles.coder, model: 'gemini-3-pro-preview' }, builtInModels, notReady, 'auto');
    assert.equal(broken.kind, 'error', 'a misconfigured role is an error even when the demo would play it');
  });
});
