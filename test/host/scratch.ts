// A throwaway folder per server or browser, with HOME, TMPDIR and XDG_* pointed into it, so
// that neither code-server nor Chromium writes into the real home or /tmp.
//
// Unix socket paths are limited to 107 bytes, and both programs create sockets in these folders
// (Chromium's SingletonSocket in TMPDIR, VS Code's `vscode-ipc-<uuid>.sock` in
// XDG_RUNTIME_DIR, code-server's session socket in its user-data-dir). So folder names stay
// short, and a checkout whose path is already long gets its scratch folders in the system
// temp folder instead (removed just the same).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputRoot } from './paths';
// Loaded first so that its exit handler (kill the servers) runs before ours (delete folders).
import './processGroups';

export interface Scratch {
  dir: string;
  /** The environment to run a child in: the caller's, with home, temp and XDG folders moved here. */
  env: NodeJS.ProcessEnv;
  /** Deletes the folder unless DUAL_MODEL_KEEP_SCRATCH=1 (handy when a run needs a post-mortem). */
  remove(): void;
}

/** Longest scratch folder path that leaves room for the sockets created inside it. */
const maxScratchPath = 50;
let counter = 0;
const keep = process.env.DUAL_MODEL_KEEP_SCRATCH === '1';

// Folders still in use when the process exits (a timeout, Ctrl+C) go too. This handler runs
// after processGroups.ts has killed the servers, whose module is loaded first.
const live = new Set<string>();
process.on('exit', () => {
  for (const dir of live) {
    removeDir(dir);
  }
});

function removeDir(dir: string): void {
  live.delete(dir);
  if (!keep) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

function makeScratchDir(label: string): string {
  const name = `${label.slice(0, 12)}-${process.pid.toString(36)}${counter++}`;
  const inRepo = join(outputRoot, 'runs', name);
  if (inRepo.length <= maxScratchPath) {
    mkdirSync(inRepo, { recursive: true });
    return inRepo;
  }
  return mkdtempSync(join(tmpdir(), 'dmo-'));
}

export function createScratch(label: string): Scratch {
  const dir = makeScratchDir(label);
  const home = join(dir, 'home');
  const tmp = join(dir, 'tmp');
  const xdgConfig = join(dir, 'xdg', 'config');
  const xdgData = join(dir, 'xdg', 'data');
  const xdgCache = join(dir, 'xdg', 'cache');
  for (const folder of [home, tmp, xdgConfig, xdgData, xdgCache]) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: xdgConfig,
    XDG_DATA_HOME: xdgData,
    XDG_CACHE_HOME: xdgCache,
    XDG_RUNTIME_DIR: tmp,
  };
  // Variables a surrounding VS Code or code-server may have set would make the child talk to it.
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name.startsWith('CODE_SERVER_') || name === 'ELECTRON_RUN_AS_NODE') {
      delete env[name];
    }
  }
  live.add(dir);
  return { dir, env, remove: () => removeDir(dir) };
}
