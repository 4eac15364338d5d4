// Starting a competitive run the way a user does, in a real VS Code in Chromium: the mode quick
// pick (every mode offered), the Coders it will use, the request, and the one
// modal that names the fan-out and its estimate. Cancel starts nothing; Send starts a run whose
// run.json keeps the mode and its Coders. On the demo models: no key, so each Coder is the demo.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, paletteLabels, pick, pickMode, quickInputRows, screenshot } from './workbench';

async function startCompetitive(page: Page, request: string, shots: boolean): Promise<void> {
  let labels: string[] = [];
  for (let attempt = 0; attempt < 15 && !labels.some((label) => label.includes('/dual-model')); attempt++) {
    if (attempt > 0) await page.keyboard.press('Escape');
    labels = await paletteLabels(page, '/dual-model');
  }
  await quickInputRows(page).filter({ hasText: '/dual-model' }).first().click();
  await quickInputRows(page).filter({ hasText: 'Swarm' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  const modes = (await quickInputRows(page).allInnerTexts()).join('\n');
  assert.match(modes, /Single Coder[\s\S]*default/, 'the default mode comes first');
  assert.doesNotMatch(modes, /Coming: not built yet/, 'every mode runs now');
  if (shots) await screenshot(page, 'mode-01-pick');
  await pickMode(page, 'Competitive');
  await quickInputRows(page).filter({ hasText: 'Start with these 3 Coders' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  assert.match((await quickInputRows(page).allInnerTexts()).join('\n'), /Demo Coder \(offline replay\) ×3/);
  await pick(page, 'Start with these 3 Coders', shots ? 'mode-02-coders' : undefined);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(request);
  await page.keyboard.press('Enter');
}

describe('starting a run in competitive mode', () => {
  it('asks for the mode and the Coders, names the fan-out and its estimate once, and starts nothing on Cancel', async () => {
    const { page, workspaceFolder } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 2 }, label: 'e2e-mode-start' });
    const brain = join(workspaceFolder, '.dual-model', 'brain');
    const runs = (): string[] => (existsSync(brain) ? readdirSync(brain).filter((name) => existsSync(join(brain, name, 'run.json'))) : []);

    await startCompetitive(page, 'Add a slugify helper', true);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, /Send 3 requests to Demo Coder \(offline replay\) ×3/);
    assert.match(text, /estimate of 3 Coder passes/);
    await screenshot(page, 'mode-03-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    assert.deepEqual(runs(), [], 'Cancel: no run started');

    await startCompetitive(page, 'Add a slugify helper', false);
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Send' }).click();
    const deadline = Date.now() + 60_000;
    while (runs().length === 0 && Date.now() < deadline) await page.waitForTimeout(500);
    const [runId] = runs();
    assert.ok(runId, 'Send: a run started within 60 s');
    const run = JSON.parse(readFileSync(join(brain, runId, 'run.json'), 'utf8')) as { mode?: { mode: string; coders: { modelId: string }[] } };
    assert.equal(run.mode?.mode, 'competitive');
    assert.deepEqual(run.mode?.coders.map((coder) => coder.modelId), ['demo-coder', 'demo-coder', 'demo-coder']);
  });
});
