// The newest Code Report of a run, taken apart for the side-panel review: its files, its
// verification facts (from run.json, not the report's prose), the Coder's blockers beside the
// Architect's answers, and whether the pass can be reverted now. Pure.
import { parseCodeReport } from '../artifacts/codeReport.js';
import type { RunRecord, VerificationCheck } from './runRecord.js';
import type { ReportView } from './runViewSchema.js';
import { waitsForUser } from './transition.js';

/** Output beyond this is cut from the front: the end of a test run says what failed. */
export const maxReportOutputChars = 64_000;

export function buildReportView(record: RunRecord, markdown: string | undefined, path: string, passive: boolean): ReportView | undefined {
  const entry = record.reports.at(-1);
  if (!entry || markdown === undefined) return undefined;
  const revertable = !passive && waitsForUser(record.state);
  const reverted = record.history.some((step) => step.event === 'pass-reverted' && step.at >= entry.createdAt);
  const checks = (entry.checks ?? []).map(checkView);
  const base = { version: entry.version, specVersion: entry.specVersion, path, checks, revertable, reverted };
  const parsed = parseCodeReport(markdown);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    return { ...base, unreadable: first ? `line ${first.line}: ${first.message}` : 'it does not parse', summary: '', files: [], testOutput: '', blockers: [], deviations: [] };
  }
  const report = parsed.value;
  const verdict = record.state.phase === 'architect-review' ? record.state.verdict : undefined;
  return {
    ...base,
    summary: report.summary,
    files: report.filesChanged.map(({ path: file, action, added, removed }) => ({ path: file, action, added, removed })),
    testResult: report.testResult,
    buildResult: report.buildResult,
    testOutput: report.testOutput.length > maxReportOutputChars ? `…${report.testOutput.slice(-maxReportOutputChars)}` : report.testOutput,
    blockers: pairAnswers(report.blockers, verdict?.blockerAnswers ?? []),
    deviations: report.deviations,
  };
}

/** "exit code 0 · 1.2 s", "timed out after 60.0 s", "not run: …" */
function checkView(check: VerificationCheck): ReportView['checks'][number] {
  const seconds = `${(check.durationMs / 1000).toFixed(1)} s`;
  const outcome = check.notRun
    ? `not run: ${check.notRun}`
    : check.timedOut
      ? `timed out after ${seconds}`
      : `exit code ${check.exitCode ?? 'none'} · ${seconds}`;
  const sandboxed = check.sandbox === undefined ? undefined : check.sandbox === 'sandboxed';
  const sandbox =
    check.sandbox === undefined ? 'not recorded' : check.sandbox === 'sandboxed' ? 'ran sandboxed' : check.sandbox === 'unsandboxed' ? 'ran unsandboxed (by the setting)' : `ran unsandboxed (${check.sandbox})`;
  return { command: check.command, outcome, ...(sandboxed !== undefined ? { sandboxed } : {}), sandbox };
}

/**
 * Each blocker of the report with the Architect's answer to it: the answer whose question is the
 * blocker's text, or else, when the Architect answered them all in order, the one in its place.
 */
function pairAnswers(blockers: readonly string[], answers: readonly { question: string; answer: string }[]): ReportView['blockers'] {
  const normal = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();
  const inOrder = answers.length === blockers.length;
  return blockers.map((question, index) => {
    const answer = answers.find((candidate) => normal(candidate.question) === normal(question))?.answer ?? (inOrder ? answers[index]?.answer : undefined);
    return { question, ...(answer !== undefined ? { answer } : {}) };
  });
}
