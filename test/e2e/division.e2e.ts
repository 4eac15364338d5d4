// Division of labour in a real VS Code in Chromium: the Architect (the Anthropic fake, scripted)
// writes three specs, slugify and titleCase on disjoint files and a slugify revision on the
// first's files; Model Confirmed; two demo Coders take the first two side by side (wave 1) and
// the revision after them (wave 2); the merged workspace holds all three; the Code Report lists
// each spec with its Coder and wave; the review.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoBatchSpecs } from '../../src/providers/demo/demoBatchScript';
import { demoSpecV2 } from '../../src/providers/demo/demoScript';
import { enqueueReview } from '../fakes/scriptedLoop';
import { useFakeProviders } from './fakeProviders';
import { hideBottomPanel, leftoverCopies, openWorkbench, screenshot, startRunInMode, webviewFrame } from './workbench';

/** The demo batch's slugify (CS-DEMO-B01) and titleCase (CS-DEMO-B03), then the slugify revision (CS-DEMO-002), which the demo Coder knows how to do. */
function threeSpecs(request: string): string {
  const architect = 'Claude Opus 4.6';
  const created = '2026-11-28T00:00:00Z';
  const [slugify, , titleCase] = demoBatchSpecs(request, architect, created).split('\n---\n\n');
  if (!slugify || !titleCase) throw new Error('the demo batch is no longer three specs separated by ---');
  return `${slugify}\n---\n\n${titleCase}\n---\n\n${demoSpecV2(architect, created)}`;
}

describe('a division of labour run', () => {
  const fakes = useFakeProviders();

  it('runs two disjoint specs side by side, the overlapping third after them, merges all three and reports each with its Coder and wave', async () => {
    const { anthropic } = fakes;
    const request = 'Add slugify and titleCase, then transliterate accents in slugify';
    anthropic.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: threeSpecs(request) }], usage: { input_tokens: 1500, output_tokens: 900 } });
    const { page, workspaceFolder, server } = await openWorkbench({
      label: 'e2e-division',
      env: fakes.env,
      settings: {
        'dualModel.demo.latencyMs': 2,
        'dualModel.architect.provider': 'anthropic',
        'dualModel.architect.model': 'claude-opus-4-6',
        'dualModel.anthropic.baseUrl': anthropic.url,
        'dualModel.coder.provider': 'demo',
        'dualModel.coder.model': 'demo-coder',
        'dualModel.run.coders': ['demo/demo-coder', 'demo/demo-coder'],
      },
    });
    await startRunInMode(page, 'Division of labour', 2, request, 'division-01');
    const panel = webviewFrame(page);
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Coder Model' }).waitFor({ state: 'visible', timeout: 90_000 });
    await screenshot(page, 'division-02-specs-hard-stop');
    await panel.locator('[data-testid="confirm-model"]').click();

    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Architect Model' }).waitFor({ state: 'visible', timeout: 180_000 });
    const slugify = readFileSync(join(workspaceFolder, 'src', 'slugify.js'), 'utf8');
    assert.match(slugify, /NFKD/, 'the wave-2 revision (transliteration) is merged over wave 1\'s slugify');
    assert.match(readFileSync(join(workspaceFolder, 'src', 'titleCase.js'), 'utf8'), /titleCase/, 'wave 1\'s titleCase is merged');
    assert.match(readFileSync(join(workspaceFolder, 'test', 'slugify.test.js'), 'utf8'), /accent|transliterat/i, 'the revision\'s test is merged');
    const report = await panel.locator('[data-testid="document"]').first().innerText();
    for (const id of ['CS-DEMO-B01', 'CS-DEMO-B03', 'CS-DEMO-002']) assert.match(report, new RegExp(id), `the report lists ${id}:\n${report}`);
    assert.match(report, /Demo Coder/, report);
    assert.match(report, /3 specs in 2 waves/, report);
    assert.equal(report.match(/Wave: 1 of 2/g)?.length, 2, `two specs in wave 1:\n${report}`);
    assert.match(report, /CS-DEMO-002[^\n]*\n+Coder: Demo Coder[^\n]*\n+Wave: 2 of 2/, `the revision in wave 2:\n${report}`);
    await hideBottomPanel(page);
    await panel.locator('[data-testid="document"]').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'division-03-report-hard-stop');

    enqueueReview(anthropic);
    await panel.locator('[data-testid="confirm-model"]').click();
    await panel.locator('[data-testid="decide-approved"]').waitFor({ state: 'visible', timeout: 90_000 });
    await panel.locator('[data-testid="decide-approved"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'division-04-review');
    assert.deepEqual(leftoverCopies(server.userDataDir), [], 'no isolated copy is left in the global storage');
  });
});
