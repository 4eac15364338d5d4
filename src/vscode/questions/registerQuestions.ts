// Wires the TODO(architect) features into VS Code: the CodeLens, the Open Questions view and its
// Problems entries, and the commands behind them (each also in the palette, at the cursor).
import * as vscode from 'vscode';
import type { QuestionMarker } from '../../core/questions/markers.js';
import { findMarkers } from '../../core/questions/markers.js';
import { forgetAnsweredQuestion } from '../../core/questions/answeredQuestions.js';
import { messageOf } from '../errorMessage.js';
import type { ModelClientFactory } from '../modelClients.js';
import { AnswerPreviews, applyAnswer } from './applyAnswer.js';
import type { OpenRunSource } from './askArchitect.js';
import { askArchitect } from './askArchitect.js';
import { OpenQuestions } from './openQuestions.js';
import type { QuestionNode } from './openQuestionsTree.js';
import { OpenQuestionsTree } from './openQuestionsTree.js';
import { QuestionAnswers } from './questionAnswers.js';
import { QuestionLensProvider } from './questionLenses.js';

export interface QuestionsDependencies {
  models: ModelClientFactory;
  output: vscode.LogOutputChannel;
  /** The run controller once it exists: only its shown run id and its store are read. */
  openRun: () => OpenRunSource | undefined;
  /** Where answers not yet applied or dismissed outlive a reload (the workspace's storage). */
  storage: vscode.Memento;
}

export function registerQuestions(deps: QuestionsDependencies): vscode.Disposable[] {
  const answers = new QuestionAnswers(deps.storage);
  const previews = new AnswerPreviews();
  const disposables: vscode.Disposable[] = [answers, previews];
  const folder = vscode.workspace.workspaceFolders?.[0];
  const questions = folder ? new OpenQuestions(folder, deps.output) : undefined;
  if (questions) {
    disposables.push(questions);
    // After activation returns: the scan reads the disk, activation must not wait for it.
    setTimeout(() => void questions.rescan(), 0);
    const tree = new OpenQuestionsTree(questions);
    const view = vscode.window.createTreeView('dualModel.questions', { treeDataProvider: tree, showCollapseAll: true });
    const count = (): void => {
      const total = questions.index.questionCount;
      view.description = total ? `${total} open` : undefined;
    };
    disposables.push(tree, view, questions.onDidChange(count));
  }

  const lenses = new QuestionLensProvider(answers);
  disposables.push(vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }], lenses));

  const guarded =
    <R>(action: (...args: unknown[]) => Promise<R>) =>
    async (...args: unknown[]): Promise<R | undefined> => {
      try {
        return await action(...args);
      } catch (error) {
        const message = messageOf(error);
        deps.output.error(message);
        void vscode.window.showErrorMessage(`Dual-Model: ${message}`);
        return undefined;
      }
    };

  /** The marker a command is about: from a CodeLens (uri, line), a tree item, or the cursor. */
  const target = async (args: unknown[]): Promise<{ document: vscode.TextDocument; marker: QuestionMarker }> => {
    const [first, second] = args;
    let uri: vscode.Uri | undefined;
    let line: number | undefined;
    if (first instanceof vscode.Uri && typeof second === 'number') [uri, line] = [first, second];
    else if (isQuestionNode(first) && questions) [uri, line] = [questions.uriOf(first.file), first.marker.line];
    else {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw new Error('Put the cursor on a TODO(architect) marker in an editor first.');
      [uri, line] = [editor.document.uri, editor.selection.active.line];
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const at = line;
    const marker = findMarkers(document.getText()).find((found) => found.line <= at && at <= found.range.end.line);
    if (!marker) throw new Error(`There is no TODO(architect) marker at ${vscode.workspace.asRelativePath(uri, false)}:${at + 1} (any more).`);
    return { document, marker };
  };

  const apply = (withCode: boolean) =>
    guarded(async (...args) => {
      const { document, marker } = await target(args);
      const entry = answers.get(document.uri, marker);
      if (!entry) throw new Error('Ask the Architect about this marker first.');
      const applied = await applyAnswer(document, marker, entry, withCode, previews);
      // The marker is gone once the edit landed; a declined preview keeps the answer.
      if (applied) answers.drop(document.uri, marker);
      return applied;
    });

  disposables.push(
    vscode.commands.registerCommand(
      'dualModel.askArchitect',
      guarded(async (...args) => {
        const { document, marker } = await target(args);
        const entry = await askArchitect({ ...deps, answers }, document, marker);
        return entry ? { status: entry.status, answer: entry.answer, ...(entry.error ? { error: entry.error } : {}) } : undefined;
      }),
    ),
    vscode.commands.registerCommand(
      'dualModel.cancelQuestion',
      guarded(async (...args) => {
        const { document, marker } = await target(args);
        answers.get(document.uri, marker)?.cancel?.cancel();
      }),
    ),
    vscode.commands.registerCommand('dualModel.applyAnswer', apply(false)),
    vscode.commands.registerCommand('dualModel.applyAnswerWithCode', apply(true)),
    vscode.commands.registerCommand(
      'dualModel.dismissAnswer',
      guarded(async (...args) => {
        const { document, marker } = await target(args);
        const dropped = answers.drop(document.uri, marker);
        const run = deps.openRun();
        if (dropped?.runId && run) {
          // A dismissed answer must not steer the next spec.
          const file = vscode.workspace.asRelativePath(document.uri, false);
          await forgetAnsweredQuestion(run.runStore, dropped.runId, `${file}#${marker.question}`);
        }
        return dropped !== undefined;
      }),
    ),
    vscode.commands.registerCommand('dualModel.rescanQuestions', guarded(async () => questions?.rescan())),
    // Programmatic (hidden from the palette): what the tree lists and what a thread shows, for tests.
    vscode.commands.registerCommand('dualModel.listOpenQuestions', async () => {
      await questions?.ready;
      return (questions?.index.files() ?? []).flatMap((file) => questions?.index.markers(file).map((marker) => ({ file, line: marker.line + 1, question: marker.question })) ?? []);
    }),
    vscode.commands.registerCommand(
      'dualModel.questionAnswer',
      guarded(async (...args) => {
        const { document, marker } = await target(args);
        const entry = answers.get(document.uri, marker);
        return entry ? { status: entry.status, answer: entry.answer, thread: answers.threadText(entry), ...(entry.error ? { error: entry.error } : {}) } : undefined;
      }),
    ),
  );
  return disposables;
}

function isQuestionNode(value: unknown): value is Extract<QuestionNode, { kind: 'question' }> {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'question' && 'file' in value && 'marker' in value;
}
