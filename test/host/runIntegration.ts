// Runs the integration suites (dist/test/integration/index.js, built by `npm run build`) inside
// a real VS Code: code-server's extension host, driven by headless Chromium. Two passes, each on
// a fresh server and a fresh copy of sample-workspace/: `trusted`, then `untrusted` (Restricted
// Mode; only suites tagged [untrusted] run there). Prints the tests' output live, then
//   DUALMODEL-SUITE integration passed=N failed=M
// and exits 0 only if every pass reported success. The workbench's own log, the server's log
// and the logs VS Code hands back go to .test-output/logs/.
//
//   node --import tsx test/host/runIntegration.ts [--pass trusted|untrusted]
//   DUAL_MODEL_VERBOSE=1                 also print the workbench's log
//   DUAL_MODEL_INTEGRATION_TIMEOUT_MS    overall limit (default 10 minutes)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { exposeAutomationExit, forwardConsole, launchBrowser } from './browser';
import { developmentPayload, startCodeServer } from './codeServer';
import { isMachineReadable, parseTotals, testOutputPrefix, type Totals } from './hostProtocol';
import { outputRoot, repoRoot } from './paths';
import { startTripwire, type Tripwire } from './tripwire';
import { copySampleWorkspace, plantClonedRepository } from './workspace';

type Pass = 'trusted' | 'untrusted';

// Overridable to run another bundle of suites through the same harness.
const testsEntry = process.env.DUAL_MODEL_TESTS_ENTRY ?? join(repoRoot, 'dist', 'test', 'integration', 'index.js');
const totalTimeoutMs = Number(process.env.DUAL_MODEL_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);
const verbose = process.env.DUAL_MODEL_VERBOSE === '1';
const logDir = join(outputRoot, 'logs');

/** Known noise of an offline code-server: left out of the error excerpt printed on failure. */
const noise = /ENOTFOUND open-vsx|vsda|No signed-in session|^\S+\s*$/;

interface PassResult {
  code: number;
  totals: Totals | undefined;
  /** Requests that reached the untrusted pass's tripwire: each one is a failure. */
  tripped?: string[];
  /** Seconds spent per phase, for the pass's closing line. */
  phases?: string;
}

const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;

/** The pass under way, for the timeout handler. */
let current: { pass: Pass; page: Page; workbenchLog: string[] } | undefined;

function selectedPasses(argv: readonly string[]): Pass[] {
  const index = argv.indexOf('--pass');
  const requested = index >= 0 ? argv[index + 1] : undefined;
  if (requested === undefined) {
    return ['trusted', 'untrusted'];
  }
  if (requested !== 'trusted' && requested !== 'untrusted') {
    throw new Error(`--pass must be trusted or untrusted, not ${requested}`);
  }
  return [requested];
}

function writeWorkbenchLog(pass: Pass, lines: readonly string[]): void {
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(logDir, `integration-${pass}.workbench.log`), lines.join('\n') + '\n');
}

function printErrorExcerpt(lines: readonly string[]): void {
  const errors = lines
    .filter((line) => /^(ERR|error|pageerror)\b/.test(line) && !noise.test(line))
    .map((line) => line.split('\n').slice(0, 4).join('\n    '))
    .slice(-10);
  if (errors.length > 0) {
    console.log(`[integration] last errors in the workbench log:\n  ${errors.join('\n  ')}`);
  }
}

