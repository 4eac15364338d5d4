// Starts a real VS Code server (code-server) on 127.0.0.1 for one test run: a free port, scratch
// home/temp/XDG folders, its own user-data and extensions folders, and the user settings the
// caller asks for. The extension under development is loaded through the page URL (see url()).
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hostTools, outputRoot, repoRoot, testLanguageModelsExtension } from './paths';
import { stopGroup, trackGroup } from './processGroups';
import { createScratch, type Scratch } from './scratch';

export type Settings = Record<string, unknown>;
/** The `payload` of a workbench URL: key/value pairs the smoke-test driver understands. */
export type Payload = Array<[string, string]>;

export interface CodeServerOptions {
  /** Names the scratch folder and the log file; letters and dashes. */
  label?: string;
  /** User settings, merged over the quiet defaults below. */
  settings?: Settings;
  /**
   * true (the default) starts with `--disable-workspace-trust`, so every folder is trusted.
   * false leaves Workspace Trust on: a fresh folder opens in Restricted Mode, without the
   * startup prompt.
   */
  trusted?: boolean;
  /** Extensions folder; an empty one in the scratch folder by default. */
  extensionsDir?: string;
  /** Extra environment for the server; its extension host inherits it. */
  env?: Record<string, string>;
  /** Receives each line the server prints; by default they only go to the log file. */
  onOutput?: (line: string) => void;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  userDataDir: string;
  extensionsDir: string;
  /** The server's stdout/stderr, kept after the run (.test-output/logs/<label>.server.log). */
  logFile: string;
  scratch: Scratch;
  /** `vscode-remote://127.0.0.1:PORT/abs/path`: how the browser side names a server path. */
  remoteUri(absolutePath: string): string;
  /** The workbench URL that opens `folder`, with an optional smoke-test-driver payload. */
  url(folder: string, payload?: Payload): string;
  /** Kills the server's whole process group and removes the scratch folder. */
  stop(): Promise<void>;
}

/** Settings that keep a test workbench quiet and offline; callers override any of them. */
const quietSettings: Settings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.startupPrompt': 'never',
  // Once a chat model is available (the test language models), VS Code opens the Chat view in
  // the secondary side bar, squeezing the run panel in every screenshot.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Payload that loads this repository as the extension under development, and optionally tests. */
export function developmentPayload(server: CodeServer, extensionTestsPath?: string): Payload {
  const payload: Payload = [['extensionDevelopmentPath', server.remoteUri(repoRoot)]];
  if (extensionTestsPath !== undefined) {
    payload.push(['extensionTestsPath', server.remoteUri(extensionTestsPath)]);
  }
  return payload;
}

/**
 * Puts the test-only language models extension (see paths.ts) in the extensions folder, where
 * the server finds it at start. Not a second extensionDevelopmentPath: the server loads only
 * one of those (measured: the last one wins).
 */
function installTestLanguageModels(extensionsDir: string): void {
  if (!existsSync(join(testLanguageModelsExtension, 'package.json'))) return;
  const { publisher, name, version } = JSON.parse(readFileSync(join(testLanguageModelsExtension, 'package.json'), 'utf8')) as Record<string, string>;
  cpSync(testLanguageModelsExtension, join(extensionsDir, `${publisher}.${name}-${version}`), { recursive: true });
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const tools = hostTools();
  const label = options.label ?? 'code-server';
  const scratch = createScratch(label);
  const userDataDir = join(scratch.dir, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(scratch.dir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  installTestLanguageModels(extensionsDir);
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...options.settings }, null, 2),
  );
  const configFile = join(scratch.dir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const logDir = join(outputRoot, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${label}.server.log`);
  writeFileSync(logFile, '');

  const args = [
    tools.codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    // Port 0: the kernel picks a free port, read back from the "listening on" line (no race).
    '--bind-addr', '127.0.0.1:0',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    // An extension host outlives its closed browser by this much (the default is 3 hours).
    '--reconnection-grace-time', '5',
    // Without it the workbench ignores the extensionTestsPath payload and no test ever starts.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  if (options.trusted ?? true) {
    args.push('--disable-workspace-trust');
  }

  const child = spawn(tools.node, args, {
    cwd: scratch.dir,
    env: { ...scratch.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = trackGroup(child);
  const recent: string[] = [];
  let stopped = false;

  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string) => {
      appendFileSync(logFile, line + '\n');
      recent.push(line);
      if (recent.length > 100) {
        recent.shift();
      }
      options.onOutput?.(line);
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (match?.[1]) {
        resolve(Number(match[1]));
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!stopped) {
        reject(new Error(`code-server exited early (${signal ?? code}); last output:\n${recent.join('\n')}`));
      }
    });
    setTimeout(() => reject(new Error(`code-server did not start in 60 s; last output:\n${recent.join('\n')}`)), 60_000).unref();
  }).catch(async (error: unknown) => {
    await stopGroup(pgid);
    throw error;
  });

  const origin = `http://127.0.0.1:${port}`;
  // /healthz answers 200 (status "expired" until a browser connects): the 200 is what we want.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const healthy = await fetch(`${origin}/healthz`).then((response) => response.status === 200, () => false);
    if (healthy) {
      break;
    }
    if (Date.now() > deadline) {
      await stopGroup(pgid);
      throw new Error(`code-server on ${origin} never answered /healthz; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const remoteUri = (absolutePath: string) => `vscode-remote://127.0.0.1:${port}${absolutePath}`;
  return {
    port,
    origin,
    userDataDir,
    extensionsDir,
    logFile,
    scratch,
    remoteUri,
    url(folder, payload) {
      let url = `${origin}/?folder=${encodeURIComponent(folder)}`;
      if (payload && payload.length > 0) {
        url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      }
      return url;
    },
    async stop() {
      stopped = true;
      await stopGroup(pgid);
      scratch.remove();
    },
  };
}
