// "Apply answer": the marker becomes the Architect's decision in the file's comment style (and,
// if asked, the answer's one code block goes below it), as ONE WorkspaceEdit whose entries need
// confirmation, so VS Code shows its Refactor Preview (a diff per change) and writes nothing
// until the user presses Apply there. That preview is part of the workbench in desktop VS Code
// and in code-server alike, undoable as one step, and needs no virtual documents of our own.
import * as vscode from 'vscode';
import { answerReplacements } from '../../core/questions/answerEdit.js';
import type { QuestionMarker } from '../../core/questions/markers.js';
import type { AnswerEntry } from './questionAnswers.js';

export const untrustedApplyMessage =
  'This workspace is not trusted (Restricted Mode), so no answer is written into its files: the Architect\'s words would change code you have not chosen to trust. Trust the workspace (Workspaces: Manage Workspace Trust), then apply the answer again.';

/** true once the user accepted the preview and the edit landed; false when they discarded it. */
export async function applyAnswer(document: vscode.TextDocument, marker: QuestionMarker, entry: AnswerEntry, withCode: boolean): Promise<boolean> {
  if (!vscode.workspace.isTrusted) throw new Error(untrustedApplyMessage);
  if (entry.status !== 'answered') throw new Error('The Architect has not answered this question yet.');
  const text = document.getText();
  const replacements = answerReplacements(text, marker, entry.answer, withCode);
  const edit = new vscode.WorkspaceEdit();
  const metadata: vscode.WorkspaceEditEntryMetadata = {
    needsConfirmation: true,
    label: withCode ? 'Architect answer (decision and code)' : 'Architect answer (decision)',
    description: marker.question || 'TODO(architect)',
    iconPath: new vscode.ThemeIcon('question'),
  };
  for (const replacement of replacements) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(replacement.start), document.positionAt(replacement.end)), replacement.text, metadata);
  }
  return vscode.workspace.applyEdit(edit);
}
