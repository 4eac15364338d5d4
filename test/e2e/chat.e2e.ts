// A run started from VS Code's chat, driven by typing and clicks in a real VS Code (code-server)
// in Chromium: `@dual-model /dual-model …` streams the Architect and stops at the HARD STOP with
// its button; typing "Model Confirmed" continues the run; the chat's buttons confirm and decide
// the review; the run lives in the panel like any other.
//
// VS Code sends no chat request, to any participant, without a language model to put in
// `request.model` ("Language model unavailable"); offline and without a Copilot sign-in the
// test-only model provider (test/lmExtension) supplies one. The participant never calls it: the
// run's roles are the offline demo models, as everywhere in these journeys.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openWorkbench, screenshot, webviewFrame } from './workbench';

const chatModel = { id: 'dm-chat-model', name: 'Chat Test Model', family: 'chat-test' };

function chatView(page: Page): Locator {
  return page.locator('.part.auxiliarybar');
}

/** The participant's newest answer in the Chat view. */
function lastAnswer(page: Page): Locator {
  return chatView(page).locator('.interactive-item-container.interactive-response').last();
}

async function send(page: Page, text: string): Promise<void> {
  await chatView(page).locator('.interactive-input-editor').first().click();
  await page.keyboard.type(text, { delay: 10 });
  await page.keyboard.press('Enter');
}

describe('a run started from the chat', () => {
  it('@dual-model /dual-model → Architect streamed → HARD STOP button → "Model Confirmed" typed → review buttons → Approved, in the panel too', async () => {
    const { page, workspaceFolder } = await openWorkbench({
      label: 'e2e-chat',
      settings: { 'dualModel.demo.latencyMs': 2 },
      env: { DUAL_MODEL_TEST_LM_CONFIG: JSON.stringify({ baseUrl: 'http://127.0.0.1:9/v1', models: [chatModel] }) },
    });
    await page.keyboard.press('Control+Alt+KeyI');
    // The model picker names a model once one is there: only then does VS Code send a request.
    await chatView(page).locator('.interactive-input-part', { hasText: chatModel.name }).waitFor({ state: 'visible', timeout: 60_000 });
    await chatView(page).locator('.interactive-input-editor').first().click();
    // The participant exists once the extension has activated, which may come after the Chat view
    // is up: a user who sees no suggestion types again, and so does this test (bounded).
    const suggestion = page.locator('.suggest-widget', { hasText: '@dual-model' });
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.type('@dual', { delay: 30 });
      const shown = await suggestion.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt === 4) throw new Error('@dual-model was never suggested in the Chat view after 4 tries of 10 s');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
    }
    await screenshot(page, 'chat-01-participant-suggested');
    await page.keyboard.press('Escape');
    await page.keyboard.type('-model /dual-model Add a slugify helper', { delay: 10 });
    await page.keyboard.press('Enter');

    const first = lastAnswer(page);
    await first.getByRole('button', { name: 'Model Confirmed' }).waitFor({ state: 'visible', timeout: 90_000 });
    // The command the Coder may run is shown before the confirm (in a code block: spaces are &nbsp;).
    await first.getByText(/node\s--test/).first().waitFor({ state: 'visible', timeout: 15_000 });
    const stopText = await first.innerText();
    assert.match(stopText, /🛑 HARD STOP: Switch to Coder Model/);
    assert.match(stopText, /Next: Coder — Demo Coder \(offline replay\)/);
    assert.match(stopText, /reply with "Model Confirmed"/);
    await screenshot(page, 'chat-02-hard-stop');
    // The Architect's progress was streamed into the answer (VS Code may fold it into "steps").
    const folded = first.getByText(/Completed \d+ steps?/).first();
    // The chat's list scrolls itself (no native scrolling): click in place, then wheel up to it.
    if ((await folded.count()) > 0) await folded.dispatchEvent('click');
    const streamed = first.getByText(/Code Spec — Add a slugify utility/).first();
    await streamed.waitFor({ state: 'attached', timeout: 15_000 });
    const box = await chatView(page).boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    for (let step = 0; step < 30 && !(await streamed.isVisible()); step++) await page.mouse.wheel(0, -300);
    await screenshot(page, 'chat-03-architect-streamed');

    // The run lives in the panel like any other, at the same HARD STOP.
    await webviewFrame(page).locator('[data-testid="hard-stop"]', { hasText: '🛑 HARD STOP: Switch to Coder Model' }).waitFor({ state: 'visible', timeout: 30_000 });

    // The participant is sticky: the input keeps "@dual-model", and the passphrase goes to it.
    await send(page, 'Model Confirmed');
    const second = lastAnswer(page);
    await second.getByText('🛑 HARD STOP: Switch to Architect Model').waitFor({ state: 'visible', timeout: 90_000 });
    assert.ok(existsSync(join(workspaceFolder, 'src', 'slugify.js')), 'the Coder really wrote the file');
    await screenshot(page, 'chat-04-typed-confirm-to-architect');

    // The chat's own button hands over to the Architect (dualModel.confirmModel with the run id).
    await second.getByRole('button', { name: 'Model Confirmed' }).click();
    await webviewFrame(page).locator('[data-testid="decide-approved"]').waitFor({ state: 'visible', timeout: 90_000 });

    // Asking the chat now answers with what to do: the review's outcomes, as buttons.
    await send(page, 'what now?');
    const third = lastAnswer(page);
    await third.getByRole('button', { name: '✅ Approved' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await third.innerText(), /Your message was not sent to any model/);
    assert.equal(await third.getByRole('button', { name: '🔄 Revisions needed' }).count(), 1);
    assert.equal(await third.getByRole('button', { name: '❌ Fundamental redesign' }).count(), 1);
    await screenshot(page, 'chat-05-review-buttons');
    await third.getByRole('button', { name: '✅ Approved' }).click();
    await webviewFrame(page).locator('[data-testid="phase-label"]', { hasText: 'Approved' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'chat-06-approved-in-panel');

    const brain = join(workspaceFolder, '.dual-model', 'brain');
    const runs = readdirSync(brain);
    assert.equal(runs.length, 1, 'one run, started from the chat');
    const run = JSON.parse(readFileSync(join(brain, runs[0] ?? '', 'run.json'), 'utf8')) as { request: string; state: { phase: string } };
    assert.equal(run.request, 'Add a slugify helper');
    assert.equal(run.state.phase, 'approved');
  });
});
