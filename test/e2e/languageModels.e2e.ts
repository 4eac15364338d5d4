// Both roles on chat models VS Code already offers (vscode.lm), chosen the way a user does: the
// Configure Roles quick picks list the host's models under "VS Code language models". The
// models come from the test-only extension (test/lmExtension), which answers through a local
// fake OpenAI-compatible server started here. Then the loop runs by clicks, with screenshots.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openaiServer';
import { enqueueCoder, greetSource, loopSpec } from '../fakes/scriptedLoop';
import { openWorkbench, pick, runCommand, screenshot, settingsOnceWritten, startRun, webviewFrame } from './workbench';

async function configureRole(page: Page, role: 'Architect' | 'Coder', model: string, fallback: string, shot?: string): Promise<void> {
  await runCommand(page, 'Dual-Model: Configure Roles (Architect and Coder models)');
  await pick(page, role);
  await pick(page, model, shot);
  // No thinking level is asked for: vscode.lm has no such option.
  await pick(page, fallback);
}

describe("the /dual-model journey on VS Code's own language models", () => {
  let openai: FakeOpenAiServer;
  before(async () => {
    openai = await startFakeOpenAiServer();
  });
  after(async () => {
    await openai.close();
  });

  it('picks the models VS Code offers, then specs, implements and reviews on them', async () => {
    const { page, workspaceFolder } = await openWorkbench({
      label: 'e2e-vscode-lm',
      settings: { 'dualModel.demoModels': 'never' },
      env: {
        DUAL_MODEL_TEST_LM_CONFIG: JSON.stringify({
          baseUrl: openai.baseUrl,
          models: [
            { id: 'dm-test-architect', name: 'Test Architect', family: 'test-architect' },
            { id: 'dm-test-coder', name: 'Test Coder', family: 'test-coder' },
          ],
        }),
      },
    });
    await configureRole(page, 'Architect', 'Test Architect', 'Test Coder', 'vscode-lm-01-model-pick');
    await configureRole(page, 'Coder', 'Test Coder', 'Test Architect');
    const settings = await settingsOnceWritten(workspaceFolder, 'dualModel.coder.fallbackThinking');
    assert.equal(settings['dualModel.architect.provider'], 'vscode-lm');
    assert.equal(settings['dualModel.architect.model'], 'dm-test-architect');
    assert.equal(settings['dualModel.coder.provider'], 'vscode-lm');
    assert.equal(settings['dualModel.coder.model'], 'dm-test-coder');
    assert.equal(settings['dualModel.coder.thinking'], 'none');

    openai.enqueue({ kind: 'answer', text: loopSpec.match(/[\s\S]{1,40}/g) ?? [] });
    await startRun(page, 'Add a greet helper');

    const panel = webviewFrame(page);
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Coder Model' }).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('[data-testid="hard-stop"]').innerText(), /Next: Coder — Test Coder \(VS Code\)/);
    assert.equal(await panel.locator('[data-testid="demo-badge"]').count(), 0, 'real models: no DEMO badge');
    assert.equal((openai.requests[0]?.body as { model?: string }).model, 'dm-test-architect');
    await screenshot(page, 'vscode-lm-02-spec');

    enqueueCoder(openai);
    await panel.locator('[data-testid="confirm-model"]').click();
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Architect Model' }).waitFor({ timeout: 60_000 });
    assert.equal(readFileSync(join(workspaceFolder, 'src', 'greet.js'), 'utf8'), greetSource);
    assert.match(await panel.locator('[data-testid="document"]').first().innerText(), /PASS/);
    await screenshot(page, 'vscode-lm-03-report');

    openai.enqueue(
      { kind: 'answer', text: ['dm-test-architect'] },
      { kind: 'answer', text: ['```json\n{"outcome":"approved","reasons":"Correct and tested.","blockerAnswers":[]}\n```'] },
    );
    await panel.locator('[data-testid="confirm-model"]').click();
    await panel.locator('[data-testid="decide-approved"]').waitFor({ timeout: 60_000 });
    await panel.locator('[data-testid="decide-approved"]').click();
    await panel.locator('[data-testid="phase-label"]', { hasText: 'Approved' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'vscode-lm-04-approved');
  });
});
