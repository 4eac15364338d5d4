// Runs the spec's Verification Command the way a terminal would (through the platform shell) and
// captures what it printed, with a timeout that kills the whole process tree. Plain Node, no
// `vscode`: the VS Code task adapter shows the stream in a terminal, and the unit tests run this
// against real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as fsConstants, readdirSync, readFileSync } from 'node:fs';
import { access, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { VerificationRequest, VerificationResult, VerificationSandbox } from '../core/ports.js';
import { DEFAULT_CAPTURE_BYTES, HeadTailCapture } from './headTailCapture.js';
import { bubblewrapArguments, bubblewrapUnavailable, type SandboxChoice } from './sandbox.js';
import { sandboxBlockedNotes } from './sandboxBlocked.js';
import { redactSecrets, SecretRedactor } from './secretRedactor.js';
import { stripAnsi } from './stripAnsi.js';
import { verificationEnvironment } from './verificationEnvironment.js';

export interface ProcessRunnerOptions {
  /** How long the tree gets after SIGTERM before SIGKILL. */
  killGraceMs: number;
  /** How long to wait for the output pipes after the shell exits; something escaped may hold them. */
  closeGraceMs: number;
  /** Bytes of output kept at each end; the middle of longer output is dropped. */
  captureBytes: number;
  /** Key texts to remove from everything the command prints, before anyone sees it. */
  secrets: readonly string[];
  /**
   * 'sandboxed': no network, writes only to the workspace (request.cwd) and a temporary folder
   * of the run's own; where no sandbox can run, the command runs unsandboxed and says why.
   */
  sandbox: SandboxChoice;
  /** The bubblewrap program (Linux). */
  bubblewrap: string;
}

export const DEFAULT_PROCESS_RUNNER_OPTIONS: Readonly<ProcessRunnerOptions> = {
  killGraceMs: 2000,
  closeGraceMs: 2000,
  captureBytes: DEFAULT_CAPTURE_BYTES,
  secrets: [],
  sandbox: 'unsandboxed',
  bubblewrap: 'bwrap',
};

const isWindows = process.platform === 'win32';
/** What the shell itself returns when it cannot find the command. */
const NOT_FOUND_EXIT_CODE = isWindows ? 9009 : 127;
/** Bounds the wait after SIGKILL, which cannot be ignored but can meet an unreaped zombie. */
const AFTER_SIGKILL_WAIT_MS = 1000;
const GROUP_POLL_MS = 50;

type ExitOutcome = { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null } | { kind: 'error'; error: Error };
type StopReason = 'timeout' | 'cancelled';

/**
 * Runs `request.command` through the shell in `request.cwd`, with no provider key in its
 * environment. Each piece of output (stdout and stderr interleaved as they arrive, raw, colours
 * included, known keys redacted) goes to `onOutput`; the result holds the same text with escape
 * codes removed and the middle cut if it is very long. Never rejects: anything that stops the
 * command from running is reported in `notRun`.
 */
export async function runProcess(
  request: VerificationRequest,
  onOutput: (chunk: string) => void,
  options: Partial<ProcessRunnerOptions> = {},
): Promise<VerificationResult> {
  const settings: ProcessRunnerOptions = { ...DEFAULT_PROCESS_RUNNER_OPTIONS, ...options };
  const started = performance.now();
  const elapsedMs = (): number => Math.round(performance.now() - started);
  const notRun = (reason: string): VerificationResult => ({
    exitCode: undefined,
    output: '',
    timedOut: false,
    notRun: reason,
    durationMs: elapsedMs(),
  });

  const command = request.command.trim();
  if (command === '') {
    return notRun('the verification command is empty');
  }
  if (request.signal?.aborted) {
    return notRun('cancelled');
  }
  // Checked up front because a missing cwd makes spawn report the *shell* as missing (ENOENT).
  if (!(await isDirectory(request.cwd))) {
    return notRun(`the working directory does not exist: ${request.cwd}`);
  }

  const capture = new HeadTailCapture(settings.captureBytes);
  const redactor = new SecretRedactor(settings.secrets);
  let atLineStart = true;
  /** Our own notes skip the redactor, which keeps holding the start of a key the command may finish. */
  const show = (text: string): void => {
    if (text === '') {
      return;
    }
    capture.append(text);
    atLineStart = text.endsWith('\n');
    try {
      onOutput(text);
    } catch {
      // A display that fails must not lose the run or its captured output.
    }
  };
  const emit = (chunk: string): void => show(redactor.push(chunk));
  const note = (message: string): void => show(`${atLineStart ? '' : '\n'}[dual-model] ${message}\n`);

  let sandbox: VerificationSandbox = 'unsandboxed';
  let sandboxTemp: string | undefined;
  if (settings.sandbox === 'sandboxed') {
    const unavailable = await bubblewrapUnavailable(settings.bubblewrap);
    if (unavailable === undefined) {
      try {
        sandboxTemp = await mkdtemp(path.join(tmpdir(), 'dual-model-verification-'));
      } catch (error) {
        return notRun(`could not create the sandbox's temporary folder: ${errorMessage(error)}`);
      }
      sandbox = 'sandboxed';
    } else {
      sandbox = `unavailable: ${unavailable}`;
      note(`not sandboxed: ${unavailable}`);
    }
  }

  try {
    return await runStarted();
  } finally {
    if (sandboxTemp !== undefined) {
      await rm(sandboxTemp, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async function runStarted(): Promise<VerificationResult> {
    let child: ChildProcess;
    try {
      child = sandboxTemp === undefined
        ? spawnShell(command, request.cwd, verificationEnvironment(process.env))
        : await spawnSandboxed(command, request.cwd, sandboxTemp, settings.bubblewrap);
    } catch (error) {
      return { ...notRun(`could not start the shell: ${errorMessage(error)}`), sandbox };
    }

    let exited = false;
    const exit = new Promise<ExitOutcome>((resolve) => {
      child.on('exit', (code, signal) => {
        exited = true;
        resolve({ kind: 'exit', code, signal });
      });
      // `on`, not `once`: a second 'error' with no listener would throw in the host.
      child.on('error', (error) => {
        exited = true;
        resolve({ kind: 'error', error });
      });
    });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    for (const stream of [child.stdout, child.stderr]) {
      // setEncoding keeps a multi-byte character split across two reads whole.
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => emit(chunk));
      stream?.on('error', () => {
        // Reading from a pipe only fails once the child is gone; 'close' still follows.
      });
    }

    let stopReason: StopReason | undefined;
    let treeKill: Promise<void> | undefined;
    const stop = (reason: StopReason): void => {
      if (stopReason !== undefined || exited || child.pid === undefined) {
        return;
      }
      stopReason = reason;
      note(
        reason === 'timeout'
          ? `verification timed out after ${formatSeconds(request.timeoutMs)} s; killed the process tree`
          : 'verification cancelled; killed the process tree',
      );
      treeKill = killTree(child.pid, settings.killGraceMs);
    };
    const timeoutTimer = startTimer(request.timeoutMs, () => stop('timeout'));
    const onAbort = (): void => stop('cancelled');
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const outcome = await exit;
    if (timeoutTimer !== undefined) {
      clearTimeout(timeoutTimer);
    }
    request.signal?.removeEventListener('abort', onAbort);

    // The shell is gone but its group may not be: background jobs it started (`server &`) would
    // outlive the verification and could hold the output pipes open. A terminal sends them SIGHUP
    // when it closes; with pipes nobody does, so stop them here.
    let leftoversStopped = false;
    if (treeKill === undefined && !isWindows && outcome.kind === 'exit' && child.pid !== undefined && isGroupAlive(child.pid)) {
      // In the sandbox the kernel ends every process of the command's pid namespace with its
      // first one, so what is still alive this instant is already dying (seen under load): give
      // it the grace to go before calling it a leftover.
      const alreadyEnding = sandbox === 'sandboxed' && (await groupExitsWithin(child.pid, settings.killGraceMs));
      if (!alreadyEnding) {
        leftoversStopped = true;
        treeKill = killTree(child.pid, settings.killGraceMs);
      }
    }
    if (treeKill !== undefined) {
      await treeKill;
    }
    // A process that left the group (setsid, a daemon) may still hold the pipes; don't wait forever.
    const closedInTime = await settlesWithin(closed, settings.closeGraceMs);
    if (!closedInTime) {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    show(redactor.end());
    if (sandbox === 'sandboxed' && stopReason === undefined && outcome.kind === 'exit' && outcome.code !== 0) {
      for (const blocked of sandboxBlockedNotes(capture.text())) {
        note(blocked);
      }
    }

    if (leftoversStopped) {
      note('the command exited but left processes running; stopped them');
    }
    if (!closedInTime) {
      note('stopped reading output: a process outside the command\'s group still holds it open');
    }

    let exitCode: number | undefined;
    let notRunReason: string | undefined;
    if (outcome.kind === 'error') {
      note(`could not start the shell: ${outcome.error.message}`);
      notRunReason = `could not start the shell: ${outcome.error.message}`;
    } else if (stopReason === undefined) {
      exitCode = outcome.code ?? undefined;
      if (outcome.signal !== null) {
        note(`the command was killed by ${outcome.signal}`);
      }
      if (exitCode === NOT_FOUND_EXIT_CODE) {
        // 127 also comes back when a script inside the command is missing a tool (`npm test` with
        // no jest); only call it "not found" when the command's own first word cannot be found.
        const word = firstWord(command);
        if (word !== undefined && !SHELL_BUILTINS.has(word) && !(await commandExists(word, request.cwd))) {
          notRunReason = `command not found: ${word}`;
        }
      }
    } else if (stopReason === 'cancelled') {
      notRunReason = 'cancelled';
    }

    const result: VerificationResult = {
      exitCode,
      // Again after stripping: a key cut by escape codes is whole only once they are gone.
      output: redactSecrets(stripAnsi(capture.text()), settings.secrets),
      timedOut: stopReason === 'timeout',
      durationMs: elapsedMs(),
      sandbox,
    };
    if (stopReason === 'timeout') {
      result.timeLimitMs = request.timeoutMs;
    }
    if (notRunReason !== undefined) {
      result.notRun = notRunReason;
    }
    return result;
  }
}

/** The shell inside bubblewrap, with its own TMPDIR; spawned like spawnShell, so the group kill reaches it. */
async function spawnSandboxed(command: string, cwd: string, temp: string, bubblewrap: string): Promise<ChildProcess> {
  // Bound by their real paths: a workspace reached through a link must be writable where it is.
  const paths = { workspace: await realpath(cwd), temp: await realpath(temp), cwd };
  const env = verificationEnvironment(process.env, { TMPDIR: paths.temp });
  return spawn(bubblewrap, [...bubblewrapArguments(paths), '/bin/sh', '-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function spawnShell(command: string, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  if (isWindows) {
    // What Node's own `shell: true` does on Windows: /d skips AutoRun, /s + outer quotes keep the
    // command line verbatim.
    return spawn(process.env['ComSpec'] ?? 'cmd.exe', ['/d', '/s', '/c', `"${command}"`], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsVerbatimArguments: true,
      windowsHide: true,
    });
  }
  // detached: the shell leads a new process group, so one signal to -pid reaches everything it
  // started. stdin ignored: a command that prompts gets EOF instead of hanging until the timeout.
  return spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

/** Stops the whole tree and resolves once it is gone (or after a bounded wait). Never rejects. */
async function killTree(pid: number, graceMs: number): Promise<void> {
  if (isWindows) {
    await taskkill(pid);
    return;
  }
  signalGroup(pid, 'SIGTERM');
  if (await groupExitsWithin(pid, graceMs)) {
    return;
  }
  signalGroup(pid, 'SIGKILL');
  await groupExitsWithin(pid, AFTER_SIGKILL_WAIT_MS);
}

function taskkill(pid: number): Promise<void> {
  return new Promise((resolve) => {
    // /T takes the children too, /F because console programs ignore a polite close.
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    killer.once('exit', () => resolve());
    killer.once('error', () => resolve());
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function isGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (error) {
    // EPERM means it exists but is not ours to signal; nothing more we can do, but it is alive.
    return isErrnoException(error) && error.code === 'EPERM';
  }
  // A group of zombies is done: they wait only on a reaper we don't control (the sandbox's
  // first process, orphaned when bwrap exits, stays a zombie until init gets round to it).
  return process.platform !== 'linux' || groupHasLiveMember(pid);
}

/** Linux: whether any process of group `pgid` is not a zombie. Unsure counts as alive. */
function groupHasLiveMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // Gone while we looked.
    }
    // After the command name's closing parenthesis: state, ppid, pgrp.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z') {
      return true;
    }
  }
  return false;
}

async function groupExitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (isGroupAlive(pid)) {
    if (performance.now() >= deadline) {
      return false;
    }
    await delay(GROUP_POLL_MS);
  }
  return true;
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** No timer for a non-finite or non-positive timeout (setTimeout would turn Infinity into 1 ms). */
function startTimer(ms: number, callback: () => void): NodeJS.Timeout | undefined {
  if (!Number.isFinite(ms) || ms <= 0) {
    return undefined;
  }
  return setTimeout(callback, Math.min(ms, 2 ** 31 - 1));
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}

/** Words the shell runs itself, so they are never on PATH and a 127 is not about them. */
const SHELL_BUILTINS = new Set(
  isWindows
    ? ['call', 'cd', 'chdir', 'cls', 'copy', 'del', 'dir', 'echo', 'exit', 'if', 'for', 'md', 'mkdir', 'move', 'rd', 'ren', 'rmdir', 'set', 'setlocal', 'start', 'type']
    : ['.', ':', '!', '{', 'break', 'case', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'for', 'if', 'printf', 'read', 'readonly', 'return', 'set', 'shift', 'test', '[', 'trap', 'true', 'unset', 'until', 'wait', 'while'],
);

/** The program the command starts with: skips `NAME=value` prefixes and strips quotes. */
export function firstWord(command: string): string | undefined {
  const tokens = command.match(/"[^"]*"|'[^']*'|[^\s;&|<>()]+/g) ?? [];
  for (const token of tokens) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(token)) {
      continue;
    }
    return token.replace(/^(["'])(.*)\1$/, '$2');
  }
  return undefined;
}

/** Whether the shell could have found `word`: a path that exists, or a program on PATH. */
async function commandExists(word: string, cwd: string): Promise<boolean> {
  const hasSeparator = word.includes('/') || (isWindows && word.includes('\\'));
  const extensions = isWindows ? ['', ...(process.env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';')] : [''];
  const directories = hasSeparator
    ? [cwd]
    : [...(isWindows ? [cwd] : []), ...(process.env['PATH'] ?? '').split(path.delimiter).filter((entry) => entry !== '')];
  for (const directory of directories) {
    for (const extension of extensions) {
      if (await isExecutableFile(path.resolve(directory, word + extension))) {
        return true;
      }
    }
  }
  return false;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) {
      return false;
    }
    if (!isWindows) {
      await access(file, fsConstants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(directory: string): Promise<boolean> {
  try {
    return (await stat(directory)).isDirectory();
  } catch {
    return false;
  }
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
