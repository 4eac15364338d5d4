// A workspace whose own settings send the Architect's requests (with the key) to another host:
// the user is asked in a modal that names the host and the provider before anything is sent, and
// once allowed the panel names the host next to the model.
import * as assert from 'node:assert/strict';
import { enqueueSpec } from '../fakes/scriptedLoop';
import { useFakeProviders } from './fakeProviders';
import { openWorkbench, paletteLabels, pickMode, quickInputRows, screenshot, webviewFrame } from './workbench';

describe("a workspace's own base URL (key goes where the user approved)", () => {
  const fakes = useFakeProviders();

  it('asks in a modal naming the host before the first request, then shows the host next to the model', async () => {
    const { anthropic } = fakes;
    const { 'dualModel.anthropic.baseUrl': workspaceUrl, ...userSettings } = fakes.settings();
    const host = new URL(String(workspaceUrl)).host;
    const { page } = await openWorkbench({
      label: 'e2e-workspace-endpoint',
      settings: userSettings,
      env: fakes.env,
      workspaceSettings: { 'dualModel.anthropic.baseUrl': workspaceUrl },
    });

    let labels: string[] = [];
    for (let attempt = 0; attempt < 15 && !labels.some((label) => label.includes('/dual-model')); attempt++) {
      if (attempt > 0) await page.keyboard.press('Escape');
      labels = await paletteLabels(page, '/dual-model');
    }
    await quickInputRows(page).filter({ hasText: '/dual-model' }).first().click();

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`send Anthropic requests, with your API key, to http://${host.replace(/\./g, '\\.')}`));
    assert.equal(anthropic.requests.length, 0, 'nothing is sent before the user answers');
    await screenshot(page, 'endpoint-00-consent-modal');
    await dialog.getByRole('button', { name: `Allow ${host}` }).click();
    await pickMode(page, 'Single Coder');

    enqueueSpec(anthropic);
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('Add a greet helper');
    await page.keyboard.press('Enter');

    const panel = webviewFrame(page);
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Coder Model' }).waitFor({ timeout: 60_000 });
    assert.ok(anthropic.requests.length >= 1, 'the approved host got the request');
    assert.equal(await panel.locator('[data-testid="endpoint-architect"]').innerText(), `via ${host}`);
    await screenshot(page, 'endpoint-01-host-shown');
  });
});
