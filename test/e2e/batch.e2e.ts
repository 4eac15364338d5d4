// Batch mode as a user meets it, in a real VS Code in Chromium with the offline demo models: a
// request for a batch, one HARD STOP listing the three specs and their commands, the pass
// pausing when the second spec fails its verification, "Go on with the rest", and one
// consolidated Code Report covering the three. Screenshots at every step.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { openWorkbench, screenshot, startRun, webviewFrame } from './workbench';

const panel = (page: Page): FrameLocator => webviewFrame(page);

describe('batch mode in the workbench', () => {
  it('one HARD STOP for three specs, a pause on the failing second, Go on, one consolidated report', async () => {
    const { page, workspaceFolder } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 1 }, label: 'e2e-batch' });
    await startRun(page, 'Add slugify, wordCount and titleCase in batch mode');

    await panel(page).locator('[data-testid="hard-stop"]', { hasText: '🛑 HARD STOP: Switch to Coder Model' }).waitFor({ state: 'visible', timeout: 90_000 });
    const batch = panel(page).locator('[data-testid="batch"]');
    await batch.waitFor({ state: 'visible', timeout: 30_000 });
    const listed = await batch.innerText();
    const expected: [string, string, string][] = [
      ['code_spec_01.md', 'CS-DEMO-B01', 'node --test test/slugify.test.js'],
      ['code_spec_02.md', 'CS-DEMO-B02', 'node --test test/wordCount.test.js'],
      ['code_spec_03.md', 'CS-DEMO-B03', 'node --test test/titleCase.test.js'],
    ];
    for (const [file, id, command] of expected) {
      assert.ok(listed.includes(file) && listed.includes(id) && listed.includes(command), `the HARD STOP lists ${file} (${id}) and its command: ${listed}`);
    }
    await screenshot(page, 'batch-01-hard-stop-top');
    await batch.scrollIntoViewIfNeeded();
    await screenshot(page, 'batch-02-hard-stop-spec-list');

    await panel(page).locator('[data-testid="confirm-model"]').click();
    const paused = panel(page).locator('[data-testid="batch-paused"]');
    await paused.waitFor({ state: 'visible', timeout: 90_000 });
    assert.match(await paused.innerText(), /Paused: code_spec_02\.md \(CS-DEMO-B02, Add a wordCount utility\) failed its verification/);
    assert.match(await panel(page).locator('[data-testid="batch-output"]').innerText(), /7 !== 2/, 'the failing spec\'s output is shown');
    assert.match(await panel(page).locator('[data-testid="batch-spec-1"]').innerText(), /Verification passed/);
    assert.match(await panel(page).locator('[data-testid="batch-spec-3"]').innerText(), /To do/);
    assert.ok(!existsSync(join(workspaceFolder, 'src', 'titleCase.js')), 'spec 03 waits for the choice');
    // The verification's terminal takes the lower half of the window: bring the choice into view.
    await panel(page).locator('[data-testid="batch-go-on"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'batch-03-paused-on-spec-02');

    await panel(page).locator('[data-testid="batch-go-on"]').click();
    await panel(page).locator('[data-testid="hard-stop"]', { hasText: '🛑 HARD STOP: Switch to Architect Model' }).waitFor({ state: 'visible', timeout: 90_000 });
    assert.ok(existsSync(join(workspaceFolder, 'src', 'titleCase.js')), 'the Coder went on with spec 03');
    const report = panel(page).locator('[data-testid="document"]').first();
    const text = await report.innerText();
    assert.match(text, /Code Report — CS-DEMO-B01, CS-DEMO-B02, CS-DEMO-B03/);
    assert.match(text, /Spec 01 — CS-DEMO-B01[\s\S]*Spec 02 — CS-DEMO-B02[\s\S]*Spec 03 — CS-DEMO-B03/);
    assert.match(text, /3 specs; 3 implemented, 2 passed their verification, 1 failed it, 0 skipped/);
    await screenshot(page, 'batch-04-consolidated-report');
    await report.locator('text=Totals').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'batch-05-report-totals');

    const brain = join(workspaceFolder, '.dual-model', 'brain');
    const [runId] = readdirSync(brain);
    assert.ok(runId);
    const run = JSON.parse(readFileSync(join(brain, runId, 'run.json'), 'utf8')) as { state: { phase: string }; history: { event: string }[] };
    assert.equal(run.state.phase, 'hard-stop-to-architect');
    assert.deepEqual(run.history.map((entry) => entry.event).filter((event) => event.startsWith('batch')), ['batch-spec-done', 'batch-spec-done', 'batch-go-on']);
  });
});
