// The Open Questions view: every TODO(architect) in the workspace, grouped by file; a click opens
// the marker's line. Labels carry the file, line and question for screen readers.
import * as vscode from 'vscode';
import type { QuestionMarker } from '../../core/questions/markers.js';
import type { OpenQuestions } from './openQuestions.js';

export type QuestionNode = { kind: 'file'; file: string } | { kind: 'question'; file: string; marker: QuestionMarker };

export class OpenQuestionsTree implements vscode.TreeDataProvider<QuestionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly questions: OpenQuestions) {
    this.subscription = questions.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: QuestionNode): QuestionNode[] {
    const index = this.questions.index;
    if (!element) return index.files().map((file): QuestionNode => ({ kind: 'file', file }));
    if (element.kind === 'question') return [];
    return index.markers(element.file).map((marker): QuestionNode => ({ kind: 'question', file: element.file, marker }));
  }

  getTreeItem(element: QuestionNode): vscode.TreeItem {
    const uri = this.questions.uriOf(element.file);
    if (element.kind === 'file') {
      const count = this.questions.index.markers(element.file).length;
      const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `file:${element.file}`;
      item.description = `${element.file.includes('/') ? element.file.slice(0, element.file.lastIndexOf('/')) : ''} · ${count} question${count === 1 ? '' : 's'}`;
      item.accessibilityInformation = { label: `${element.file}, ${count} open question${count === 1 ? '' : 's'}` };
      item.contextValue = 'dualModel.questionFile';
      return item;
    }
    const { marker } = element;
    const words = marker.question || '(no question in words)';
    const item = new vscode.TreeItem(words, vscode.TreeItemCollapsibleState.None);
    item.id = `question:${element.file}:${marker.line}:${marker.column}`;
    item.description = `line ${marker.line + 1}`;
    item.tooltip = `${element.file}:${marker.line + 1}\nTODO(architect): ${words}`;
    item.iconPath = new vscode.ThemeIcon('question');
    item.accessibilityInformation = { label: `${element.file} line ${marker.line + 1}: ${words}` };
    item.contextValue = 'dualModel.question';
    const selection = new vscode.Range(marker.line, marker.column, marker.line, marker.column);
    item.command = { command: 'vscode.open', title: 'Open the question', arguments: [uri, { selection } satisfies vscode.TextDocumentShowOptions] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
