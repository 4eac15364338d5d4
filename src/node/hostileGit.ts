// Running git on a repository we do not trust (issue 11's isolated copies). The repository's
// own configuration may name programs git would run: hooks (post-checkout on `worktree add`,
// reference-transaction on every branch), core.fsmonitor, filters, ssh. So git runs with a fixed
// environment (no GIT_DIR or GIT_WORK_TREE from ours, no system or global configuration) and
// command-line overrides, which outrank every configuration file. The callers also keep to
// commands that never compare file contents or check files out, so no filter has a reason to run.
import { spawn } from 'node:child_process';
import { messageOf } from '../core/workflow/errorMessage.js';
import { killTree } from './processGroup.js';

const isWindows = process.platform === 'win32';
const nothing = isWindows ? 'NUL' : '/dev/null';

/** Long enough for `worktree add` on a large repository; a hung git (a lock, a network mount) still ends. */
export const DEFAULT_GIT_TIMEOUT_MS = 60_000;

/** Command-line configuration: stronger than the repository's .git/config and any file it includes. */
const overrides = [
  `core.hooksPath=${nothing}`,
  'core.fsmonitor=false',
  'core.untrackedCache=false',
  'core.sshCommand=false',
  'protocol.allow=never',
  'credential.helper=',
  'gc.auto=0',
  'maintenance.auto=false',
  'advice.detachedHead=false',
].flatMap((setting) => ['-c', setting]);

/** What git sees of the environment: nothing of ours but where programs are. */
function gitEnvironment(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'SystemRoot', 'TEMP', 'TMP'];
  const env: NodeJS.ProcessEnv = {};
  for (const name of keep) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: nothing,
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_LAZY_FETCH: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
  };
}

export interface GitOptions {
  cwd: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git and returns what it said, whatever its exit code; rejects only when it could not run or was stopped. */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new Error(`git ${args[0] ?? ''} cancelled`));
      return;
    }
    // detached: git leads a group of its own, so stopping it stops the programs it started too
    // (`git daemon` and other helpers run as children that would hold the pipes open).
    const child = spawn('git', [...overrides, ...args], { cwd: options.cwd, env: gitEnvironment(), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, detached: !isWindows });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let stopped: string | undefined;
    const stop = (why: string): void => {
      stopped ??= why;
      if (isWindows || child.pid === undefined) child.kill('SIGKILL');
      else void killTree(child.pid, 0);
    };
    const timer = setTimeout(() => stop(`timed out after ${timeoutMs / 1000} s`), timeoutMs);
    const onAbort = (): void => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      settle();
      reject(new Error(`git ${args[0] ?? ''} could not run: ${messageOf(error)}`));
    });
    child.on('close', (code) => {
      settle();
      if (stopped !== undefined) {
        reject(new Error(`git ${args[0] ?? ''} ${stopped}`));
        return;
      }
      resolve({ code: code ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** Runs git and returns its output; a failure says which command failed and the first lines git wrote. */
export async function git(args: readonly string[], options: GitOptions): Promise<string> {
  const result = await runGit(args, options);
  if (result.code !== 0) throw new Error(`git ${args.slice(0, 2).join(' ')} failed: ${firstLines(result.stderr) || `exit code ${result.code}`}`);
  return result.stdout;
}

function firstLines(text: string, count = 4): string {
  return text.trim().split('\n').slice(0, count).join(' / ');
}

/** NUL-separated output (`-z`) as a list. */
export const splitNul = (text: string): string[] => text.split('\0').filter((entry) => entry !== '');
