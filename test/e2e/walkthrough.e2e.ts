// Onboarding in a real VS Code in Chromium: "Dual-Model: Get Started" opens the walkthrough, and
// its first steps show their pages and buttons.
import * as assert from 'node:assert/strict';
import { openWorkbench, runCommand, screenshot } from './workbench';

describe('the getting-started walkthrough', () => {
  it('opens from the palette with its five steps', async () => {
    const { page } = await openWorkbench({ label: 'e2e-walkthrough' });
    await runCommand(page, 'Dual-Model: Get Started');
    const title = page.locator('.gettingStartedContainer', { hasText: 'Get started with Dual-Model Orchestration' });
    await title.waitFor({ state: 'visible', timeout: 30_000 });
    const steps = await page.locator('.gettingStartedContainer .getting-started-step .step-title').allInnerTexts();
    assert.deepEqual(
      steps.map((text) => text.trim()),
      ['Choose the Architect and the Coder', "Add API keys, or use VS Code's models", 'Try a first run on the demo models', 'Review in the side panel', 'Ask the Architect from your code'],
    );
    await page.locator('.gettingStartedContainer .getting-started-step', { hasText: 'Try a first run on the demo models' }).click();
    await page.locator('.gettingStartedContainer').getByRole('button', { name: 'Start /dual-model' }).waitFor({ state: 'visible', timeout: 15_000 });
    // The step's page is markdown VS Code renders in a webview of its own.
    await page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').getByRole('heading', { name: 'A first run, offline' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'walkthrough-01-first-run-step');
  });
});
