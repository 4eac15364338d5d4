// The Coder's writes as WorkspaceEdits: they show up in the editor's undo history (Undo / the
// "Undo file operation" command) like any other refactoring, and open editors stay in sync.
// Reads and symlink checks use the file system, as the extension host sees the same disk.
import * as vscode from 'vscode';
import { NodeWorkspaceFiles } from '../node/nodeWorkspaceFiles.js';

const metadata: vscode.WorkspaceEditEntryMetadata = { label: 'Dual-Model Coder', needsConfirmation: false };

export class WorkspaceEditFiles extends NodeWorkspaceFiles {
  private uri(relativePath: string): vscode.Uri {
    return vscode.Uri.file(this.absolute(relativePath));
  }

  override async write(relativePath: string, text: string): Promise<void> {
    const uri = this.uri(relativePath);
    const edit = new vscode.WorkspaceEdit();
    const existing = await this.read(relativePath);
    if (existing === undefined) {
      edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(text) }, metadata);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to create ${relativePath}.`);
      return;
    }
    if (!vscode.workspace.textDocuments.some((open) => open.uri.toString() === uri.toString())) {
      // Not open anywhere, so no unsaved edits to protect and no stale editor: the edit goes
      // first, and the document it opened is saved. Opening the file first would cost one more
      // round trip to the workbench (in code-server, 30–130 ms a file). workspace.save(uri) is
      // no shortcut: it saves only files shown in an editor (measured: it returns undefined).
      edit.replace(uri, new vscode.Range(new vscode.Position(0, 0), endOf(existing)), text, metadata);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to edit ${relativePath}.`);
      if (!(await (await vscode.workspace.openTextDocument(uri)).save())) throw new Error(`Could not save ${relativePath}.`);
      return;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.isDirty) {
      // Never overwrite what a person is typing: their unsaved edits would be lost on save.
      throw new Error(`${relativePath} has unsaved changes in an editor; save or revert them, then let the Coder continue.`);
    }
    if (document.getText() !== existing && !(await this.waitForReload(document, existing))) {
      // The open editor still shows an older version of the file (changed on disk by another
      // tool); saving over it would fail with "file modified since". Write the disk directly.
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      return;
    }
    const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    edit.replace(uri, whole, text, metadata);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to edit ${relativePath}.`);
    // The verification reads the disk, so the edit must be saved, not left dirty in an editor.
    if (!(await document.save())) throw new Error(`Could not save ${relativePath}.`);
  }

  /** VS Code reloads an open, unmodified editor when its file changes on disk; give it a moment. */
  private async waitForReload(document: vscode.TextDocument, diskText: string): Promise<boolean> {
    for (let attempt = 0; attempt < 30; attempt++) {
      if (document.getText() === diskText) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return document.getText() === diskText;
  }

  override async delete(relativePath: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(this.uri(relativePath), { ignoreIfNotExists: true }, metadata);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to delete ${relativePath}.`);
  }
}

/** Where a text ends, as an editor counts lines (a CRLF file's last line has no '\r' of its own). */
function endOf(text: string): vscode.Position {
  const lines = text.split('\n');
  return new vscode.Position(lines.length - 1, (lines.at(-1) ?? '').length);
}
