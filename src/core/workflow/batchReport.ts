// The consolidated Code Report of a batch (the seed: "A single Code Report covers all specs"),
// in the seed's report format so parseCodeReport reads it: the Summary says per spec what it
// changed, how its verification ended and its blockers, then the totals; the other sections
// hold every spec's part, each line naming its spec.
import type { CodeReport } from '../artifacts/codeReport.js';
import { bulletList, codeSpan } from '../artifacts/markdownSyntax.js';
import type { BatchSpecOutcome } from './runState.js';

/** A spec of the batch that was not implemented because the user stopped the batch before it. */
export interface SkippedSpec {
  index: number;
  file: string;
  specId: string;
  title: string;
}

export type BatchReportSections = Pick<CodeReport, 'summary' | 'testOutput' | 'testResult' | 'buildOutput' | 'buildResult' | 'blockers' | 'deviations'>;

/** How much of each spec's verification output run.json keeps (its end: where the failures are). */
export const keptOutputChars = 8_000;

/** The end of a verification's output, marked when cut. */
export function outputTail(output: string): string {
  return output.length > keptOutputChars ? `[… ${output.length - keptOutputChars} earlier characters left out …]\n${output.slice(-keptOutputChars)}` : output;
}

const number = (index: number): string => String(index + 1).padStart(2, '0');
const named = (spec: { index: number; specId: string }): string => `spec ${number(spec.index)} (${spec.specId})`;

export function batchReportSections(outcomes: readonly BatchSpecOutcome[], skipped: readonly SkippedSpec[]): BatchReportSections {
  const failed = outcomes.filter((outcome) => !outcome.verification.passed);
  const total = outcomes.length + skipped.length;
  const stoppedAfter = skipped.length > 0 ? outcomes.at(-1) : undefined;
  const skippedWhy = stoppedAfter ? `the batch was stopped after ${named(stoppedAfter)} failed its verification` : 'the batch was stopped';
  const perSpec = outcomes.map((outcome) => specSummary(outcome));
  const perSkipped = skipped.map((spec) => `### Spec ${number(spec.index)} — ${spec.specId}: ${spec.title} (${codeSpan(spec.file)})\n\n**Skipped:** not implemented: ${skippedWhy}.`);
  const totals = [
    `${total} specs; ${outcomes.length} implemented, ${outcomes.length - failed.length} passed their verification, ${failed.length} failed it, ${skipped.length} skipped.`,
    `${new Set(outcomes.flatMap((outcome) => outcome.files.map((file) => file.path))).size} files changed (Files Changed below counts each once, against the workspace before the batch); ${outcomes.reduce((sum, outcome) => sum + outcome.blockers.length, 0)} blocker(s).`,
  ].join('\n');
  return {
    summary: [`Batch of ${total} specs, implemented in order without a review in between.`, ...perSpec, ...perSkipped, '### Totals', totals].join('\n\n'),
    testOutput: outcomes.map((outcome) => `$ ${outcome.command}    # spec ${number(outcome.index)} (${outcome.specId})\n${outcome.verification.output}`).join('\n\n'),
    testResult:
      failed.length === 0 && skipped.length === 0
        ? { status: 'PASS', details: `the verification of all ${total} specs passed` }
        : {
            status: 'FAIL',
            details: [
              ...failed.map((outcome) => `${named(outcome)}: ${outcome.verification.details}`),
              ...(skipped.length ? [`${skipped.length} spec(s) skipped`] : []),
            ].join('; '),
          },
    buildOutput: outcomes.map((outcome) => `$ ${outcome.command}    # spec ${number(outcome.index)}\nexit code: ${outcome.verification.exitCode ?? 'none'}`).join('\n'),
    buildResult: failed.length
      ? { status: 'ERRORS', details: `the verification of ${failed.map(named).join(', ')} did not succeed` }
      : { status: 'CLEAN', details: `the verification of every implemented spec exited with code 0` },
    blockers: outcomes.flatMap((outcome) => outcome.blockers.map((blocker) => `[${outcome.specId}] ${blocker}`)),
    deviations: [
      ...outcomes.flatMap((outcome) => outcome.deviations.map((deviation) => `[${outcome.specId}] ${deviation}`)),
      ...skipped.map((spec) => `Skipped ${named(spec)}, ${codeSpan(spec.file)}: ${skippedWhy}.`),
    ],
  };
}

function specSummary(outcome: BatchSpecOutcome): string {
  const files = outcome.files.length
    ? outcome.files.map((file) => `${codeSpan(file.path)} (${file.action.toLowerCase()}, +${file.added} / -${file.removed})`).join(', ')
    : 'none';
  return [
    `### Spec ${number(outcome.index)} — ${outcome.specId}: ${outcome.title} (${codeSpan(outcome.file)})`,
    [
      `**Verification:** ${outcome.verification.passed ? 'PASS' : 'FAIL'} — ${outcome.verification.details}`,
      `**Files:** ${files}`,
      `**Blockers:** ${outcome.blockers.length ? '' : 'none'}`.trimEnd(),
    ].join('\n'),
    ...(outcome.blockers.length ? [bulletList(outcome.blockers)] : []),
    outcome.summary,
  ].join('\n\n');
}
