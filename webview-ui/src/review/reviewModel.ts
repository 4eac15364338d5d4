// What the side-panel review shows for a run: pure (no DOM), so every choice of the review pane
// is tested on plain Node; reviewPane.ts only turns it into elements. It reads the same RunView
// the run panel does, so the two never disagree.
import type { ReportView, RunView } from '../../../src/core/workflow/runViewSchema';
import { formatPhaseLabel } from '../phases';
import { confirmLabels, outcomeLabels, toRunPanelModel, type ReviewModel } from '../viewModel';

export interface ReviewFileRow {
  path: string;
  /** "Modified · +12 −3" */
  change: string;
  action: ReportView['files'][number]['action'];
  /** A deleted file has no "now" to open; its diff still shows what it was. */
  canOpen: boolean;
}

export interface ReviewPaneModel {
  runId: string;
  request: string;
  phaseLabel: string;
  /** What the run is doing or waits for, in one line. */
  status: string;
  busy: boolean;
  /** The HARD STOP back to the Architect: the review starts once the user confirms it. */
  confirm: { label: string; confirming: boolean; next: string } | undefined;
  report: ReportPaneModel | undefined;
  /** When there is no report yet, what the user sees instead. */
  noReport: string | undefined;
  review: ReviewModel | undefined;
  calls: { phase: string; model: string; route: string; cost: string }[];
  error: string | undefined;
}

export interface ReportPaneModel {
  heading: string;
  path: string;
  unreadable: string | undefined;
  summary: string;
  files: ReviewFileRow[];
  /** "12 files changed · +340 −25" */
  filesLabel: string;
  tests: string | undefined;
  build: string | undefined;
  checks: ReportView['checks'];
  testOutput: string;
  blockers: ReportView['blockers'];
  deviations: string[];
  revert: 'offer' | 'reverted' | 'none';
}

export function toReviewPaneModel(run: RunView): ReviewPaneModel {
  const panel = toRunPanelModel(run);
  const hardStop = run.hardStop !== undefined && run.phase === 'hard-stop-to-architect' ? run.hardStop : undefined;
  const report = run.report === undefined ? undefined : toReportPane(run.report);
  return {
    runId: run.runId,
    request: run.request,
    phaseLabel: formatPhaseLabel(run.phaseLabel, run.phaseNumber),
    status: run.activity.message.trim() !== '' ? run.activity.message : statusOf(run),
    busy: run.activity.busy,
    confirm: hardStop === undefined ? undefined : { label: hardStop.confirming ? confirmLabels.confirming : `${confirmLabels.idle} → Architect reviews`, confirming: hardStop.confirming, next: hardStop.next },
    report,
    noReport: report === undefined ? 'No Code Report yet: it appears here when the Coder finishes its pass.' : undefined,
    review: panel.review,
    calls: (run.usage?.calls ?? []).map((call) => ({ phase: call.phase, model: call.model, route: call.route ?? 'not recorded', cost: call.cost })),
    error: panel.error,
  };
}

function statusOf(run: RunView): string {
  if (run.awaitingDecision) return 'The Architect has reviewed the report: your decision.';
  if (run.phase === 'hard-stop-to-architect') return '🛑 HARD STOP: the Code Report waits for you to hand it to the Architect.';
  if (run.phase === 'approved') return outcomeLabels.approved;
  return '';
}

function toReportPane(report: ReportView): ReportPaneModel {
  const added = report.files.reduce((sum, file) => sum + file.added, 0);
  const removed = report.files.reduce((sum, file) => sum + file.removed, 0);
  return {
    heading: `Code Report v${report.version}`,
    path: report.path,
    unreadable: report.unreadable,
    summary: report.summary,
    files: report.files.map((file) => ({
      path: file.path,
      action: file.action,
      change: `${file.action} · +${file.added} −${file.removed}`,
      canOpen: file.action !== 'Deleted' && !report.reverted,
    })),
    filesLabel: `${report.files.length} ${report.files.length === 1 ? 'file' : 'files'} changed · +${added} −${removed}`,
    tests: report.testResult === undefined ? undefined : `${report.testResult.status}${report.testResult.details ? ` — ${report.testResult.details}` : ''}`,
    build: report.buildResult === undefined ? undefined : `${report.buildResult.status}${report.buildResult.details ? ` — ${report.buildResult.details}` : ''}`,
    checks: report.checks,
    testOutput: report.testOutput,
    blockers: report.blockers,
    deviations: report.deviations,
    revert: report.reverted ? 'reverted' : report.revertable && report.files.length > 0 ? 'offer' : 'none',
  };
}
