// Benchmark, not a test (run by `npm run bench`): how long a streamed token takes from the model
// server writing it to the run panel painting it, in the real host and browser. The Architect
// streams through the Anthropic SDK from a local fake that paces its events like a model; a
// MutationObserver in the webview stamps each change of the live output. Both clocks are this
// machine's wall clock. The figure includes the SDK, the extension host and the webview.
import { startFakeAnthropicServer } from '../fakes/anthropicServer';
import { loopSpec } from '../fakes/scriptedLoop';
import { openWorkbench, paletteLabels, pickMode, quickInputRows, webviewFrame } from '../e2e/workbench';

describe('benchmark: streamed token → painted in the panel', () => {
  it('measures', async () => {
    const anthropic = await startFakeAnthropicServer();
    const sent: { length: number; at: number }[] = [];
    let total = 0;
    let openGate: () => void = () => undefined;
    const startGate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    try {
      const { page } = await openWorkbench({
        label: 'bench-stream',
        settings: {
          'dualModel.architect.provider': 'anthropic',
          'dualModel.anthropic.baseUrl': anthropic.url,
          'dualModel.coder.provider': 'demo',
        },
        env: { ANTHROPIC_API_KEY: 'sk-ant-bench-0123456789abcdef' },
      });
            anthropic.enqueue({
        kind: 'answer',
        blocks: [{ type: 'text', text: loopSpec }],
        chunkSize: 8,
        startGate,
        eventIntervalMs: 50,
        onTextSent: (text, at) => {
          total += text.length;
          sent.push({ length: total, at });
        },
      });
      for (let attempt = 0; attempt < 15 && !(await paletteLabels(page, '/dual-model')).some((l) => l.includes('/dual-model')); attempt++) {
        await page.keyboard.press('Escape');
        await page.waitForTimeout(1_000);
      }
      await quickInputRows(page).filter({ hasText: '/dual-model' }).first().click();
      await pickMode(page, 'Single Coder');
      await page.locator('.quick-input-widget .quick-input-box input').fill('Benchmark the stream');
      await page.keyboard.press('Enter');

      // The panel's document is the one with our content in it (the webview swaps frames on load).
      await webviewFrame(page).locator('[data-testid="phase-label"]').waitFor({ timeout: 30_000 });
      const outer = await page.locator('iframe.webview.ready').elementHandle({ timeout: 30_000 });
      const inner = await (await outer?.contentFrame())?.locator('#active-frame').elementHandle({ timeout: 30_000 });
      const frame = await inner?.contentFrame();
      if (!frame) throw new Error('the run panel did not open');
      // A string, evaluated in the webview: this file is type-checked without the DOM library.
      await frame.evaluate(`(() => {
        const seen = [];
        window.paints = seen;
        new MutationObserver(() => {
          const stream = document.querySelector('[data-testid="stream"]');
          const length = stream && stream.textContent ? stream.textContent.length : 0;
          // Stamped at the next animation frame, which follows the paint of this change.
          requestAnimationFrame(() => seen.push({ length, at: performance.timeOrigin + performance.now() }));
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      const started = Date.now();
      openGate();
      await frame.locator('[data-testid="hard-stop"]').waitFor({ timeout: 60_000 });
      const paints = (await frame.evaluate('window.paints')) as { length: number; at: number }[];
      console.log(`      sent ${sent.length} chunks (${sent.filter((c) => c.at >= started).length} after the observer), ${paints.length} paints, max length ${Math.max(0, ...paints.map((p) => p.length))}`);
      const delays: number[] = [];
      for (const chunk of sent) {
        if (chunk.at < started) continue;
        const painted = paints.find((paint) => paint.length >= chunk.length && paint.at >= chunk.at);
        if (painted) delays.push(painted.at - chunk.at);
      }
      delays.sort((a, b) => a - b);
      const at = (q: number): string => (delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? NaN).toFixed(1);
      console.log(`DUALMODEL-BENCH streamPaint chunks=${delays.length} p50Ms=${at(0.5)} p95Ms=${at(0.95)} maxMs=${at(1)}`);
    } finally {
      await anthropic.close();
    }
  });
});
