// The same integration suites in desktop VS Code through @vscode/test-electron, for machines
// that can download VS Code (a laptop, a public CI). This machine's network cannot: there,
// runIntegration.ts (code-server) is the real host. scripts/test.sh uses this runner only when
// DUAL_MODEL_TEST_ELECTRON=1. Prints the same `DUALMODEL-SUITE integration …` line.
//
//   node --import tsx test/host/runElectron.ts [--pass trusted|untrusted]
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostTools, outputRoot, repoRoot, testLanguageModelsExtension } from './paths';
import type { Totals } from './hostProtocol';
import { createScratch } from './scratch';
import { copySampleWorkspace } from './workspace';

type Pass = 'trusted' | 'untrusted';

const testsEntry = process.env.DUAL_MODEL_TESTS_ENTRY ?? join(repoRoot, 'dist', 'test', 'integration', 'index.js');

function cachePath(): string {
  try {
    return join(hostTools().cacheRoot, 'vscode-test');
  } catch {
    return join(outputRoot, 'vscode-test');
  }
}

async function runPass(pass: Pass): Promise<{ code: number; totals: Totals | undefined }> {
  const scratch = createScratch(`el-${pass}`);
  try {
    const userDataDir = join(scratch.dir, 'user-data');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({
        'dualModelHarness.marker': 'written-by-runner',
        'dualModel.demo.latencyMs': 0,
        'security.workspace.trust.startupPrompt': 'never',
        'workbench.startupEditor': 'none',
        'update.mode': 'none',
      }),
    );
    const resultFile = join(scratch.dir, 'totals.json');
    const launchArgs = [
      copySampleWorkspace(scratch),
      '--disable-extensions',
      '--user-data-dir', userDataDir,
      '--extensions-dir', join(scratch.dir, 'extensions'),
    ];
    if (pass === 'trusted') {
      launchArgs.push('--disable-workspace-trust');
    }
    const code = await runTests({
      cachePath: cachePath(),
      extensionDevelopmentPath: [repoRoot, testLanguageModelsExtension],
      extensionTestsPath: testsEntry,
      extensionTestsEnv: {
        DUAL_MODEL_TEST_PASS: pass,
        DUAL_MODEL_TEST_HOST: 'electron',
        DUAL_MODEL_TEST_RESULT_FILE: resultFile,
      },
      launchArgs,
    }).catch((error: unknown) => {
      console.error(`[electron] ${pass} pass: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    });
    const totals = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as Totals) : undefined;
    return { code, totals };
  } finally {
    scratch.remove();
  }
}

async function main(): Promise<number> {
  if (!existsSync(testsEntry)) {
    console.error(`[electron] ${testsEntry} is missing: run \`npm run build\` first`);
    console.log('DUALMODEL-SUITE integration passed=0 failed=1');
    return 1;
  }
  const index = process.argv.indexOf('--pass');
  const passes: Pass[] = index >= 0 ? [process.argv[index + 1] === 'untrusted' ? 'untrusted' : 'trusted'] : ['trusted', 'untrusted'];
  let passed = 0;
  let failed = 0;
  for (const pass of passes) {
    const { code, totals } = await runPass(pass);
    passed += totals?.passed ?? 0;
    failed += code !== 0 && !totals?.failed ? 1 : (totals?.failed ?? 0);
    console.log(`[electron] ${pass} pass: exit code ${code}`);
  }
  console.log(`DUALMODEL-SUITE integration passed=${passed} failed=${failed}`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    console.log('DUALMODEL-SUITE integration passed=0 failed=1');
    process.exitCode = 1;
  },
);
