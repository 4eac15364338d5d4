// The user's journey, driven by clicks in a real VS Code in Chromium: palette → /dual-model →
// request → spec → HARD STOP → Model Confirmed → report → HARD STOP → review → Approved, with
// screenshots at every step; and a window reload in the middle of a run, which resumes.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { openWorkbench, paletteLabels, pickMode, quickInputRows, screenshot, webviewFrame } from './workbench';

const START_TITLE = 'Dual-Model: /dual-model — Start an Architect + Coder run';

async function startRun(page: Page, request: string): Promise<void> {
  // What a user types: "/dual-model" finds the command.
  let labels: string[] = [];
  for (let attempt = 0; attempt < 15 && !labels.includes(START_TITLE); attempt++) {
    if (attempt > 0) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
    labels = await paletteLabels(page, '/dual-model');
  }
  assert.ok(labels.includes(START_TITLE), `the palette lists: ${labels.join(' | ')}`);
  await screenshot(page, 'journey-01-palette');
  await quickInputRows(page).filter({ hasText: '/dual-model' }).first().click();
  await pickMode(page, 'Single Coder', 'journey-01b-mode');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(request);
  await screenshot(page, 'journey-02-request');
  await page.keyboard.press('Enter');
}

function panel(page: Page): FrameLocator {
  return webviewFrame(page);
}

async function waitForHardStop(page: Page, heading: string): Promise<void> {
  await panel(page).locator('[data-testid="hard-stop"]', { hasText: heading }).waitFor({ state: 'visible', timeout: 90_000 });
}

describe('the /dual-model journey', () => {
  it('walks palette → spec → HARD STOP → Coder → report → review → Approved', async () => {
    const { page, workspaceFolder } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 2 }, label: 'e2e-journey' });
    await startRun(page, 'Add a slugify helper to the text kit');

    await waitForHardStop(page, '🛑 HARD STOP: Switch to Coder Model');
    const card = panel(page).locator('[data-testid="hard-stop"]');
    assert.match(await card.innerText(), /Next: Coder — Demo Coder \(offline replay\)/);
    assert.match(await card.innerText(), /Task: Implement Code Spec/);
    assert.match(await card.innerText(), /node --test/, 'the command to be run is shown before confirming');
    await panel(page).locator('[data-testid="demo-badge"]').waitFor({ state: 'visible' });
    assert.match(await panel(page).locator('[data-testid="document"]').first().innerText(), /Code Spec — Add a slugify utility/);
    await screenshot(page, 'journey-03-spec-hard-stop');

    await panel(page).locator('[data-testid="confirm-model"]').click();
    await waitForHardStop(page, '🛑 HARD STOP: Switch to Architect Model');
    assert.ok(existsSync(join(workspaceFolder, 'src', 'slugify.js')), 'the Coder really wrote the file');
    const report = panel(page).locator('[data-testid="document"]').first();
    assert.match(await report.innerText(), /Code Report — CS-DEMO-001/);
    assert.match(await report.innerText(), /PASS/);
    await screenshot(page, 'journey-04-report-hard-stop');

    await panel(page).locator('[data-testid="confirm-model"]').click();
    await panel(page).locator('[data-testid="decide-approved"]').waitFor({ state: 'visible', timeout: 90_000 });
    await screenshot(page, 'journey-05-review');
    await panel(page).locator('[data-testid="decide-approved"]').click();
    await panel(page).locator('[data-testid="phase-label"]', { hasText: 'Approved' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'journey-06-approved');

    // The Runs view lists it, approved.
    await page.locator('.activitybar .action-item a[aria-label^="Dual-Model"]').first().click();
    const row = page.locator('.pane-body .monaco-list-row', { hasText: 'Add a slugify helper to the text kit' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await row.innerText(), /Approved/);
    await screenshot(page, 'journey-07-runs-view');

    const brain = join(workspaceFolder, '.dual-model', 'brain');
    const [runId] = readdirSync(brain);
    assert.ok(runId);
    const run = JSON.parse(readFileSync(join(brain, runId, 'run.json'), 'utf8')) as { state: { phase: string } };
    assert.equal(run.state.phase, 'approved');
  });

  it('resumes after a window reload at a HARD STOP and finishes the phase', async () => {
    const { page, workspaceFolder } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 0 }, label: 'e2e-reload' });
    await startRun(page, 'Add a slugify helper');
    await waitForHardStop(page, '🛑 HARD STOP: Switch to Coder Model');

    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The panel comes back by itself (its serializer), in the same phase.
    await waitForHardStop(page, '🛑 HARD STOP: Switch to Coder Model');
    await screenshot(page, 'reload-01-resumed-hard-stop');
    await panel(page).locator('[data-testid="confirm-model"]').click();
    await waitForHardStop(page, '🛑 HARD STOP: Switch to Architect Model');
    assert.ok(existsSync(join(workspaceFolder, 'src', 'slugify.js')));
    await screenshot(page, 'reload-02-after-resume');
  });
});
