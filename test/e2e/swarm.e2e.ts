// A swarm in a real VS Code in Chromium, every model on the Anthropic fake: the Architect writes
// two specs on overlapping files (so two waves, and the fake's answers come in a known order);
// the HARD STOP shows each spec's route and the estimate against all-top-tier; the first spec's
// cheap tier writes a slugify that fails its test and is escalated one tier up, which passes;
// the second spec (documentation, a verification that checks nothing) is accepted by the
// Architect; the report says who did what on which tier, the acceptance and the cost; the review.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCodeSpec } from '../../src/core/artifacts/codeSpec';
import type { FakeAnthropicServer } from '../fakes/anthropicServer';
import { enqueueReview } from '../fakes/scriptedLoop';
import { useFakeProviders } from './fakeProviders';
import { hideBottomPanel, leftoverCopies, openWorkbench, screenshot, startRunInMode, webviewFrame } from './workbench';

const slugifySpec = renderCodeSpec({
  title: 'Add slugify',
  specId: 'CS-SW-001',
  architect: 'Claude Opus 4.6',
  created: '2026-11-28T00:00:00Z',
  priority: 'P2',
  batch: { total: 2 },
  complexity: 'simple',
  objective: 'Add `slugify(text)`: lower case, words joined by "-".',
  files: [
    { action: 'NEW', path: 'src/slugify.js', purpose: 'The helper.', contents: ['`function slugify(text)`'] },
    { action: 'NEW', path: 'test/slugify.test.js', purpose: 'Its test.', contents: ['`slugify lowercases and joins`'] },
  ],
  tests: [{ name: 'slugify lowercases and joins', description: 'slugify("Hello World") is "hello-world"', checked: false }],
  guardrails: ['do not touch `package.json`'],
  verification: { language: 'bash', command: 'node --test test/slugify.test.js' },
  context: '',
});

const docsSpec = renderCodeSpec({
  title: 'Document slugify',
  specId: 'CS-SW-002',
  architect: 'Claude Opus 4.6',
  created: '2026-11-28T00:00:00Z',
  priority: 'P2',
  complexity: 'trivial',
  objective: 'A JSDoc comment on `slugify` saying what it returns.',
  files: [{ action: 'MODIFY', path: 'src/slugify.js', change: 'A JSDoc block above `slugify`.', constraints: ['no code changes'] }],
  tests: [{ name: 'none', description: 'documentation only', checked: false }],
  guardrails: ['change no code, only the comment'],
  verification: { language: 'bash', command: 'echo "documentation only"' },
  context: '',
});

const wrongSlugify = "'use strict';\n\nfunction slugify(text) {\n  return text.trim().split(/\\s+/).join('-');\n}\n\nmodule.exports = { slugify };\n";
const rightSlugify = "'use strict';\n\nfunction slugify(text) {\n  return text.trim().toLowerCase().split(/\\s+/).join('-');\n}\n\nmodule.exports = { slugify };\n";
const documented = rightSlugify.replace('function slugify', '/** The text in lower case, its words joined by "-". */\nfunction slugify');
const slugifyTest = "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { slugify } = require('../src/slugify');\ntest('slugify lowercases and joins', () => assert.equal(slugify('Hello World'), 'hello-world'));\n";

let toolId = 0;
/** One Coder turn on the Anthropic fake: its tool calls, with usage so the report has a cost. */
function coderTurn(anthropic: FakeAnthropicServer, calls: { name: string; input: Record<string, unknown> }[], startGate?: Promise<void>): void {
  anthropic.enqueue({
    kind: 'answer',
    blocks: calls.map((call) => ({ type: 'tool_use' as const, id: `toolu_sw_${(toolId += 1)}`, name: call.name, input: call.input })),
    usage: { input_tokens: 1500, output_tokens: 300 },
    ...(startGate ? { startGate } : {}),
  });
}

/** Write the files, run the verification, report: one Coder's whole attempt (its first answer held until `startGate`). */
function coderAttempt(anthropic: FakeAnthropicServer, files: Record<string, string>, summary: string, startGate?: Promise<void>): void {
  coderTurn(anthropic, Object.entries(files).map(([path, content]) => ({ name: 'write_file', input: { path, content } })), startGate);
  coderTurn(anthropic, [{ name: 'run_verification', input: {} }]);
  coderTurn(anthropic, [{ name: 'submit_report', input: { summary, blockers: [], deviations: [] } }]);
}

