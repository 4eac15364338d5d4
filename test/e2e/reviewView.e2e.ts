// The side-panel review in a real VS Code in Chromium: a run's Code Report reviewed from the
// Dual-Model activity-bar container (files, verification, who served each call), a file's diff
// opened from it, and the review decided there, while the run panel shows the same run.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { openWorkbench, screenshot, startRun } from './workbench';

/**
 * The content frame of the webview that holds `testId`: the run panel and the review are both
 * webviews, and which iframe is which changes as editors open and close, so it is looked up each
 * time it is needed. Polls: the frames live in another process and announce nothing.
 */
async function webviewWith(page: Page, testId: string, timeoutMs = 90_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = page.locator('iframe.webview.ready');
    const count = await frames.count();
    for (let index = 0; index < count; index++) {
      const frame = frames.nth(index).contentFrame().frameLocator('#active-frame');
      if ((await frame.locator(`[data-testid="${testId}"]`).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview showed [data-testid="${testId}"] within ${timeoutMs} ms (${count} webview(s) open)`);
    await page.waitForTimeout(250);
  }
}

describe('the side-panel review', () => {
  it('reviews a Code Report beside the code: files, verification, a diff, and the decision', async () => {
    const { page } = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 0 }, label: 'e2e-review-view' });
    await startRun(page, 'Add a slugify helper');
    const runPanel = await webviewWith(page, 'confirm-model');
    // Before confirming, the user asks the Architect about the spec at the HARD STOP.
    await runPanel.locator('[data-testid="spec-question"]').fill('Why drop accented letters instead of transliterating them?');
    await runPanel.locator('[data-testid="ask-about-spec"]').click();
    const answers = runPanel.locator('[data-testid="spec-answers"]');
    await answers.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await answers.innerText(), /Why drop accented letters[\s\S]*You asked: "Why drop accented letters/);
    await runPanel.locator('[data-testid="revise-spec"]').waitFor({ state: 'visible' });
    await screenshot(page, 'review-00-spec-discussion');
    await runPanel.locator('[data-testid="confirm-model"]').click();

    // The Review view, in the Dual-Model container beside the Runs tree.
    await page.locator('.activitybar .action-item a[aria-label^="Dual-Model"]').first().click();
    let review = await webviewWith(page, 'review-pane');
    await review.locator('[data-testid="review-report"]').waitFor({ state: 'visible', timeout: 90_000 });
    assert.match(await review.locator('[data-testid="review-phase"]').innerText(), /Phase 4/);
    const files = await review.locator('[data-testid="review-file"]').allInnerTexts();
    assert.ok(files.some((row) => /src\/slugify\.js/.test(row) && /Created · \+\d+ −0/.test(row)), `files listed: ${files.join(' | ')}`);
    assert.match(await review.locator('[data-testid="review-checks"]').innerText(), /node --test.* — exit code 0 · \d+\.\d s — ran (sandboxed|unsandboxed)/);
    await review.locator('[data-testid="review-calls"] summary').click();
    assert.match(await review.locator('[data-testid="review-call"]').first().innerText(), /offline demo/);
    await screenshot(page, 'review-01-report-in-side-panel');

    // A file's diff: before the Coder's pass ↔ now.
    await review.locator('[data-testid="review-file"]', { hasText: 'src/slugify.js' }).locator('[data-testid="review-file-diff"]').click();
    const tab = page.locator('.tabs-container .tab', { hasText: "slugify.js (before the Coder's pass" });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'review-02-diff-opened');

    // Hand the report to the Architect and decide from the side panel (found again: the diff
    // editor hid the run panel, and webview frames come and go with what is visible).
    review = await webviewWith(page, 'review-pane');
    await review.locator('[data-testid="review-confirm"]').click();
    await review.locator('[data-testid="decide-approved"]').waitFor({ state: 'visible', timeout: 90_000 });
    await screenshot(page, 'review-03-decision');
    await review.locator('[data-testid="decide-approved"]').click();
    await review.locator('[data-testid="review-phase"]', { hasText: 'Approved' }).waitFor({ state: 'visible', timeout: 30_000 });
    // The run panel (behind the diff) shows the same run, approved: both render the engine's one snapshot.
    await page.locator('.tabs-container .tab', { hasText: 'Dual-Model Run' }).click();
    const panelAfter = await webviewWith(page, 'phase-label');
    await panelAfter.locator('[data-testid="phase-label"]', { hasText: 'Approved' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'review-04-approved');
  });
});
