// Entry point the extension host loads as `extensionTestsPath` (bundled to
// dist/test/integration/index.js). Runs the suites with mocha and ends with one
// machine-readable line, `DUALMODEL-TESTS pass=… passed=N failed=M pending=P`, which
// test/host/runIntegration.ts reads.
//
// Passes: the runner sets DUAL_MODEL_TEST_PASS to `trusted` or `untrusted`. Suites or tests whose
// title contains `[untrusted]` run only in the untrusted pass (the workspace in Restricted
// Mode); all the others only in the trusted pass.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import { formatTotals, testOutputPrefix } from '../host/hostProtocol.js';

/** Matches the `[untrusted]` tag in a suite or test title. */
export const untrustedTag = /\[untrusted\]/;

export async function run(): Promise<void> {
  const pass = process.env.DUAL_MODEL_TEST_PASS === 'untrusted' ? 'untrusted' : 'trusted';
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // DUAL_MODEL_TEST_GREP (a regex) runs only the matching tests of the pass: for working on one suite.
  const only = process.env.DUAL_MODEL_TEST_GREP;
  if (only) {
    mocha.grep(new RegExp(`${pass === 'trusted' ? '^(?!.*\\[untrusted\\])' : '^(?=.*\\[untrusted\\])'}.*(?:${only})`));
  } else {
    mocha.grep(untrustedTag);
    if (pass === 'trusted') {
      mocha.invert();
    }
  }
  // The workbench mixes this console with its own log; the prefix marks the reporter's lines.
  Mocha.reporters.Base.consoleLog = (format: unknown = '', ...args: unknown[]) =>
    console.log(`${testOutputPrefix}${String(format)}`, ...args);

  // The suites register themselves with `describe`/`it` as they load, so the globals must exist
  // first. A dynamic import keeps esbuild from hoisting the suites above this line.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'suites', mocha);
  await import('./suites.js');

  const runner = await new Promise<Mocha.Runner>((resolve) => {
    const started: Mocha.Runner = mocha.run(() => resolve(started));
  });
  const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
  const totals = { pass, passed: passes, failed: failures, pending };
  console.log(testOutputPrefix + formatTotals(totals));
  // Under @vscode/test-electron the runner reads the totals from a file instead of the console.
  const resultFile = process.env.DUAL_MODEL_TEST_RESULT_FILE;
  if (resultFile) {
    writeFileSync(resultFile, JSON.stringify(totals));
  }
  if (failures > 0) {
    throw new Error(`${failures} integration test(s) failed in the ${pass} pass`);
  }
}
