// `npm run bench`: a Code Report with 500 changed files, from the snapshot's arrival to the side-
// panel review painted, in Chromium with the production review bundle (media/webview/review.js),
// the VS Code webview API stood in by a stub that only records what the page posts. Figures only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportView, RunView } from '../../src/core/workflow/runViewSchema';
import { RunViewSchema } from '../../src/core/workflow/runViewSchema';
import { launchBrowser } from '../host/browser';
import { architectReviewRun } from '../unit/webview/runViewFixtures';

const fileCount = 500;
const rounds = 15;

function reportOf(files: number): ReportView {
  return {
    version: 1,
    specVersion: 1,
    path: 'versions/v1/code_report.md',
    summary: 'A large refactor across the code base.',
    files: Array.from({ length: files }, (_, index) => ({ path: `src/module${Math.floor(index / 20)}/file${index}.ts`, action: index % 7 === 0 ? 'Created' : 'Modified', added: (index * 7) % 90, removed: (index * 3) % 40 })),
    testResult: { status: 'PASS', details: '812 passed' },
    buildResult: { status: 'CLEAN', details: 'exit code 0' },
    testOutput: 'ok\n'.repeat(2000),
    checks: [{ command: 'npm test', outcome: 'exit code 0 · 41.2 s', sandboxed: true, sandbox: 'ran sandboxed' }],
    blockers: [{ question: 'Keep the old API?', answer: 'Yes, for one release.' }],
    deviations: [],
    revertable: true,
    reverted: false,
  };
}

async function main(): Promise<void> {
  const script = readFileSync(join(__dirname, '..', '..', 'media', 'webview', 'review.js'), 'utf8');
  const css = readFileSync(join(__dirname, '..', '..', 'media', 'panel.css'), 'utf8');
  const browser = await launchBrowser('bench-review');
  try {
    const { page } = browser;
    await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><div id="app"></div></body></html>`);
    // Page code as text: tsx would wrap functions passed to evaluate() in helpers the page lacks.
    await page.evaluate(`(() => {
      let saved;
      window.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => saved, setState: (value) => { saved = value; } });
    })()`);
    await page.addScriptTag({ content: script });
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // A new run id each round: nothing of the previous paint can be reused.
      const run: RunView = { ...architectReviewRun, runId: `bench-${round}`, report: reportOf(fileCount) };
      const parsed = RunViewSchema.parse(run);
      const ms = await page.evaluate<number>(`new Promise((resolve) => {
        const started = performance.now();
        window.postMessage({ type: 'snapshot', run: ${JSON.stringify(parsed)} }, '*');
        const check = () => {
          if (document.querySelectorAll('[data-testid="review-file"]').length === ${fileCount} && document.querySelector('[data-testid="review-request"]')) {
            // The next frame is the one that shows it.
            requestAnimationFrame(() => resolve(performance.now() - started));
          } else requestAnimationFrame(check);
        };
        check();
      })`);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
    console.log(`DUALMODEL-BENCH review pane, Code Report with ${fileCount} files: snapshot → painted median ${median.toFixed(1)} ms, best ${times[0]?.toFixed(1)} ms, worst ${times.at(-1)?.toFixed(1)} ms (${rounds} rounds, Chromium, production bundle; goal < 100 ms)`);
  } finally {
    await browser.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
