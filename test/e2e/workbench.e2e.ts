// What the workbench shows of the extension before any run, as a person sees it: its commands in
// the palette under their titles (and those meant for one phase hidden), the Runs view with its
// welcome content and button, and in Restricted Mode a HARD STOP that says the Coder will not
// run, and a confirm that is refused with the way out.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../host/paths';
import { waitUntil } from '../support/waitUntil';
import { openCommandPalette, openWorkbench, pickMode, quickInputRows, runCommand, screenshot, startRun, webviewFrame } from './workbench';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

interface Manifest {
  contributes: { commands: ContributedCommand[]; menus: { commandPalette: { command: string; when?: string }[] } };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** The palette's label for a command: "Category: Title". */
const paletteTitle = (command: ContributedCommand): string => (command.category ? `${command.category}: ${command.title}` : command.title);

/** Commands whose palette entry has a `when` clause: none of them holds before the first run. */
const conditional = new Set(manifest.contributes.menus.commandPalette.filter((entry) => entry.when !== undefined).map((entry) => entry.command));

/** Whether the palette, filtered by `title`, has a row labelled exactly `title`. */
async function paletteHasRow(page: Page, title: string): Promise<boolean> {
  await openCommandPalette(page);
  // Filled at once rather than typed key by key: the same filter, without one refresh a key.
  await page.locator('.quick-input-widget .quick-input-box input').fill(`>${title}`);
  await page.locator('.quick-input-widget').locator('.quick-input-list .monaco-list-row, .quick-input-message').filter({ visible: true }).first().waitFor({ timeout: 15_000 });
  const labels = (await quickInputRows(page).locator('.label-name').allTextContents()).map((label) => label.trim());
  await page.keyboard.press('Escape');
  return labels.includes(title);
}

describe('the extension in the workbench', () => {
  it('lists its commands in the palette under their titles, hiding those for a later phase', async () => {
    const { page } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 0 } });
    const always = manifest.contributes.commands.filter((command) => !conditional.has(command.command));
    const later = manifest.contributes.commands.filter((command) => conditional.has(command.command));
    assert.ok(later.length > 0, 'the manifest hides some commands until their phase');

    // The contributions reach the palette a moment after the window shows.
    const first = paletteTitle(always[0] ?? assert.fail('no command without a `when`'));
    await waitUntil(() => paletteHasRow(page, first), `the palette never listed "${first}"`, 60_000, 1_000);
    const missing: string[] = [];
    for (const command of always) if (!(await paletteHasRow(page, paletteTitle(command)))) missing.push(paletteTitle(command));
    assert.deepEqual(missing, [], 'every command without a `when` is in the palette, under its category and title');
    const shown: string[] = [];
    for (const command of later) if (await paletteHasRow(page, paletteTitle(command))) shown.push(paletteTitle(command));
    assert.deepEqual(shown, [], 'no command for a HARD STOP, a review, a running or failed run, or for programs only, is offered before a run');
  });

  it('shows the Runs view with its welcome content, whose button starts a run', async () => {
    const { page } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 0 } });
    await page.locator('.activitybar .action-item .action-label[aria-label^="Dual-Model"]').first().click({ timeout: 60_000 });
    // The container holds the Runs view and the Open Questions view, each with its own welcome.
    const welcome = page.locator('.sidebar .welcome-view-content', { hasText: 'No Dual-Model runs in this workspace yet.' });
    await welcome.filter({ hasText: 'No Dual-Model runs in this workspace yet.' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await welcome.innerText(), /The Architect writes a Code Spec, you confirm at the HARD STOP/);
    await screenshot(page, 'workbench-runs-welcome');

    await welcome.locator('.monaco-button', { hasText: 'Start a run (/dual-model)' }).click();
    await pickMode(page, 'Single Coder');
    const title = page.locator('.quick-input-widget .quick-input-title');
    await title.filter({ hasText: '/dual-model — what should the Architect and the Coder build?' }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Escape');
  });

  it('in Restricted Mode, says at the HARD STOP that the Coder will not run, and refuses the confirm', async () => {
    const { page, workspaceFolder } = await openWorkbench({ trusted: false, label: 'e2e-untrusted', settings: { 'dualModel.demo.latencyMs': 0 } });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await startRun(page, 'Add a slugify helper');

    const card = webviewFrame(page).locator('[data-testid="hard-stop"]', { hasText: '🛑 HARD STOP: Switch to Coder Model' });
    await card.waitFor({ state: 'visible', timeout: 90_000 });
    assert.match(await card.innerText(), /This workspace is not trusted: the Coder’s edits and the verification command will not run until you trust it\./);

    await runCommand(page, 'Dual-Model: Model Confirmed (continue after the HARD STOP)');
    // The refusal is shown where the run is shown (a notification would do as well).
    const inPanel = webviewFrame(page).getByRole('alert').filter({ hasText: 'Manage Workspace Trust' }).first();
    const toast = page.locator('.notification-toast', { hasText: 'Manage Workspace Trust' }).first();
    const refusal = await Promise.any([inPanel, toast].map((where) => where.waitFor({ state: 'visible', timeout: 30_000 }).then(() => where))).catch(() =>
      assert.fail('the confirm in Restricted Mode was never refused with the way to trust the workspace, in the panel or a notification'),
    );
    assert.match(await refusal.innerText(), /not trusted \(Restricted Mode\)/);
    await screenshot(page, 'workbench-restricted-refusal');
    assert.ok(await card.isVisible(), 'the run still waits at its HARD STOP');
    assert.equal(existsSync(join(workspaceFolder, 'src', 'slugify.js')), false, 'the Coder wrote nothing');
  });
});