describe('a swarm run', () => {
  const fakes = useFakeProviders();

  it('routes each spec by complexity, escalates the one that fails its test, has the Architect accept the unchecked one, and reports tiers and cost', async () => {
    const { anthropic } = fakes;
    anthropic.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: `${slugifySpec}\n---\n\n${docsSpec}` }], usage: { input_tokens: 1500, output_tokens: 900 } });
    // Model Confirmed checks the models the plan routes to first: both specs go to Claude Haiku.
    anthropic.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'claude-haiku-4-5' }] });
    // Wave 1: the cheap tier's slugify keeps capitals, so its test fails; one tier up gets it right.
    coderAttempt(anthropic, { 'src/slugify.js': wrongSlugify, 'test/slugify.test.js': slugifyTest }, 'Added slugify.');
    // The escalated attempt's first answer waits until the panel has been seen mid-escalation.
    let release = (): void => undefined;
    const seen = new Promise<void>((resolve) => (release = resolve));
    coderAttempt(anthropic, { 'src/slugify.js': rightSlugify, 'test/slugify.test.js': slugifyTest }, 'Added slugify, lower-cased.', seen);
    // Wave 2: the comment, which no command checks, then the Architect's acceptance.
    coderAttempt(anthropic, { 'src/slugify.js': documented }, 'Documented slugify.');
    anthropic.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: '{"accepted": true, "reasons": "The comment says what slugify returns, and no code changed."}' }] });

    const { page, workspaceFolder, server } = await openWorkbench({
      label: 'e2e-swarm',
      env: fakes.env,
      settings: {
        'dualModel.architect.provider': 'anthropic',
        'dualModel.architect.model': 'claude-opus-4-6',
        'dualModel.anthropic.baseUrl': anthropic.url,
        // The Coder role is only checked at the HARD STOP; the swarm's Coders are the registry's.
        'dualModel.coder.provider': 'demo',
        'dualModel.coder.model': 'demo-coder',
      },
    });
    const { prompt } = await startRunInMode(page, 'Swarm', undefined, 'Add slugify and document it', 'swarm-01');
    assert.match(prompt, /Swarm — simple: Claude Haiku 4\.5[^·]* · complex: Claude Sonnet 4\.6[^·]* · expert: Claude Opus 4\.6/, `before anything is sent, the request box names the models the swarm may use; it says: ${prompt}`);
    const panel = webviewFrame(page);
    const hardStop = panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Coder Model' });
    await hardStop.waitFor({ state: 'visible', timeout: 90_000 });
    const plan = await hardStop.innerText();
    assert.match(plan, /CS-SW-001: simple → Claude Haiku/, plan);
    assert.match(plan, /CS-SW-002: (trivial|simple) → Claude Haiku/, plan);
    assert.match(plan, /against about \$\d+\.\d+ with every spec on the top tier/, plan);
    assert.equal(await panel.locator('[data-testid="swarm-plan"] li').count(), 2, 'one line a spec');
    await screenshot(page, 'swarm-02-plan-hard-stop');
    await panel.locator('[data-testid="confirm-model"]').click();
    await panel.locator('[data-testid="hard-stop"]').waitFor({ state: 'detached', timeout: 60_000 });
    const checked = anthropic.requests.map((request) => request.body as { model?: string; max_tokens?: number }).filter((body) => body.max_tokens === 64).map((body) => body.model);
    assert.deepEqual(checked, ['claude-haiku-4-5'], 'Model Confirmed checked the model the swarm routes to, not the Coder role');

    // Mid-run: the first spec's row says it went one tier up and to whom; the second waits for its wave.
    try {
      await panel.locator('[data-testid="batch-doing-1"]', { hasText: 'Claude Sonnet 4.6' }).waitFor({ state: 'visible', timeout: 120_000 });
      assert.equal(await panel.locator('[data-testid="batch-doing-2"]').count(), 0, 'the second spec has not started');
      await hideBottomPanel(page);
      await panel.locator('[data-testid="batch"]').scrollIntoViewIfNeeded();
      await screenshot(page, 'swarm-025-escalating');
    } finally {
      release();
    }

    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Architect Model' }).waitFor({ state: 'visible', timeout: 180_000 });
    assert.equal(readFileSync(join(workspaceFolder, 'src', 'slugify.js'), 'utf8'), documented, "wave 1's escalated slugify with wave 2's comment");
    const report = await panel.locator('[data-testid="document"]').first().innerText();
    assert.match(report, /Swarm: 2 specs in 2 waves/, report);
    assert.match(report, /CS-SW-001[\s\S]*Routed: simple → claude-haiku-4-5[^\n]*; failed, escalated to [^\n]*→ claude-sonnet/, report);
    assert.match(report, /CS-SW-002[\s\S]*Accepted by the Architect: The comment says what slugify returns/, report);
    assert.match(report, /with every spec on the top tier \(Claude Opus 4\.6\)/, report);
    assert.match(report, /Spent: \$\d+\.\d+ on \d+ calls; the Coders' same tokens at Claude Opus 4\.6's price: \$\d+\.\d+, so \d+% less\./, report);
    await hideBottomPanel(page);
    await panel.locator('[data-testid="document"]').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'swarm-03-report-hard-stop');

    enqueueReview(anthropic);
    await panel.locator('[data-testid="confirm-model"]').click();
    await panel.locator('[data-testid="decide-approved"]').waitFor({ state: 'visible', timeout: 90_000 });
    await panel.locator('[data-testid="decide-approved"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'swarm-04-review');
    assert.deepEqual(leftoverCopies(server.userDataDir), [], 'no isolated copy is left in the global storage');
    const models = anthropic.requests.map((request) => (request.body as { model?: string }).model);
    assert.ok(models.includes('claude-haiku-4-5') && models.some((model) => model?.startsWith('claude-sonnet')), `the cheap tier and the one above it were both called: ${models.join(', ')}`);
  });
});