async function runPass(pass: Pass): Promise<PassResult> {
  console.log(`\n[integration] ${pass} pass: starting code-server`);
  const startedAt = Date.now();
  const server = await startCodeServer({
    label: `it-${pass}`,
    trusted: pass === 'trusted',
    settings: { 'dualModelHarness.marker': 'written-by-runner', 'dualModel.demo.latencyMs': 0 },
    env: { DUAL_MODEL_TEST_PASS: pass, DUAL_MODEL_TEST_HOST: 'code-server' },
  });
  const browser = await launchBrowser(`it-${pass}-br`).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const workbenchLog: string[] = [];
  current = { pass, page: browser.page, workbenchLog };
  const tripwire: Tripwire | undefined = pass === 'untrusted' ? await startTripwire() : undefined;
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      current = undefined;
      writeWorkbenchLog(pass, workbenchLog);
      await browser.close();
      await server.stop();
    }
  };
  let totals: Totals | undefined;
  try {
    const output = forwardConsole(browser.page, (line) => {
      if (line.text.startsWith(testOutputPrefix)) {
        const text = line.text.slice(testOutputPrefix.length);
        totals = parseTotals(text) ?? totals;
        console.log(text);
        return;
      }
      if (isMachineReadable(line.text)) {
        console.log(line.text);
      }
      workbenchLog.push(`${line.level ?? line.type} ${line.text}`);
      if (verbose) {
        console.log(`  (workbench ${line.level ?? line.type}) ${line.text}`);
      }
    });
    browser.page.on('pageerror', (error) => workbenchLog.push(`pageerror ${error.message}`));
    const { exited } = await exposeAutomationExit(browser.page);
    const crashed = new Promise<never>((_, reject) => {
      browser.page.once('crash', () => reject(new Error('the workbench page crashed')));
    });

    const folder = copySampleWorkspace(server.scratch);
    // Restricted Mode is for repositories the user does not trust yet: this one sends every
    // request to a tripwire and ships a run that a resume would redo, and nothing may reach it.
    if (tripwire) plantClonedRepository(folder, tripwire.url);
    const loadingAt = Date.now();
    await browser.page.goto(server.url(folder, developmentPayload(server, testsEntry)));
    const loadedAt = Date.now();
    const { code, logs } = await Promise.race([exited, crashed]);
    // Console lines logged before the exit may still be on their way through the queue.
    await output.flush();

    if (code !== 0 && !verbose) {
      printErrorExcerpt(workbenchLog);
    }
    for (const log of logs) {
      const file = join(logDir, `integration-${pass}`, log.relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, log.contents);
    }
    const stoppingAt = Date.now();
    await stop();
    const phases = [
      `server+browser ${seconds(startedAt, loadingAt)}`,
      `page load ${seconds(loadingAt, loadedAt)}`,
      `extension host+tests ${seconds(loadedAt, stoppingAt)}`,
      `teardown ${seconds(stoppingAt, Date.now())}`,
    ].join(', ');
    return { code, totals, phases, ...(tripwire ? { tripped: tripwire.requests() } : {}) };
  } finally {
    await stop();
    await tripwire?.close();
  }
}

async function main(): Promise<number> {
  if (!existsSync(testsEntry)) {
    console.error(`[integration] ${testsEntry} is missing: run \`npm run build\` first`);
    console.log('DUALMODEL-SUITE integration passed=0 failed=1');
    return 1;
  }
  let passed = 0;
  let failed = 0;
  for (const pass of selectedPasses(process.argv.slice(2))) {
    const started = Date.now();
    const { code, totals, phases, tripped } = await runPass(pass).catch((error: unknown): PassResult => {
      console.log(`[integration] ${pass} pass crashed: ${error instanceof Error ? error.stack : String(error)}`);
      return { code: 1, totals: undefined };
    });
    if (tripped !== undefined) {
      // Counted as a test of its own: the planted settings and run reached no server.
      if (tripped.length === 0) passed += 1;
      else {
        failed += 1;
        console.log(`[integration] ${pass} pass: the planted repository's tripwire got ${tripped.length} request(s): ${tripped.join(', ')}`);
      }
    }
    passed += totals?.passed ?? 0;
    // A pass that failed without reporting a failing test (a crash, a load error) counts as one.
    failed += code !== 0 && !totals?.failed ? 1 : (totals?.failed ?? 0);
    if (!totals) {
      console.log(`[integration] ${pass} pass reported no totals: see ${logDir}/`);
    }
    console.log(`[integration] ${pass} pass: exit code ${code} after ${seconds(started, Date.now())}${phases ? ` (${phases})` : ''}`);
  }
  console.log(`DUALMODEL-SUITE integration passed=${passed} failed=${failed}`);
  return failed > 0 ? 1 : 0;
}

async function timedOut(): Promise<never> {
  console.log(`\n[integration] TIMED OUT after ${totalTimeoutMs / 1000} s: the tests never reported an exit code.`);
  if (current) {
    const { pass, page, workbenchLog } = current;
    const shot = join(outputRoot, 'screenshots', `integration-timeout-${pass}.png`);
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, timeout: 5_000 }).then(
      () => console.log(`[integration] the workbench at that moment: ${shot}`),
      () => undefined,
    );
    writeWorkbenchLog(pass, workbenchLog);
    printErrorExcerpt(workbenchLog);
  }
  console.log(`[integration] logs: ${logDir}/`);
  console.log('DUALMODEL-SUITE integration passed=0 failed=1');
  // The exit handlers kill code-server's process group and the browser.
  process.exit(1);
}

const timeout = setTimeout(() => void timedOut(), totalTimeoutMs);

main().then(
  (code) => {
    clearTimeout(timeout);
    process.exitCode = code;
  },
  (error: unknown) => {
    clearTimeout(timeout);
    console.log(error);
    console.log('DUALMODEL-SUITE integration passed=0 failed=1');
    process.exitCode = 1;
  },
);
