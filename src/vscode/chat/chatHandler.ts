// What the @dual-model chat participant answers: `/dual-model <request>` (or a plain message) starts the same
// run as the command, through the run controller, and the answer follows it to the first HARD
// STOP; replying "Model Confirmed" continues the run this chat started (its id is in the metadata
// of the participant's earlier answers) and follows it to the next stop. The chat text is only
// ever a run's request: no command runs from it, and the buttons it shows run this extension's
// own commands on this run. No runtime vscode import: it runs on plain Node against a real engine.
import type * as vscode from 'vscode';
import { helpParts, isStop, metadataOf, nothingToConfirmParts, startedParts, stopParts, waitingParts } from '../../core/chat/chatTranscript.js';
import { parseModeCommand } from '../../core/chat/modeCommands.js';
import { isModelConfirmed, MODEL_CONFIRMED, runOfHistory, type ChatRunMetadata } from '../../core/chat/passphrase.js';
import { endStateOf } from '../../core/workflow/phases.js';
import type { RunView } from '../../core/workflow/runViewSchema.js';
import { messageOf } from '../errorMessage.js';
import { emit, RunFollower, type ChatOut, type ChatRuns } from './runFollower.js';

/** What the handler reads of a request and its context (a real ChatRequest and ChatContext are both). */
export interface ChatAsk {
  readonly prompt: string;
  readonly command: string | undefined;
}
export interface ChatHistory {
  readonly history: readonly object[];
}

/** What an answer returns: the run it is about goes into its metadata, for the next request to find. */
export interface ChatAnswer {
  metadata?: ChatRunMetadata & { hardStopWaiting?: boolean };
  errorDetails?: { message: string };
}

export class DualModelChat {
  constructor(
    /** The run controller; throws when there is none (no folder open), which the answer says. */
    private readonly runs: () => ChatRuns,
    private readonly logError: (line: string) => void,
  ) {}

  async handle(request: ChatAsk, context: ChatHistory, out: ChatOut, token: vscode.CancellationToken): Promise<ChatAnswer> {
    const previous = runOfHistory(context.history);
    try {
      const runs = this.runs();
      const text = request.prompt.trim();
      const view = previous ? (await runs.snapshot(previous.runId))?.view : undefined;
      if (isModelConfirmed(text)) return await this.confirm(runs, previous, view, out, token);
      if (view && endStateOf(view.phase) === undefined) {
        if (isStop(view)) {
          emit(out, waitingParts(view));
          return answerFor(view);
        }
        // The run is at work: say so, and follow it here to its next stop. The text goes nowhere.
        out.markdown(`Run \`${view.runId}\` is in ${view.phaseLabel}; your message was not sent to any model. Following the run here:\n`);
        return await this.follow(runs, view.runId, new RunFollower(runs, out, token));
      }
      const moded = parseModeCommand(request.command, text);
      if (moded) {
        if (!moded.ok) {
          out.markdown(`${moded.error}\n`);
          return {};
        }
        return await this.start(runs, moded.request, out, token, moded.mode);
      }
      if (!text) {
        emit(out, helpParts());
        return {};
      }
      return await this.start(runs, text, out, token);
    } catch (error) {
      const message = messageOf(error);
      this.logError(`Chat: ${message}`);
      return { errorDetails: { message }, ...(previous ? { metadata: previous } : {}) };
    }
  }

  private async start(runs: ChatRuns, request: string, out: ChatOut, token: vscode.CancellationToken, mode?: Parameters<ChatRuns['start']>[1]): Promise<ChatAnswer> {
    out.progress('Starting the run…');
    // Listening before the run starts: its first chunk can come before start() returns its id.
    const follower = new RunFollower(runs, out, token);
    let runId: string | undefined;
    try {
      runId = await runs.start(request, mode);
    } finally {
      if (!runId) follower.dispose();
    }
    if (!runId) {
      out.markdown('The run did not start: a role could not be filled (see the notification), no request was given, or a fan-out\'s cost was not confirmed.\n');
      out.button({ title: 'Configure Roles', command: 'dualModel.configureRoles' });
      return {};
    }
    const started = (await runs.snapshot(runId))?.view;
    if (started) emit(out, startedParts(started));
    return this.follow(runs, runId, follower);
  }

  /**
   * The passphrase continues the chat's run at its HARD STOP. Before the Coder, only the spec set
   * this chat showed is approved: if the chat has not shown the set waiting now, it shows it and
   * asks again, and the engine refuses a set edited since it was shown.
   */
  private async confirm(runs: ChatRuns, previous: ChatRunMetadata | undefined, view: RunView | undefined, out: ChatOut, token: vscode.CancellationToken): Promise<ChatAnswer> {
    if (!previous || !view?.hardStop) {
      emit(out, nothingToConfirmParts(view));
      return view ? answerFor(view) : {};
    }
    const shown = view.hardStop.specDigest;
    if (shown !== undefined && shown !== previous.specDigest) {
      out.markdown(`This chat has not shown the Code Spec that waits now. Read it, then reply "${MODEL_CONFIRMED}" again.\n`);
      emit(out, stopParts(view));
      return answerFor(view);
    }
    const follower = new RunFollower(runs, out, token);
    try {
      // A mode of several Coders checks each of them before anything fans out.
      out.progress(view.phase !== 'hard-stop-to-coder' ? 'Checking that the Architect model answers…' : view.mode ? `Checking that the ${view.mode.label} run's Coders answer…` : 'Checking that the Coder model answers…');
      await runs.confirmModel(view.runId, previous.specDigest);
    } catch (error) {
      follower.dispose();
      out.markdown(`Not confirmed: ${messageOf(error)}\n`);
      const now = (await runs.snapshot(view.runId))?.view ?? view;
      emit(out, stopParts(now));
      return answerFor(now);
    }
    out.markdown(`${MODEL_CONFIRMED}. ${view.hardStop.next}.\n`);
    return this.follow(runs, view.runId, follower);
  }

  private async follow(runs: ChatRuns, runId: string, follower: RunFollower): Promise<ChatAnswer> {
    const stopped = await follower.follow(runId);
    if (stopped) return answerFor(stopped);
    // The user stopped the answer: the run goes on in the panel, and this chat still names it.
    const now = (await runs.snapshot(runId))?.view;
    return now ? answerFor(now) : { metadata: { runId } };
  }
}

function answerFor(view: RunView): ChatAnswer {
  return { metadata: { ...metadataOf(view), ...(view.hardStop ? { hardStopWaiting: true } : {}) } };
}

