// The Runs view: every run of the workspace, newest first, with its phase at a glance; a click
// shows it in the run panel. Runs whose run.json cannot be read stay listed with the reason.
import * as vscode from 'vscode';
import type { RunRecord } from '../core/workflow/runRecord.js';

export interface RunsSource {
  listRuns(): RunRecord[];
  unreadableRuns(): { runId: string; error: string }[];
  isBusy(runId: string): boolean;
  /** Why a run found on disk waits for the user to resume it, if it does. */
  dormantReason(runId: string): string | undefined;
}

type RunItem = { kind: 'run'; record: RunRecord } | { kind: 'unreadable'; runId: string; error: string };

const phaseText: Record<RunRecord['state']['phase'], string> = {
  'architect-spec': 'Phase 1 · Architect writing the spec',
  'hard-stop-to-coder': 'HARD STOP · confirm the Coder',
  'coder-implement': 'Phase 3 · Coder implementing',
  'hard-stop-to-architect': 'HARD STOP · confirm the Architect',
  'architect-review': 'Phase 5 · review',
  approved: 'Approved',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function icon(record: RunRecord, busy: boolean): vscode.ThemeIcon {
  const phase = record.state.phase;
  if (busy) return new vscode.ThemeIcon('sync~spin');
  switch (phase) {
    case 'hard-stop-to-coder':
    case 'hard-stop-to-architect':
      return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('list.warningForeground'));
    case 'approved':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash');
    case 'architect-review':
      return new vscode.ThemeIcon('checklist');
    default:
      return new vscode.ThemeIcon('circle-outline');
  }
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  /** `source` is undefined until the runs are loaded (the view then shows its welcome text). */
  constructor(private readonly source: () => RunsSource | undefined) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: RunItem): RunItem[] {
    const source = this.source();
    if (element || !source) return [];
    return [
      ...source.listRuns().map((record): RunItem => ({ kind: 'run', record })),
      ...source.unreadableRuns().map((broken): RunItem => ({ kind: 'unreadable', ...broken })),
    ];
  }

  getTreeItem(element: RunItem): vscode.TreeItem {
    if (element.kind === 'unreadable') {
      const item = new vscode.TreeItem(element.runId);
      item.description = 'cannot be opened';
      item.tooltip = element.error;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      return item;
    }
    const record = element.record;
    const item = new vscode.TreeItem(record.request.length > 60 ? `${record.request.slice(0, 57)}…` : record.request);
    item.id = record.runId;
    const dormant = this.source()?.dormantReason(record.runId);
    item.description = dormant ? `${phaseText[record.state.phase]} · waits for you to resume it` : phaseText[record.state.phase];
    item.tooltip = new vscode.MarkdownString(
      `**${record.request.replace(/[\\`*_[\]<>]/g, '\\$&')}**\n\n${phaseText[record.state.phase]} · ${record.runId}\n\nArchitect: ${record.roles.architect.displayName}  \nCoder: ${record.roles.coder.displayName}`,
    );
    item.iconPath = icon(record, this.source()?.isBusy(record.runId) ?? false);
    item.contextValue = `dualModel.run.${record.state.phase}${dormant ? '.dormant' : ''}`;
    item.command = { command: 'dualModel.openRun', title: 'Show Run', arguments: [record.runId] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
