// Runs the Verification Command as a real VS Code task, so the user watches it in the terminal
// panel (and can stop it there) while the same output is captured for the Code Report. The task
// is a CustomExecution around runProcess rather than a ShellExecution because a shell task's
// output cannot be read back, and its process tree cannot be killed on our timeout.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { VerificationRequest, VerificationResult, VerificationRunner } from '../core/ports.js';
import { runProcess } from '../node/processRunner.js';
import { describeVerificationSandbox, type SandboxChoice } from '../node/sandbox.js';
import { redactSecrets } from '../node/secretRedactor.js';
import { verificationSummary } from '../node/verificationSummary.js';
import { messageOf } from './errorMessage.js';

/** The `type` of our tasks; package.json declares it under `contributes.taskDefinitions`. */
export const VERIFICATION_TASK_TYPE = 'dualModel';

export const UNTRUSTED_WORKSPACE_REASON =
  'The workspace is not trusted, so the verification command was not run. Trust the workspace (Workspaces: Manage Workspace Trust) to let the Coder run it.';

/**
 * Only an id, never the command: VS Code resolves `${…}` variables in a CustomExecution's
 * definition, and a shell command like `${command:-x}` would be taken for one.
 */
interface VerificationTaskDefinition extends vscode.TaskDefinition {
  type: typeof VERIFICATION_TASK_TYPE;
  /**
   * The same for every run in one folder: VS Code keys a task's dedicated terminal on its
   * definition, so the next run reuses (and clears) the last one's terminal instead of opening
   * another tab. Each candidate's copy has its own, so they can run at once.
   */
  id: string;
}

const VERIFICATION_TASK_ID = 'verification';

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export class TaskVerificationRunner implements VerificationRunner {
  /**
   * Runs in one folder go one at a time: a second start of the same task while it runs would be
   * refused. Candidates' copies are other folders, each its own task, so they run side by side.
   */
  private readonly queues = new Map<string, Promise<unknown>>();

  /**
   * `knownSecrets`: every API key text the extension holds, to redact from the output.
   * `sandbox`: the user's dualModel.verification.sandbox, read for each run.
   */
  constructor(
    private readonly knownSecrets: () => Promise<readonly string[]>,
    private readonly sandbox: () => SandboxChoice,
  ) {}

  run(request: VerificationRequest): Promise<VerificationResult> {
    if (!vscode.workspace.isTrusted) {
      return Promise.resolve({ exitCode: undefined, output: '', timedOut: false, notRun: UNTRUSTED_WORKSPACE_REASON, durationMs: 0 });
    }
    const turn = (this.queues.get(request.cwd) ?? Promise.resolve()).then(() => this.runTask(request));
    const settled = turn.catch(() => undefined);
    this.queues.set(request.cwd, settled);
    void settled.then(() => {
      if (this.queues.get(request.cwd) === settled) this.queues.delete(request.cwd);
    });
    return turn;
  }

  describeSandbox(): Promise<{ sandboxed: boolean; text: string }> {
    return describeVerificationSandbox(this.sandbox());
  }

  private async runTask(request: VerificationRequest): Promise<VerificationResult> {
    if (request.signal?.aborted) {
      return { exitCode: undefined, output: '', timedOut: false, notRun: 'cancelled', durationMs: 0 };
    }
    let secrets: readonly string[];
    try {
      // Read for every run: a key added since the last run must be redacted too.
      secrets = await this.knownSecrets();
    } catch (error) {
      const message = messageOf(error);
      return { exitCode: undefined, output: '', timedOut: false, notRun: `could not read the API keys to keep them out of the output: ${message}`, durationMs: 0 };
    }
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(request.cwd));
    // The workspace's own run keeps the one id; a copy's (outside the workspace) gets one per folder.
    const id = folder ? VERIFICATION_TASK_ID : `${VERIFICATION_TASK_ID}-${createHash('sha256').update(request.cwd).digest('hex').slice(0, 12)}`;
    const definition: VerificationTaskDefinition = { type: VERIFICATION_TASK_TYPE, id };
    const terminal = new VerificationPseudoterminal(request, secrets, this.sandbox());
    const scope = folder ?? vscode.TaskScope.Workspace;
    const task = new vscode.Task(
      definition,
      scope,
      request.label,
      'Dual-Model',
      new vscode.CustomExecution(() => Promise.resolve(terminal)),
    );
    task.presentationOptions = {
      reveal: vscode.TaskRevealKind.Always,
      panel: vscode.TaskPanelKind.Dedicated,
      clear: true,
      // Shown, not focused: the user is likely typing in the chat or an editor.
      focus: false,
      showReuseMessage: false,
    };

    try {
      await vscode.tasks.executeTask(task);
    } catch (error) {
      terminal.abandon();
      const message = messageOf(error);
      return { exitCode: undefined, output: '', timedOut: false, notRun: `could not start the task: ${message}`, durationMs: 0 };
    }
    // The task system opens the terminal when it gets round to it; the result comes from our own
    // promise because CustomExecution tasks fire no process start/end events.
    return terminal.result;
  }
}

