// `node --import tsx test/visual/competitionPanel.ts [out.png]`: the run panel's production bundle
// (media/webview/panel.js, after `npm run build`) in Chromium, painting a competitive run of three
// candidates (one excluded, the judge's pick, the user yet to pick), wide and narrow, saved as
// screenshots for a person to look at; it also clicks "Apply this one" and checks what the page
// posts. The VS Code webview API is a stub that records the page's messages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunViewSchema } from '../../src/core/workflow/runViewSchema';
import { launchBrowser } from '../host/browser';
import { competitiveRun } from '../unit/webview/runViewFixtures';

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'competition-panel.png';
  const root = join(__dirname, '..', '..');
  const script = readFileSync(join(root, 'media', 'webview', 'panel.js'), 'utf8');
  const css = readFileSync(join(root, 'media', 'panel.css'), 'utf8');
  const browser = await launchBrowser('competition-panel');
  try {
    const { page } = browser;
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><main id="app"></main></body></html>`);
    // Page code as text: tsx would wrap functions passed to evaluate() in helpers the page lacks.
    await page.evaluate(`(() => {
      let saved;
      window.posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (message) => window.posted.push(message), getState: () => saved, setState: (value) => { saved = value; } });
    })()`);
    await page.addScriptTag({ content: script });
    const run = RunViewSchema.parse(competitiveRun);
    await page.evaluate(`window.postMessage({ type: 'snapshot', run: ${JSON.stringify(run)} }, '*')`);
    const columns = page.locator('[data-testid^="candidate-"]');
    await page.locator('[data-testid="candidate-C"]').waitFor({ timeout: 10_000 });
    console.log(`${await columns.count()} candidate columns painted`);
    await page.locator('[data-testid="competition"]').screenshot({ path: out });
    await page.setViewportSize({ width: 420, height: 1400 });
    await page.locator('[data-testid="competition"]').screenshot({ path: out.replace(/\.png$/, '-narrow.png') });
    await page.locator('[data-testid="apply-candidate-B"]').click();
    const posted = await page.evaluate<unknown[]>('window.posted.filter((message) => message.type === "applyCandidate")');
    console.log('posted on "Apply this one" of B:', JSON.stringify(posted));
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
