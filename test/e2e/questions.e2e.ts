// Ask the Architect from a TODO(architect) CodeLens and apply the answer, by clicks in a real VS
// Code in Chromium: the lens above the demo Coder's marker, the answer in a comment thread, the
// diff shown before anything is written, Apply in the notification, the file saved with the
// decision and the answer's code. Screenshots at every step.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { slugifySourceV1 } from '../../src/providers/demo/demoScript';
import { openWorkbench, quickInputRows, runCommand, screenshot } from './workbench';

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(name);
  await quickInputRows(page).filter({ hasText: name }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 15_000 });
}

describe('a TODO(architect) question from the CodeLens', () => {
  it('asks the Architect, shows the answer inline, previews and applies it', async () => {
    const { page, workspaceFolder } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 2 }, label: 'e2e-questions' });
    const file = join(workspaceFolder, 'src', 'slugify.js');
    writeFileSync(file, slugifySourceV1);
    await openFile(page, 'slugify.js');

    const ask = page.locator('.codelens-decoration a', { hasText: 'Ask Architect' });
    await ask.waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot(page, 'questions-01-codelens');

    await ask.click();
    const thread = page.locator('.review-widget', { hasText: 'Transliterate' });
    await thread.waitFor({ state: 'visible', timeout: 60_000 });
    const applyWithCode = page.locator('.codelens-decoration a', { hasText: 'Apply answer with its code' });
    await applyWithCode.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await thread.innerText(), /decompose the text with NFKD/);
    await screenshot(page, 'questions-02-answer-thread');

    // The Open Questions view lists the marker (and it is in Problems).
    await runCommand(page, 'Dual-Model: Focus on Open Questions View');
    await page.locator('.monaco-list-row', { hasText: 'should accented letters be transliterated' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'questions-02b-open-questions-view');

    // A reload keeps the answer: nothing is asked again, the thread and its lenses come back.
    await page.reload();
    await page.locator('.tab.active', { hasText: 'slugify.js' }).waitFor({ state: 'visible', timeout: 60_000 });
    await applyWithCode.waitFor({ state: 'visible', timeout: 60_000 });
    await thread.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await thread.innerText(), /decompose the text with NFKD/);
    await screenshot(page, 'questions-02c-answer-after-reload');

    await applyWithCode.click();
    const prompt = page.locator('.monaco-dialog-box', { hasText: "Apply the Architect's answer to src/slugify.js?" });
    await prompt.waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.tab.active', { hasText: 'with the Architect' }).waitFor({ state: 'visible', timeout: 15_000 });
    assert.ok(readFileSync(file, 'utf8').includes('TODO(architect)'), 'nothing is written while the diff is shown');
    await screenshot(page, 'questions-03-diff-preview');

    await prompt.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await prompt.waitFor({ state: 'hidden', timeout: 15_000 });
    await page.locator('.tab.active', { hasText: 'slugify.js' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.view-lines', { hasText: 'Architect: Transliterate' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Control+S');
    let saved = '';
    for (let attempt = 0; attempt < 50 && !saved.includes('Architect: Transliterate'); attempt++) {
      await page.waitForTimeout(200);
      saved = readFileSync(file, 'utf8');
    }
    assert.match(saved, /^ {2}\/\/ Architect: Transliterate: decompose the text with NFKD/m);
    assert.match(saved, /^ {2}text = text\.normalize\('NFKD'\)\.replace\(\/\[\\u0300-\\u036f\]\/g, ''\);$/m);
    assert.doesNotMatch(saved, /TODO\(architect\)/);
    // The marker is resolved: its lenses and its Problems entry go.
    await page.locator('.codelens-decoration a', { hasText: 'Apply answer' }).first().waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(page, 'questions-04-applied');
  });
});
