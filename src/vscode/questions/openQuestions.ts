// Keeps the workspace's open questions current: an initial scan of the folder, a file watcher for
// changes on disk, and the editors' unsaved text (which wins over the disk while a file is open
// and dirty). Every file whose questions change gets its Problems entries redrawn and the tree
// is told; the decisions about what to scan are the core index's.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QuestionMarker } from '../../core/questions/markers.js';
import type { ScanRules } from '../../core/questions/questionIndex.js';
import { QuestionIndex, scanRules, skippedPath } from '../../core/questions/questionIndex.js';
import { readScannable, scanFolder } from '../../node/questionScan.js';
import { DisposableStore } from '../disposables.js';
import { messageOf } from '../errorMessage.js';
import { artifactsRoot } from '../settings.js';

export const QUESTION_DIAGNOSTIC_SOURCE = 'Dual-Model';

export class OpenQuestions implements vscode.Disposable {
  private current = new QuestionIndex();
  private rules: ScanRules;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('dualModel.questions');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when any file's questions changed (the tree listens). */
  readonly onDidChange = this.changed.event;
  private readonly disposables = new DisposableStore();
  private scanning: AbortController | undefined;
  /** Settles when the latest full scan has finished. */
  ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly folder: vscode.WorkspaceFolder,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.rules = this.currentRules();
    this.disposables.add(this.diagnostics);
    this.disposables.add(this.changed);
    const watcher = this.disposables.add(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*')));
    this.disposables.add(watcher.onDidCreate((uri) => void this.readFromDisk(uri)));
    this.disposables.add(watcher.onDidChange((uri) => void this.readFromDisk(uri)));
    this.disposables.add(watcher.onDidDelete((uri) => this.forget(uri)));
    this.disposables.add(vscode.workspace.onDidChangeTextDocument((event) => this.readEditor(event.document)));
    this.disposables.add(vscode.workspace.onDidOpenTextDocument((document) => this.readEditor(document)));
    // Closing an editor drops its unsaved text: the disk is the truth again.
    this.disposables.add(vscode.workspace.onDidCloseTextDocument((document) => void this.readFromDisk(document.uri)));
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('dualModel.artifactsRoot', folder)) this.rescan();
      }),
    );
  }

  /** (Re)reads the whole folder; the open editors' unsaved text goes over what the disk says. */
  rescan(): Promise<void> {
    this.scanning?.abort();
    const scanning = new AbortController();
    this.scanning = scanning;
    this.rules = this.currentRules();
    const fresh = new QuestionIndex();
    const started = Date.now();
    this.ready = scanFolder(this.folder.uri.fsPath, fresh, this.rules, scanning.signal).then(
      (summary) => {
        if (scanning.signal.aborted) return;
        this.replaceWith(fresh);
        for (const document of vscode.workspace.textDocuments) if (document.isDirty) this.readEditor(document);
        this.output.info(`Open questions: ${this.index.questionCount} in ${this.index.files().length} file(s); read ${summary.filesRead} file(s), skipped ${summary.filesSkipped}, in ${Date.now() - started} ms.`);
      },
      (error: unknown) => this.output.warn(`The open-questions scan failed: ${messageOf(error)}`),
    );
    return this.ready;
  }

  get index(): QuestionIndex {
    return this.current;
  }

  /** The questions of a workspace file, by its URI. */
  markersOf(uri: vscode.Uri): readonly QuestionMarker[] {
    const relative = this.relative(uri);
    return relative === undefined ? [] : this.index.markers(relative);
  }

  uriOf(relative: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder.uri, ...relative.split('/'));
  }

  dispose(): void {
    this.scanning?.abort();
    this.disposables.dispose();
  }

  /** The scan's result becomes the index, and Problems are redrawn from it in one go. */
  private replaceWith(fresh: QuestionIndex): void {
    this.current = fresh;
    this.diagnostics.clear();
    for (const file of fresh.files()) this.setDiagnostics(file);
    this.changed.fire();
  }

  private readEditor(document: vscode.TextDocument): void {
    const relative = this.relative(document.uri);
    if (relative === undefined || document.getText().length > this.rules.maxFileBytes) return;
    this.apply(relative, document.getText());
  }

  private async readFromDisk(uri: vscode.Uri): Promise<void> {
    const relative = this.relative(uri);
    if (relative === undefined) return;
    // While a file is open with unsaved changes, its editor text is what the user sees.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open?.isDirty && !open.isClosed) return this.readEditor(open);
    const text = await readScannable(uri.fsPath, this.rules);
    if (text === undefined) {
      if (this.index.remove(relative)) this.afterChange(relative);
      return;
    }
    this.apply(relative, text);
  }

  private forget(uri: vscode.Uri): void {
    const relative = this.relative(uri);
    if (relative === undefined) return;
    const files = this.index.files().filter((file) => file === relative || file.startsWith(`${relative}/`));
    if (!this.index.remove(relative)) return;
    for (const file of files) this.diagnostics.delete(this.uriOf(file));
    this.changed.fire();
  }

  private apply(relative: string, text: string): void {
    if (this.index.update(relative, text)) this.afterChange(relative);
  }

  private afterChange(relative: string): void {
    this.setDiagnostics(relative);
    this.changed.fire();
  }

  private setDiagnostics(relative: string): void {
    const markers = this.index.markers(relative);
    if (!markers.length) {
      this.diagnostics.delete(this.uriOf(relative));
      return;
    }
    this.diagnostics.set(this.uriOf(relative), markers.map(toDiagnostic));
  }

  /** The workspace-relative path of a file the scan covers, or undefined. */
  private relative(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    const relative = path.relative(this.folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return skippedPath(this.rules, relative) === undefined ? relative : undefined;
  }

  private currentRules(): ScanRules {
    const root = this.folder.uri.fsPath;
    return scanRules(path.relative(root, artifactsRoot(root)).split(path.sep).join('/'));
  }
}

function toDiagnostic(marker: QuestionMarker): vscode.Diagnostic {
  const range = new vscode.Range(marker.range.start.line, marker.range.start.character, marker.range.end.line, marker.range.end.character);
  const diagnostic = new vscode.Diagnostic(range, `TODO(architect): ${marker.question || '(no question in words)'}`, vscode.DiagnosticSeverity.Information);
  diagnostic.source = QUESTION_DIAGNOSTIC_SOURCE;
  diagnostic.code = 'TODO(architect)';
  return diagnostic;
}
