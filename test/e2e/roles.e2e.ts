// Changing a role's model the way a user does: the Configure Roles quick picks, then the
// workspace settings they wrote.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, quickInputRows, runCommand, screenshot } from './workbench';

async function pick(page: Page, filter: string, shot?: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(filter);
  await quickInputRows(page).filter({ hasText: filter }).first().waitFor({ state: 'visible', timeout: 15_000 });
  if (shot) await screenshot(page, shot);
  await page.keyboard.press('Enter');
}

describe('configuring the roles', () => {
  it("sets the Coder's model, thinking level and fallback with quick picks", async () => {
    const { page, workspaceFolder } = await openWorkbench({ label: 'e2e-roles' });
    await runCommand(page, 'Dual-Model: Configure Roles (Architect and Coder models)');
    await pick(page, 'Coder');
    await pick(page, 'Gemini 3 Flash', 'roles-01-model-pick');
    await pick(page, 'low');
    await pick(page, 'Gemini 2.5 Flash-Lite');
    await pick(page, 'none');
    const file = join(workspaceFolder, '.vscode', 'settings.json');
    for (let attempt = 0; attempt < 50 && !(existsSync(file) && readFileSync(file, 'utf8').includes('fallbackThinking')); attempt++) {
      await page.waitForTimeout(200);
    }
    const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    assert.equal(settings['dualModel.coder.provider'], 'google');
    assert.equal(settings['dualModel.coder.model'], 'gemini-3-flash-preview');
    assert.equal(settings['dualModel.coder.thinking'], 'low');
    assert.equal(settings['dualModel.coder.fallbackModel'], 'gemini-2.5-flash-lite');
    assert.equal(settings['dualModel.coder.fallbackThinking'], 'none');
    await screenshot(page, 'roles-02-saved');
  });
});
