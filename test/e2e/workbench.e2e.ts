// Smoke journeys for the e2e harness itself: the workbench loads with the extension under
// development, the command palette opens and filters, and an untrusted workspace opens in
// Restricted Mode. They assert nothing about the extension's own behaviour.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, paletteLabels, screenshot } from './workbench';

describe('workbench smoke', () => {
  it('loads the sample workspace and opens the command palette', async () => {
    const { page, workspaceFolder } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 0 } });
    assert.ok(existsSync(join(workspaceFolder, 'src', 'index.js')), 'the workspace copy is on disk');
    await explorerHeader(page, 'sample-workspace').waitFor({ state: 'visible', timeout: 30_000 });

    // The extension's commands register a moment after the window shows: give them a few tries,
    // but only report what the palette lists.
    let labels: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      labels = await paletteLabels(page, 'Dual-Model');
      if (labels.some((label) => label.startsWith('Dual-Model:')) || attempt === 9) {
        break;
      }
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
    assert.equal(await page.locator('.quick-input-widget .quick-input-box input').inputValue(), '>Dual-Model');
    console.log(`      the palette lists: ${labels.join(' | ') || '(nothing)'}`);
    assert.ok(existsSync(await screenshot(page, 'smoke-command-palette')));
  });

  it('opens an untrusted workspace in Restricted Mode', async () => {
    const { page } = await openWorkbench({ trusted: false, label: 'e2e-untrusted' });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    assert.ok(existsSync(await screenshot(page, 'smoke-restricted-mode')));
  });
});

function explorerHeader(page: Page, folderName: string) {
  return page.locator('.pane-header', { hasText: folderName }).first();
}
