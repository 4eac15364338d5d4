// "Apply answer": the marker becomes the Architect's decision in the file's comment style (and,
// if asked, the answer's one code block goes below it). The change is shown first as a diff of
// the file against a read-only preview of the result, and lands only when the user presses
// Apply, as ONE WorkspaceEdit (undoable in one step).
//
// Why not a WorkspaceEdit marked needsConfirmation: VS Code's Refactor Preview opens such entries
// UNchecked (code-server's workbench does the same), so the user would have to tick the change
// before Apply does anything. A diff plus one button says plainly what will change.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TextReplacement } from '../../core/questions/answerEdit.js';
import { answerReplacements } from '../../core/questions/answerEdit.js';
import type { QuestionMarker } from '../../core/questions/markers.js';
import type { AnswerEntry } from './questionAnswers.js';

export const untrustedApplyMessage =
  'This workspace is not trusted (Restricted Mode), so no answer is written into its files: the Architect\'s words would change code you have not chosen to trust. Trust the workspace (Workspaces: Manage Workspace Trust), then apply the answer again.';

/** The proposed texts the diff shows on its right, served read-only under their own scheme. */
export class AnswerPreviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 0;
  private readonly registration: vscode.Disposable;

  constructor(readonly scheme = 'dual-model-answer') {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? '';
  }

  show(file: vscode.Uri, text: string): vscode.Uri {
    const id = String((this.next += 1));
    this.texts.set(id, text);
    return vscode.Uri.from({ scheme: this.scheme, path: `/${path.basename(file.fsPath)}`, query: id });
  }

  forget(preview: vscode.Uri): void {
    this.texts.delete(preview.query);
  }

  dispose(): void {
    this.texts.clear();
    this.registration.dispose();
  }
}

/** Asks the user to accept the change the diff shows; true to apply. */
export type ConfirmApply = (fileLabel: string) => Thenable<boolean>;

// Modal: a toast can slide into the notification centre while the user reads the diff, leaving
// the preview open with nothing to press; the dialog stays until answered (Escape cancels).
export const askToApply: ConfirmApply = async (fileLabel) =>
  (await vscode.window.showInformationMessage(`Apply the Architect's answer to ${fileLabel}?`, { modal: true, detail: 'The diff behind this dialog shows the change. Nothing is written until you choose Apply; Undo takes it back.' }, 'Apply')) === 'Apply';

/** true once the user accepted and the edit landed; false when they declined. */
export async function applyAnswer(
  document: vscode.TextDocument,
  marker: QuestionMarker,
  entry: AnswerEntry,
  withCode: boolean,
  previews: AnswerPreviews,
  confirm: ConfirmApply = askToApply,
): Promise<boolean> {
  if (!vscode.workspace.isTrusted) throw new Error(untrustedApplyMessage);
  if (entry.status !== 'answered') throw new Error('The Architect has not answered this question yet.');
  const text = document.getText();
  const version = document.version;
  const replacements = answerReplacements(text, marker, entry.answer, withCode);
  const fileLabel = vscode.workspace.asRelativePath(document.uri, false);
  const preview = previews.show(document.uri, appliedText(text, replacements));
  let accepted: boolean;
  try {
    await vscode.commands.executeCommand('vscode.diff', document.uri, preview, `${path.basename(fileLabel)} ↔ with the Architect's answer (preview)`, { preview: true });
    accepted = await confirm(fileLabel);
  } finally {
    await closeDiff(preview);
    previews.forget(preview);
  }
  if (!accepted) return false;
  if (document.version !== version) throw new Error(`${fileLabel} changed while the preview was open, so nothing was applied: apply the answer again to see the change against the file as it is now.`);
  const edit = new vscode.WorkspaceEdit();
  for (const replacement of replacements) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(replacement.start), document.positionAt(replacement.end)), replacement.text);
  }
  return vscode.workspace.applyEdit(edit);
}

/** The file's text with the replacements made (applied from the end, so offsets hold). */
function appliedText(text: string, replacements: readonly TextReplacement[]): string {
  let result = text;
  for (const replacement of [...replacements].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, replacement.start) + replacement.text + result.slice(replacement.end);
  }
  return result;
}

async function closeDiff(preview: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === preview.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
