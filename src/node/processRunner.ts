// Runs the spec's Verification Command the way a terminal would (through the platform shell) and
// captures what it printed, with a timeout that kills the whole process tree. Starting the shell
// lives in verificationShell.ts, stopping the tree in processGroup.ts, telling "not found" from
// exit 127 in commandNotFound.ts; this file runs one command from start to result. Plain Node, no
// `vscode`: the VS Code task adapter shows the stream in a terminal, and the unit tests run this
// against real processes.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { VerificationRequest, VerificationResult, VerificationSandbox } from '../core/ports.js';
import { missingCommand, NOT_FOUND_EXIT_CODE } from './commandNotFound.js';
import { DEFAULT_CAPTURE_BYTES, HeadTailCapture } from './headTailCapture.js';
import { groupExitsWithin, isGroupAlive, killTree } from './processGroup.js';
import { bubblewrapUnavailable, type SandboxChoice } from './sandbox.js';
import { sandboxBlockedNotes } from './sandboxBlocked.js';
import { redactSecrets, SecretRedactor } from './secretRedactor.js';
import { stripAnsi } from './stripAnsi.js';
import { verificationEnvironment } from './verificationEnvironment.js';
import { spawnSandboxed, spawnShell } from './verificationShell.js';

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
        const missing = await missingCommand(command, request.cwd);
        if (missing !== undefined) {
          notRunReason = `command not found: ${missing}`;
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

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
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

async function isDirectory(directory: string): Promise<boolean> {
  try {
    return (await stat(directory)).isDirectory();
  } catch {
    return false;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