/** One run: starts the process when the terminal opens, stops it when the terminal closes. */
class VerificationPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  /** Aborted when the user terminates the task or closes its terminal. */
  private readonly closedByUser = new AbortController();
  private started = false;
  private settled = false;
  private resolveResult: (result: VerificationResult) => void = () => undefined;
  private readonly openWait: NodeJS.Timeout | undefined;
  private readonly onRequestAbort = (): void => this.settleUnstarted('cancelled', false);

  readonly result = new Promise<VerificationResult>((resolve) => {
    this.resolveResult = resolve;
  });

  constructor(
    private readonly request: VerificationRequest,
    private readonly secrets: readonly string[],
    private readonly sandbox: SandboxChoice,
  ) {
    // If the terminal never opens (the task system is stuck behind a prompt), the Coder must not
    // wait forever: give up after the command's own timeout, or when the caller cancels.
    this.openWait = Number.isFinite(request.timeoutMs) && request.timeoutMs > 0
      ? setTimeout(() => this.settleUnstarted('the verification task did not start in time', true), Math.min(request.timeoutMs, 2 ** 31 - 1))
      : undefined;
    request.signal?.addEventListener('abort', this.onRequestAbort, { once: true });
  }

  open(): void {
    if (this.started) {
      return;
    }
    if (this.settled) {
      // Opened after we gave up waiting: say so and end the task at once.
      this.writeEmitter.fire(`${DIM}[dual-model] this verification was already abandoned${RESET}\r\n`);
      this.closeEmitter.fire(1);
      return;
    }
    this.started = true;
    this.clearStartWatch();
    this.writeEmitter.fire(`${BOLD}$ ${redactSecrets(this.request.command, this.secrets)}${RESET}\r\n`);
    const signal = this.request.signal === undefined
      ? this.closedByUser.signal
      : AbortSignal.any([this.request.signal, this.closedByUser.signal]);
    const onOutput = (chunk: string): void => this.writeEmitter.fire(toTerminalText(chunk));
    void runProcess({ ...this.request, signal }, onOutput, { secrets: this.secrets, sandbox: this.sandbox }).then((result) => {
      this.writeEmitter.fire(`\r\n${DIM}${verificationSummary(result)}${RESET}\r\n`);
      // A killed or unstarted run must not look like success in the task UI.
      this.closeEmitter.fire(result.exitCode ?? 1);
      this.finish(result);
      this.writeEmitter.dispose();
      this.closeEmitter.dispose();
    });
  }

  close(): void {
    // The user stopped the task or closed the terminal: stop the process tree too.
    this.closedByUser.abort();
    if (!this.started) {
      this.settleUnstarted('cancelled', false);
    }
  }

  /** executeTask failed, so open() will never come. */
  abandon(): void {
    this.clearStartWatch();
    this.settled = true;
  }

  private settleUnstarted(reason: string, timedOut: boolean): void {
    if (this.started || this.settled) {
      return;
    }
    this.clearStartWatch();
    // The emitters stay alive: if the terminal opens late, open() still has to end the task.
    this.closeEmitter.fire(1);
    this.finish({ exitCode: undefined, output: '', timedOut, notRun: reason, durationMs: 0, ...(timedOut ? { timeLimitMs: this.request.timeoutMs } : {}) });
  }

  private finish(result: VerificationResult): void {
    if (this.settled) {
      return;
    }
    this.settled = true;
    this.resolveResult(result);
  }

  private clearStartWatch(): void {
    if (this.openWait !== undefined) {
      clearTimeout(this.openWait);
    }
    this.request.signal?.removeEventListener('abort', this.onRequestAbort);
  }
}

/** Terminals need CR LF; the process writes bare LF. */
function toTerminalText(chunk: string): string {
  return chunk.replace(/\r?\n/g, '\r\n');
}
