// Mocha root hooks for the e2e run (loaded by test/e2e/.mocharc.json): after each test, a
// screenshot of every workbench a failed test left open, then close them all, so no server or
// browser outlives its test.
import type { Context } from 'mocha';
import { closeAllWorkbenches, openWorkbenches, screenshot } from './workbench';

export const mochaHooks = {
  async afterEach(this: Context): Promise<void> {
    const test = this.currentTest;
    if (test?.state === 'failed') {
      for (const [index, workbench] of openWorkbenches().entries()) {
        const file = await screenshot(workbench.page, `failed-${test.fullTitle()}-${index}`).catch(() => undefined);
        if (file) {
          console.log(`    screenshot of the failure: ${file}`);
        }
      }
    }
    await closeAllWorkbenches();
  },
};
