// The Keys view by clicks in a real VS Code in Chromium: three Google keys added through the add
// flow (provider, password box, label, quota group, plan), two in one quota group and one on its
// own, then the view drawn with the provider, the two groups and the masked keys. Screenshots.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openWorkbench, pick, runCommand, screenshot } from './workbench';

async function typeInto(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

async function addGoogleKey(page: Page, key: string, label: string, group: 'new' | 'own' | string): Promise<void> {
  await runCommand(page, 'Dual-Model: Add Key…');
  await pick(page, 'Google Gemini');
  await typeInto(page, key);
  await typeInto(page, label);
  if (group === 'own') await pick(page, 'Its own');
  else if (group === 'new') {
    await pick(page, 'A new quota group');
    await typeInto(page, 'project-a');
  } else await pick(page, group);
  await pick(page, 'Learn from the provider');
}

describe('the Keys view', () => {
  it('shows three keys added through the add flow, in two quota groups, masked', async () => {
    const { page } = await openWorkbench({ label: 'e2e-keys' });
    await addGoogleKey(page, 'AIzaE2E-first-000000000000aaa1', 'project A one', 'new');
    await addGoogleKey(page, 'AIzaE2E-second-00000000000bbb2', 'project A two', 'project-a');
    await addGoogleKey(page, 'AIzaE2E-third-000000000000ccc3', 'solo key', 'own');
    await runCommand(page, 'Dual-Model: Focus on Keys View');
    const row = (text: string) => page.locator('.monaco-list-row', { hasText: text }).first();
    await row('solo key').waitFor({ state: 'visible', timeout: 30_000 });
    await row('Quota group: project-a').waitFor({ state: 'visible', timeout: 15_000 });
    await row('project A two').waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await row('solo key').innerText(), /••••ccc3/);
    assert.match(await row('Google Gemini').innerText(), /3 keys in 2 quota groups/);
    assert.doesNotMatch(await page.locator('.monaco-list').first().innerText(), /AIzaE2E/);
    await screenshot(page, 'keys-01-three-keys-two-groups');
  });
});
