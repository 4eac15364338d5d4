// Follows one run into a chat answer: the model's streamed text as it comes, a heading when the
// run enters a phase, the engine's activity as progress, and, where the run stops for the user
// (chatTranscript.isStop), the stop's words and buttons. It listens from construction, so a
// run's first chunk, streamed before start() has returned the run's id, is not lost.
import type * as vscode from 'vscode';
import { activityParts, closingFence, confirmsItself, isStop, phaseParts, selfConfirmParts, stopParts, type ChatPart } from '../../core/chat/chatTranscript.js';
import type { ModeStart } from '../../core/chat/modeCommands.js';
import type { RunRecord } from '../../core/workflow/runRecord.js';
import type { PhaseName } from '../../core/workflow/runState.js';
import type { RunSnapshot } from '../../core/workflow/runSnapshots.js';
import type { RunView } from '../../core/workflow/runViewSchema.js';

export interface StreamedChunk {
  runId: string;
  text: string;
  reset?: boolean;
}

/** What the chat needs of the run controller (runController.ts): its public methods, nothing more. */
export interface ChatRuns {
  /** `mode`: the chat's /compete; absent, the run takes dualModel.run.mode (a fan-out's cost is confirmed in a modal). */
  start(request: string, mode?: ModeStart): Promise<string | undefined>;
  confirmModel(runId: string, specDigest?: string): Promise<void>;
  snapshot(runId: string): Promise<RunSnapshot | undefined>;
  run(runId: string): RunRecord | undefined;
  readonly onStream: vscode.Event<StreamedChunk>;
  readonly onDidChange: vscode.Event<void>;
}

/** The part of a ChatResponseStream the participant writes to (a recorder in the tests). */
export type ChatOut = Pick<vscode.ChatResponseStream, 'markdown' | 'progress' | 'button'>;

export function emit(out: ChatOut, parts: readonly ChatPart[]): void {
  for (const part of parts) {
    if (part.kind === 'markdown') out.markdown(part.text);
    else if (part.kind === 'progress') out.progress(part.text);
    else out.button({ title: part.title, command: part.command, arguments: part.arguments });
  }
}

export class RunFollower {
  private runId: string | undefined;
  /** Chunks that came before the run to follow was known (or before its first heading was written). */
  private readonly early: StreamedChunk[] = [];
  private writing = false;
  /** The model text streamed in the current phase, to close a code fence it left open. */
  private streamed = '';
  private phase: PhaseName | undefined;
  private activity: string | undefined;
  /** Whether the answer said that the HARD STOP it is in confirms itself. */
  private saidSelfConfirm = false;
  private checks: Promise<void> = Promise.resolve();
  private finished = false;
  private resolve: ((view: RunView | undefined) => void) | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runs: ChatRuns,
    private readonly out: ChatOut,
    private readonly token: vscode.CancellationToken,
  ) {
    this.subscriptions = [
      runs.onStream((chunk) => this.onChunk(chunk)),
      runs.onDidChange(() => this.onChange()),
      token.onCancellationRequested(() => this.finish(undefined)),
    ];
  }

  /**
   * Streams the run into the answer until it stops for the user (its view then) or the user
   * stops the answer (undefined; the run goes on, in the panel). Disposes the follower.
   */
  async follow(runId: string): Promise<RunView | undefined> {
    this.runId = runId;
    const stopped = new Promise<RunView | undefined>((resolve) => (this.resolve = resolve));
    if (this.token.isCancellationRequested) this.finish(undefined);
    try {
      const first = (await this.runs.snapshot(runId))?.view;
      if (!first) throw new Error(`There is no run ${runId} in this workspace.`);
      if (!this.finished) {
        this.enter(first.phase);
        this.writing = true;
        for (const chunk of this.early.splice(0)) if (chunk.runId === runId) this.write(chunk);
        this.settle(first);
      }
      return await stopped;
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    this.finished = true;
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private onChunk(chunk: StreamedChunk): void {
    if (this.finished) return;
    if (!this.writing) this.early.push(chunk);
    else if (chunk.runId === this.runId) this.write(chunk);
  }

  private write(chunk: StreamedChunk): void {
    if (chunk.reset) {
      this.out.markdown(`${closingFence(this.streamed)}\n\n*(The answer was cut off; it is being asked again.)*\n\n`);
      this.streamed = '';
    }
    if (!chunk.text) return;
    this.streamed += chunk.text;
    this.out.markdown(chunk.text);
  }

  /**
   * The phase is read at once from the run's record (synchronously), so its heading comes before
   * the next phase's first chunk; whether the run stopped needs the snapshot, read in order.
   */
  private onChange(): void {
    if (this.finished || !this.writing || !this.runId) return;
    const record = this.runs.run(this.runId);
    if (record && record.state.phase !== this.phase) this.enter(record.state.phase);
    const runId = this.runId;
    this.checks = this.checks.then(async () => {
      if (this.finished) return;
      const view = (await this.runs.snapshot(runId))?.view;
      if (view) this.settle(view);
    });
  }

  private enter(phase: PhaseName): void {
    this.phase = phase;
    this.saidSelfConfirm = false;
    const fence = closingFence(this.streamed);
    if (fence) this.out.markdown(fence);
    this.streamed = '';
    emit(this.out, phaseParts(phase));
  }

  private settle(view: RunView): void {
    if (this.finished) return;
    if (view.phase !== this.phase) this.enter(view.phase);
    if (isStop(view)) {
      const fence = closingFence(this.streamed);
      if (fence) this.out.markdown(fence);
      emit(this.out, stopParts(view));
      this.finish(view);
      return;
    }
    if (confirmsItself(view) && !this.saidSelfConfirm) {
      this.saidSelfConfirm = true;
      emit(this.out, selfConfirmParts(view));
    }
    if (view.activity.message !== this.activity) {
      this.activity = view.activity.message;
      emit(this.out, activityParts(view));
    }
  }

  private finish(view: RunView | undefined): void {
    if (this.finished && !this.resolve) return;
    this.finished = true;
    const resolve = this.resolve;
    this.resolve = undefined;
    resolve?.(view);
  }
}
