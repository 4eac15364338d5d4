// Best-of-3 in a real VS Code in Chromium, end to end: two demo Coders and one scripted Coder on
// the OpenAI-compatible fake (its candidate differs: its slugify keeps capitals, so its test
// fails), Model Confirmed, the candidates side by side with their facts and the judge's pick and
// no model named, a candidate's diff, "Apply this one" on the pick, the Code Report naming the
// candidate and its model, the second HARD STOP, the review, and no copy left behind.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useFakeProviders } from './fakeProviders';
import { hideBottomPanel, leftoverCopies, openWorkbench, runCommand, screenshot, startRunInMode, webviewFrame } from './workbench';

const args = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  return [text.slice(0, 10), text.slice(10)];
};

/** A slugify that keeps capitals, and a test that says it should not. */
const capitalsSlugify = "'use strict';\n\nfunction slugify(text) {\n  return text.trim().split(/\\s+/).join('-');\n}\n\nmodule.exports = { slugify };\n";
const capitalsTest = "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { slugify } = require('../src/slugify');\ntest('slugify lowercases', () => assert.equal(slugify('Hello World'), 'hello-world'));\n";

describe('a best-of-3 competitive run', () => {
  const fakes = useFakeProviders();

  it('shows three candidates side by side, applies the pick, reports it with its model, and leaves no copy', async () => {
    const { openai } = fakes;
    openai.enqueue(
      // Model Confirmed checks each Coder of the mode: qwen3-coder names itself first.
      { kind: 'answer', text: ['qwen3-coder'] },
      {
        kind: 'answer',
        toolCalls: [
          { id: 'w1', name: 'write_file', argumentFragments: args({ path: 'src/slugify.js', content: capitalsSlugify }) },
          { id: 'w2', name: 'write_file', argumentFragments: args({ path: 'test/slugify.test.js', content: capitalsTest }) },
        ],
      },
      { kind: 'answer', toolCalls: [{ id: 'v1', name: 'run_verification', argumentFragments: ['{}'] }] },
      { kind: 'answer', toolCalls: [{ id: 'r1', name: 'submit_report', argumentFragments: args({ summary: 'Added slugify (keeps capitals).', blockers: [], deviations: [] }) }] },
    );
    const { page, workspaceFolder, server } = await openWorkbench({
      label: 'e2e-competitive',
      settings: {
        'dualModel.demo.latencyMs': 2,
        'dualModel.coder.provider': 'demo',
        'dualModel.coder.model': 'demo-coder',
        'dualModel.run.coders': ['demo/demo-coder', 'demo/demo-coder', { provider: 'openai-compatible', model: 'qwen3-coder', thinking: 'none' }],
        'dualModel.openaiCompatible.baseUrl': openai.baseUrl,
      },
    });
    await startRunInMode(page, 'Competitive', 3, 'Add a slugify helper', 'best3-01');
    const panel = webviewFrame(page);
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Coder Model' }).waitFor({ state: 'visible', timeout: 90_000 });
    await screenshot(page, 'best3-02-spec-hard-stop');
    await panel.locator('[data-testid="confirm-model"]').click();

    // The candidates side by side, with the judge's pick, and no model named before it is applied.
    const competition = panel.locator('[data-testid="competition"]');
    await panel.locator('[data-testid="competition-judge"]').waitFor({ state: 'visible', timeout: 120_000 });
    const picked = competition.locator('.candidate-picked');
    await picked.locator('button', { hasText: 'Apply this one' }).waitFor({ state: 'visible', timeout: 30_000 });
    const shown = await competition.innerText();
    for (const label of ['A', 'B', 'C']) await competition.locator(`[data-testid="candidate-${label}"]`).waitFor({ state: 'visible' });
    assert.equal(await competition.locator('.candidate').count(), 3, shown);
    assert.equal(await competition.locator('.candidate-facts').count(), 3, `each candidate shows its facts:\n${shown}`);
    assert.doesNotMatch(shown, /Demo Coder|qwen3-coder/, `no model is named before the pick is applied:\n${shown}`);
    const pickTestId = (await picked.getAttribute('data-testid')) ?? '';
    const pickLabel = pickTestId.replace('candidate-', '');
    assert.match(pickLabel, /^[A-C]$/, `the pick is one of the three: ${pickTestId}`);
    await hideBottomPanel(page);
    await competition.scrollIntoViewIfNeeded();
    await screenshot(page, 'best3-03-candidates');

    // The candidate that differs: the one excluded for its failed verification; its src/slugify.js against the workspace's.
    const other = competition.locator('.candidate-excluded');
    assert.match(await other.innerText(), /verification failed/);
    await other.locator('li', { hasText: 'src/slugify.js' }).locator('button', { hasText: 'View diff' }).click();
    await page.locator('.monaco-diff-editor .view-line', { hasText: 'slugify' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'best3-04-candidate-diff');
    await runCommand(page, 'View: Close Editor');
    await picked.locator('button', { hasText: 'Apply this one' }).waitFor({ state: 'visible', timeout: 30_000 });

    assert.ok(!existsSync(join(workspaceFolder, 'src', 'slugify.js')), 'nothing is in the workspace before a candidate is applied');
    await picked.locator('button', { hasText: 'Apply this one' }).click();
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Architect Model' }).waitFor({ state: 'visible', timeout: 90_000 });
    const applied = readFileSync(join(workspaceFolder, 'src', 'slugify.js'), 'utf8');
    assert.notEqual(applied, capitalsSlugify, 'the pick, not the candidate that keeps capitals, is in the workspace');
    const report = await panel.locator('[data-testid="document"]').first().innerText();
    assert.match(report, /Code Report/);
    assert.match(report, new RegExp(`[Cc]andidate ${pickLabel}\\b`), report);
    assert.match(report, /Demo Coder/, `the report names the pick's model, now revealed:\n${report}`);
    await hideBottomPanel(page);
    await panel.locator('[data-testid="document"]').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'best3-05-report-hard-stop');

    await panel.locator('[data-testid="confirm-model"]').click();
    await panel.locator('[data-testid="decide-approved"]').waitFor({ state: 'visible', timeout: 90_000 });
    await panel.locator('[data-testid="decide-approved"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'best3-06-review');
    assert.deepEqual(leftoverCopies(server.userDataDir), [], 'no isolated copy is left in the global storage');
  });
});
