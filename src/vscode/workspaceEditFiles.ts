// The Coder's writes as WorkspaceEdits: they show up in the editor's undo history (Undo / the
// "Undo file operation" command) like any other refactoring, and open editors stay in sync.
// Reads and symlink checks use the file system, as the extension host sees the same disk.
import * as vscode from 'vscode';
import type { FileChange } from '../core/ports.js';
import { NodeWorkspaceFiles } from '../node/nodeWorkspaceFiles.js';

const metadata: vscode.WorkspaceEditEntryMetadata = { label: 'Dual-Model Coder', needsConfirmation: false };

export class WorkspaceEditFiles extends NodeWorkspaceFiles {
  private uri(relativePath: string): vscode.Uri {
    return vscode.Uri.file(this.absolute(relativePath));
  }

  /**
   * Creates, deletes and replacements of files no editor has open go into one WorkspaceEdit: one
   * round trip to the workbench (in code-server 30–130 ms each) and one undo step. A file open in
   * an editor is replaced on its own, through its document (see `replaceOpen`).
   */
  override async writeAll(changes: readonly FileChange[]): Promise<void> {
    // Defence in depth: the engine already stops the Coder in Restricted Mode.
    if (!vscode.workspace.isTrusted) throw new Error('This workspace is not trusted (Restricted Mode): no file is changed until you trust it.');
    const openDocuments = new Map(vscode.workspace.textDocuments.map((document) => [document.uri.toString(), document]));
    // Never overwrite or delete what a person is typing: their unsaved edits would be lost. This
    // is checked for the whole group first, so a refusal leaves every file of it untouched.
    const dirty = changes.filter((change) => openDocuments.get(this.uri(change.path).toString())?.isDirty);
    if (dirty.length > 0) {
      throw new Error(`${dirty.map((change) => change.path).join(', ')} ${dirty.length === 1 ? 'has' : 'have'} unsaved changes in an editor; save or revert them, then let the Coder continue.`);
    }
    const edit = new vscode.WorkspaceEdit();
    // Not edit.size: it counts only the files with text edits, not creates and deletes.
    const batched: FileChange[] = [];
    const replaced: FileChange[] = [];
    const open: { path: string; text: string; document: vscode.TextDocument; existing: string }[] = [];
    for (const change of changes) {
      const uri = this.uri(change.path);
      if (change.text === undefined) {
        edit.deleteFile(uri, { ignoreIfNotExists: true }, metadata);
        batched.push(change);
        continue;
      }
      const existing = await this.read(change.path);
      const document = openDocuments.get(uri.toString());
      if (existing === undefined) {
        edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(change.text) }, metadata);
        batched.push(change);
      } else if (document) {
        open.push({ path: change.path, text: change.text, document, existing });
      } else {
        // Not open anywhere, so no unsaved edits to protect and no stale editor: the edit goes
        // first, and the document it opened is saved below. Opening the file first would cost
        // one more round trip.
        edit.replace(uri, new vscode.Range(new vscode.Position(0, 0), endOf(existing)), change.text, metadata);
        batched.push(change);
        replaced.push(change);
      }
    }
    if (batched.length > 0 && !(await vscode.workspace.applyEdit(edit))) {
      throw new Error(`VS Code refused to change ${batched.map((change) => change.path).join(', ')}.`);
    }
    // The verification reads the disk, so the edits must be saved, not left dirty in an editor.
    // workspace.save(uri) is no shortcut: it saves only files shown in an editor (measured: it
    // returns undefined). The saves are independent, so they travel together.
    await Promise.all(
      replaced.map(async (change) => {
        if (!(await (await vscode.workspace.openTextDocument(this.uri(change.path))).save())) throw new Error(`Could not save ${change.path}.`);
      }),
    );
    for (const { path, text, document, existing } of open) await this.replaceOpen(path, document, existing, text);
  }

  /** A file open in an editor: replaced through its document, once the editor shows the disk. */
  private async replaceOpen(relativePath: string, document: vscode.TextDocument, existing: string, text: string): Promise<void> {
    // Checked again: the person may have typed while the group's other changes were applied.
    if (document.isDirty) {
      throw new Error(`${relativePath} has unsaved changes in an editor; save or revert them, then let the Coder continue.`);
    }
    if (document.getText() !== existing && !(await this.waitForReload(document, existing))) {
      // The open editor still shows an older version of the file (changed on disk by another
      // tool); saving over it would fail with "file modified since". Write the disk directly.
      await vscode.workspace.fs.writeFile(document.uri, new TextEncoder().encode(text));
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text, metadata);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to edit ${relativePath}.`);
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
}

/** Where a text ends, as an editor counts lines (a CRLF file's last line has no '\r' of its own). */
function endOf(text: string): vscode.Position {
  const lines = text.split('\n');
  return new vscode.Position(lines.length - 1, (lines.at(-1) ?? '').length);
}
