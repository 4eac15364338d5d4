// The Coder's writes as WorkspaceEdits: they show up in the editor's undo history (Undo / the
// "Undo file operation" command) like any other refactoring, and open editors stay in sync.
// Reads and symlink checks use the file system, as the extension host sees the same disk.
import * as vscode from 'vscode';
import type { FileChange, FileChangeResult } from '../core/ports.js';
import { NodeWorkspaceFiles } from '../node/nodeWorkspaceFiles.js';
import { messageOf } from './errorMessage.js';

const metadata: vscode.WorkspaceEditEntryMetadata = { label: 'Dual-Model Coder', needsConfirmation: false };

/** A change that goes into the turn's shared WorkspaceEdit, or into one of its own if that is refused. */
interface BatchedChange {
  change: FileChange;
  verb: 'create' | 'change' | 'delete';
  addTo: (edit: vscode.WorkspaceEdit) => void;
  /** A replacement opens the document; it must be saved for the disk to have it. */
  saveAfter?: boolean;
}

export class WorkspaceEditFiles extends NodeWorkspaceFiles {
  private uri(relativePath: string): vscode.Uri {
    return vscode.Uri.file(this.absolute(relativePath));
  }

  /**
   * Creates, deletes and replacements of files no editor has open go into one WorkspaceEdit: one
   * round trip to the workbench (in code-server 30–130 ms each) and one undo step. A file open in
   * an editor is replaced on its own, through its document (see `replaceOpen`). Each change gets
   * its own result: one VS Code refuses does not take the others down with it.
   */
  override async writeAll(changes: readonly FileChange[]): Promise<FileChangeResult[]> {
    // Defence in depth: the engine already stops the Coder in Restricted Mode.
    if (!vscode.workspace.isTrusted) throw new Error('This workspace is not trusted (Restricted Mode): no file is changed until you trust it.');
    const refusals = new Map<FileChange, string>();
    // Checked again right before the edit: no write through a link that leads out, whoever called.
    const allowed: FileChange[] = [];
    for (const change of changes) {
      await this.landing(change.path).then(
        () => allowed.push(change),
        (error: unknown) => refusals.set(change, messageOf(error)),
      );
    }
    const openDocuments = new Map(vscode.workspace.textDocuments.map((document) => [document.uri.toString(), document]));
    // Never overwrite or delete what a person is typing: their unsaved edits would be lost. This
    // is checked for the whole group first, so a refusal leaves every file of it untouched.
    const dirty = allowed.filter((change) => openDocuments.get(this.uri(change.path).toString())?.isDirty);
    if (dirty.length > 0) {
      throw new Error(`${dirty.map((change) => change.path).join(', ')} ${dirty.length === 1 ? 'has' : 'have'} unsaved changes in an editor; save or revert them, then let the Coder continue.`);
    }
    // Not edit.size: it counts only the files with text edits, not creates and deletes.
    const batched: BatchedChange[] = [];
    const open: { change: FileChange; text: string; document: vscode.TextDocument; existing: string }[] = [];
    for (const change of allowed) {
      const uri = this.uri(change.path);
      if (change.text === undefined) {
        batched.push({ change, verb: 'delete', addTo: (edit) => edit.deleteFile(uri, { ignoreIfNotExists: true }, metadata) });
        continue;
      }
      const text = change.text;
      const existing = await this.read(change.path);
      const document = openDocuments.get(uri.toString());
      if (existing === undefined) {
        const contents = new TextEncoder().encode(text);
        batched.push({ change, verb: 'create', addTo: (edit) => edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents }, metadata) });
      } else if (document) {
        open.push({ change, text, document, existing });
      } else {
        // Not open anywhere, so no unsaved edits to protect and no stale editor: the edit goes
        // first, and the document it opened is saved below. Opening the file first would cost
        // one more round trip.
        const range = new vscode.Range(new vscode.Position(0, 0), endOf(existing));
        batched.push({ change, verb: 'change', saveAfter: true, addTo: (edit) => edit.replace(uri, range, text, metadata) });
      }
    }
    const landed = await this.applyBatch(batched, refusals);
    // The verification reads the disk, so the edits must be saved, not left dirty in an editor.
    // workspace.save(uri) is no shortcut: it saves only files shown in an editor (measured: it
    // returns undefined). The saves are independent, so they travel together.
    await Promise.all(
      landed
        .filter((item) => item.saveAfter)
        .map(async ({ change }) => {
          const refusal = await this.saveEdited(change);
          if (refusal !== undefined) refusals.set(change, refusal);
        }),
    );
    for (const { change, text, document, existing } of open) {
      await this.replaceOpen(change.path, document, existing, text).catch((error: unknown) => refusals.set(change, messageOf(error)));
    }
    return changes.map((change) => {
      const reason = refusals.get(change);
      return reason === undefined ? { path: change.path, ok: true } : { path: change.path, ok: false, reason };
    });
  }

  /**
   * Saves the document an edit of a closed file opened; undefined when the disk holds the change.
   * VS Code's save says only false when it refuses. That was seen once, under heavy load, for a
   * file created by the previous writeAll (a division's wave 2 writing what wave 1 created), and
   * not again in 15 runs since: so one more try, and then a reason that says where the change is.
   */
  private async saveEdited(change: FileChange): Promise<string | undefined> {
    const document = await vscode.workspace.openTextDocument(this.uri(change.path));
    if ((await document.save()) || (await document.save())) return undefined;
    const onDisk = await this.read(change.path);
    if (onDisk === change.text) return undefined;
    const editor = document.getText() === change.text ? (document.isDirty ? 'its unsaved document holds the change' : 'its document holds the change') : 'its document does not hold the change';
    return `could not save ${change.path}: VS Code refused the save twice; ${editor}, and the disk ${onDisk === undefined ? 'has no such file' : 'still holds the text before it'}. Save or revert it in the editor, then retry.`;
  }

  /**
   * One WorkspaceEdit for the batch. VS Code refuses the whole edit when it refuses one change of
   * it (a file whose parent is a file, say), so then each is applied on its own: the legitimate
   * ones land, each refusal is told apart.
   */
  private async applyBatch(batched: readonly BatchedChange[], refusals: Map<FileChange, string>): Promise<BatchedChange[]> {
    if (batched.length === 0) return [];
    const edit = new vscode.WorkspaceEdit();
    for (const item of batched) item.addTo(edit);
    if (await vscode.workspace.applyEdit(edit)) return [...batched];
    const landed: BatchedChange[] = [];
    for (const item of batched) {
      // The refused edit may have carried out the operations before the one it refused.
      if (await this.alreadyLanded(item.change)) {
        landed.push(item);
        continue;
      }
      const single = new vscode.WorkspaceEdit();
      item.addTo(single);
      if (await vscode.workspace.applyEdit(single)) landed.push(item);
      else refusals.set(item.change, `VS Code refused to ${item.verb} ${item.change.path}`);
    }
    return landed;
  }

  /** True when the file already holds what the change asks for: in its open document, else on disk. */
  private async alreadyLanded(change: FileChange): Promise<boolean> {
    const uri = this.uri(change.path).toString();
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri);
    if (document && change.text !== undefined) return document.getText() === change.text;
    return (await this.read(change.path)) === change.text;
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
