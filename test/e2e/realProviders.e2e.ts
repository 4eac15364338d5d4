// The journey on real providers, driven by clicks: the Architect on the Anthropic SDK and the
// Coder on an OpenAI-compatible server, both local fakes started by this test, the key given
// through the environment as a user would. Screenshots at each step.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enqueueCoder, enqueueReview, enqueueSpec, greetSource } from '../fakes/scriptedLoop';
import { e2eAnthropicKey, useFakeProviders } from './fakeProviders';
import { openWorkbench, screenshot, startRun, webviewFrame } from './workbench';

describe('the /dual-model journey on real providers (local fakes)', () => {
  const fakes = useFakeProviders();

  it('specs with Claude, implements with an OpenAI-compatible model, reviews and approves', async () => {
    const { anthropic, openai } = fakes;
    const { page, workspaceFolder } = await openWorkbench({ label: 'e2e-real-providers', settings: fakes.settings(), env: fakes.env });
    // The Architect's answer waits until the panel has shown the run in Phase 1.
    let release: () => void = () => undefined;
    enqueueSpec(anthropic, new Promise<void>((resolve) => (release = resolve)));
    await startRun(page, 'Add a greet helper');

    const panel = webviewFrame(page);
    await panel.locator('[data-testid="phase-label"]', { hasText: 'Phase 1' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'real-00-architect-writing');
    release();
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Coder Model' }).waitFor({ timeout: 60_000 });
    assert.equal(await panel.locator('[data-testid="demo-badge"]').count(), 0, 'real models: no DEMO badge');
    assert.match(await panel.locator('[data-testid="hard-stop"]').innerText(), /Next: Coder — qwen3-coder/);
    assert.match(await panel.locator('[data-testid="document"]').first().innerText(), /CS-REAL-001/);
    assert.equal(anthropic.requests[0]?.headers.authorization, `Bearer ${e2eAnthropicKey}`);
    await screenshot(page, 'real-01-spec-from-claude');

    enqueueCoder(openai);
    await panel.locator('[data-testid="confirm-model"]').click();
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Architect Model' }).waitFor({ timeout: 60_000 });
    assert.equal(readFileSync(join(workspaceFolder, 'src', 'greet.js'), 'utf8'), greetSource);
    assert.match(await panel.locator('[data-testid="document"]').first().innerText(), /PASS/);
    await screenshot(page, 'real-02-report-from-coder');

    enqueueReview(anthropic);
    await panel.locator('[data-testid="confirm-model"]').click();
    await panel.locator('[data-testid="decide-approved"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'real-03-review');
    await panel.locator('[data-testid="decide-approved"]').click();
    await panel.locator('[data-testid="phase-label"]', { hasText: 'Approved' }).waitFor({ timeout: 30_000 });
    // Claude's 1,200 input and 300 output tokens for the spec, priced from the dated table.
    assert.match(await panel.locator('[data-testid="usage"]').innerText(), /tokens in · .* out · /);
    // Each call is listed: Claude's spec first, priced from the table, and the Coder's turns.
    await panel.locator('[data-testid="usage-calls"] summary').click();
    const calls = panel.locator('[data-testid="usage-call"]');
    await calls.first().waitFor({ state: 'visible', timeout: 10_000 });
    const rows = await calls.allInnerTexts();
    assert.match(rows[0] ?? '', /architect-spec\s+Claude Opus 4\.6[\s\S]*\$\d+\.\d\d/, rows.join('\n'));
    assert.equal(await calls.first().locator('td').nth(1).getAttribute('title'), 'anthropic · claude-opus-4-6');
    assert.ok(rows.some((row) => /coder-implement\s+qwen3-coder/.test(row)), rows.join('\n'));
    assert.ok(rows.some((row) => /hard-stop-to-coder \(identity check\)/.test(row)), rows.join('\n'));
    await screenshot(page, 'real-04-approved');
    assert.ok(existsSync(join(workspaceFolder, 'test', 'greet.test.js')));
  });

  it("shows a refused key's error without the key, anywhere in the panel", async () => {
    const { anthropic } = fakes;
    const { page } = await openWorkbench({ label: 'e2e-key-refused', settings: fakes.settings(), env: fakes.env });
    // A careless gateway that quotes the key back in its 401, in both headers the SDK may use.
    anthropic.enqueue({
      kind: 'http-error',
      status: 401,
      body: (request: { headers: Record<string, unknown> }) => ({
        type: 'error',
        error: { type: 'authentication_error', message: `invalid key ${String(request.headers['x-api-key'])} / ${String(request.headers.authorization)}` },
      }),
    });
    const before = anthropic.requests.length;
    await startRun(page, 'Add a greet helper');
    const panel = webviewFrame(page);
    const error = panel.locator('[data-testid="error"]');
    await error.waitFor({ timeout: 60_000 });
    assert.match(await error.innerText(), /invalid key/, 'the provider\'s own words are shown');
    assert.equal(await panel.locator('[data-testid="phase-label"]').innerText(), 'Failed in Phase 1 — Architect: Analyze & Spec');
    await screenshot(page, 'real-05-key-refused');
    assert.equal(anthropic.requests.length, before + 1, 'an auth refusal is not retried');
    // The whole document of the panel, its text and its markup (attributes such as tooltips too).
    const html = await panel.locator('html').evaluate((root) => root.outerHTML);
    assert.ok(html.includes('invalid key'), 'the search below looks at the page that shows the error');
    assert.ok(!html.includes(e2eAnthropicKey), 'the key is not in the panel');
    assert.ok(!html.includes(e2eAnthropicKey.slice(-12)), 'nor a recognisable part of it');
  });
});
