// "Ask Architect": one TODO(architect) question, the code around it, the file and the open run's
// spec go to the Architect (the role /dual-model would use); the answer streams into the marker's
// comment thread. Cancellable; a failure keeps what arrived and says what went wrong.
import * as vscode from 'vscode';
import type { ModelRequest } from '../../core/models/modelClient.js';
import { isModelError } from '../../core/models/modelErrors.js';
import type { QuestionContext } from '../../core/prompts/questionPrompts.js';
import { architectQuestionMessage, architectQuestionSystemPrompt, QUESTION_CODE_LIMIT } from '../../core/prompts/questionPrompts.js';
import type { QuestionMarker } from '../../core/questions/markers.js';
import { recordAnsweredQuestion } from '../../core/questions/answeredQuestions.js';
import type { RunStore } from '../../core/workflow/runStore.js';
import { messageOf } from '../errorMessage.js';
import type { ModelClientFactory } from '../modelClients.js';
import { resolveRoles } from '../runRequest.js';
import { engineSettings } from '../settings.js';
import type { AnswerEntry, QuestionAnswers } from './questionAnswers.js';

/** The open run, read only: which one is shown, and where its artifacts are. */
export interface OpenRunSource {
  readonly currentRunId: string | undefined;
  readonly runStore: RunStore;
}

/** Lines of code sent on each side of the marker. */
const CONTEXT_LINES = 30;

export interface AskDependencies {
  models: ModelClientFactory;
  output: vscode.LogOutputChannel;
  answers: QuestionAnswers;
  openRun: () => OpenRunSource | undefined;
}

/** Asks and waits for the whole answer; the entry says how it ended. undefined when no Architect could be resolved. */
export async function askArchitect(deps: AskDependencies, document: vscode.TextDocument, marker: QuestionMarker): Promise<AnswerEntry | undefined> {
  const resolved = await resolveRoles(deps.models, deps.output);
  if (!resolved) return undefined;
  const architect = resolved.roles.architect;
  const run = deps.openRun();
  const runId = run?.currentRunId;
  const specMarkdown = runId ? await run.runStore.readArtifact(runId, 'code_spec.md').catch(() => undefined) : undefined;
  const file = vscode.workspace.asRelativePath(document.uri, false);
  const context: QuestionContext = {
    file,
    line: marker.line + 1,
    question: marker.question,
    code: surroundingCode(document, marker),
    ...(runId && specMarkdown ? { spec: { runId, markdown: specMarkdown } } : {}),
  };
  const entry = deps.answers.begin(document.uri, marker, architect.displayName, runId && specMarkdown ? runId : undefined);
  const token = entry.cancel?.token;
  const abort = new AbortController();
  const cancelled = token?.onCancellationRequested(() => abort.abort());
  const request: ModelRequest = {
    purpose: 'question',
    system: architectQuestionSystemPrompt(architect.displayName),
    messages: [{ role: 'user', content: [{ type: 'text', text: architectQuestionMessage(context) }] }],
    thinking: architect.thinking,
    maxOutputTokens: engineSettings().maxOutputTokens,
  };
  let answer = '';
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Dual-Model: asking the Architect about ${file}:${marker.line + 1}…`, cancellable: true },
      async (_progress, progressToken) => {
        const onCancel = progressToken.onCancellationRequested(() => entry.cancel?.cancel());
        try {
          // Spending caps kept as on a run's calls: each question is its own run for the per-run
          // cap (as each kv.* call is), and the day cap counts them all.
          const client = deps.models.withSpendCaps(`question-${Date.now().toString(36)}`, deps.models.clientFor(architect));
          let done = false;
          for await (const event of client.stream(request, abort.signal)) {
            if (event.type === 'text') answer += event.text;
            else if (event.type === 'restart') answer = '';
            else if (event.type === 'done') done = true;
            if (event.type === 'text' || event.type === 'restart') deps.answers.progress(entry, answer);
          }
          if (abort.signal.aborted) throw new Error('You cancelled the question.');
          if (!done) throw new Error('The answer stream ended before the model said it was done; what arrived is kept above.');
          if (!answer.trim()) throw new Error('The Architect answered nothing.');
        } finally {
          onCancel.dispose();
        }
      },
    );
    deps.answers.finish(entry, { answer });
    deps.output.info(`The Architect answered the TODO(architect) at ${file}:${marker.line + 1}.`);
    if (entry.runId && run) await keepForTheRun(deps, run.runStore, entry, file, marker);
  } catch (error) {
    const message = abort.signal.aborted ? 'You cancelled the question.' : describe(error);
    deps.answers.finish(entry, { answer, error: message });
    deps.output.warn(`The TODO(architect) question at ${file}:${marker.line + 1} failed: ${message}`);
  } finally {
    cancelled?.dispose();
  }
  return entry;
}

/** A provider error says what to do (a bad key, a rate limit); anything else as it is. */
function describe(error: unknown): string {
  if (isModelError(error) && error.kind === 'rate-limited') return `${error.message} (rate limited: try again in a moment)`;
  return messageOf(error);
}

/** The lines around the marker (the whole of a block comment included), bounded. */
function surroundingCode(document: vscode.TextDocument, marker: QuestionMarker): QuestionContext['code'] {
  const startLine = Math.max(0, marker.line - CONTEXT_LINES);
  const endLine = Math.min(document.lineCount - 1, marker.range.end.line + CONTEXT_LINES);
  const text = document.getText(new vscode.Range(startLine, 0, endLine, document.lineAt(endLine).text.length));
  return { startLine: startLine + 1, text: text.slice(0, QUESTION_CODE_LIMIT), languageId: document.languageId };
}

async function keepForTheRun(deps: AskDependencies, store: RunStore, entry: AnswerEntry, file: string, marker: QuestionMarker): Promise<void> {
  try {
    await recordAnsweredQuestion(store, entry.runId ?? '', { id: `${file}#${marker.question}`, file, line: marker.line + 1, question: marker.question, answer: entry.answer, answeredAt: new Date().toISOString() });
  } catch (error) {
    const message = `The answer is shown but was not kept for run ${entry.runId ?? ''}: ${messageOf(error)}`;
    deps.output.warn(message);
    void vscode.window.showWarningMessage(`Dual-Model: ${message}`);
  }
}
