// The consolidated Code Report of a division of labour or a swarm, beside the batch's
// (batchReport.ts) and in the same seed format: per spec the model that did it, its wave, what it
// changed, what was refused and its own verification if its copy ran one; then the one
// verification of the merged whole, which alone decides PASS (the specs' own runs saw only their
// copy); then the totals, and in a swarm what it cost against every spec on the top tier.
import { bulletList, codeSpan } from '../artifacts/markdownSyntax.js';
import type { BatchReportSections, SkippedSpec } from './batchReport.js';
import type { DivisionSpecOutcome, KeptVerification } from './runState.js';

export interface DivisionReportInput {
  mode: 'division' | 'swarm';
  /** How many waves the plan had. */
  waves: number;
  outcomes: readonly DivisionSpecOutcome[];
  skipped: readonly SkippedSpec[];
  /** The verification of the merged whole; undefined when it never ran. */
  whole: KeptVerification | undefined;
  /** The merge that stopped the run: its 0-based wave and its refusal (mergeCopies' message or conflicts). */
  stopped?: { wave: number; why: string };
  /** Swarm: swarmPlan's cost line. */
  cost?: string;
}

const number = (index: number): string => String(index + 1).padStart(2, '0');
const named = (spec: { index: number; specId: string }): string => `spec ${number(spec.index)} (${spec.specId})`;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

export function divisionReportSections(input: DivisionReportInput): BatchReportSections {
  const { outcomes, skipped, whole, stopped } = input;
  const total = outcomes.length + skipped.length;
  const models = [...new Set(outcomes.map((outcome) => outcome.coder))];
  const stoppedBy = stopped ? `the merge of wave ${stopped.wave + 1} stopped the run` : undefined;
  const skippedWhy = stoppedBy ?? 'the run was stopped';
  const heading = `${input.mode === 'swarm' ? 'Swarm' : 'Division of labour'}: ${plural(total, 'spec')} in ${plural(input.waves, 'wave')}, by ${plural(models.length, 'model')} (${models.join(', ')}).`;
  const wholeLine = whole
    ? `**Verification:** ${whole.passed ? 'PASS' : 'FAIL'} — ${whole.details}`
    : `**Verification:** not run${stopped && stoppedBy ? `: ${stoppedBy}: ${stopped.why}` : ''}`;
  const ownRuns = outcomes.filter((outcome) => outcome.verification);
  const ownPassed = ownRuns.filter((outcome) => outcome.verification?.passed).length;
  const blockerCount = outcomes.reduce((sum, outcome) => sum + outcome.blockers.length, 0) + (stopped ? 1 : 0);
  const totals = [
    `${total} specs; ${outcomes.length} implemented (${ownPassed} passed its own verification, ${ownRuns.length - ownPassed} failed it, ${outcomes.length - ownRuns.length} ran none), ${skipped.length} skipped.`,
    `${new Set(outcomes.flatMap((outcome) => outcome.files.map((file) => file.path))).size} files changed; ${outcomes.reduce((sum, outcome) => sum + outcome.refusals.length, 0)} refusal(s); ${blockerCount} blocker(s).`,
    ...(input.cost !== undefined ? [input.cost] : []),
  ].join('\n');
  const perSkipped = skipped.map((spec) => `### Spec ${number(spec.index)} — ${spec.specId}: ${spec.title} (${codeSpan(spec.file)})\n\n**Skipped:** not implemented: ${skippedWhy}.`);
  const passed = whole?.passed === true && skipped.length === 0;
  const failures = [whole ? `the merged whole: ${whole.details}` : `not run on the merged whole${stoppedBy ? `: ${stoppedBy}` : ''}`, ...(skipped.length ? [`${skipped.length} spec(s) skipped`] : [])];
  return {
    summary: [heading, ...outcomes.map((outcome) => specSummary(outcome, input.waves)), ...perSkipped, '### The merged whole', wholeLine, '### Totals', totals].join('\n\n'),
    testOutput: [
      ...(whole ? [`$ ${whole.command}    # the merged whole\n${whole.output}`] : []),
      ...ownRuns.map((outcome) => `$ ${outcome.verification?.command ?? ''}    # ${named(outcome)}, in its copy\n${outcome.verification?.output ?? ''}`),
    ].join('\n\n'),
    testResult: passed ? { status: 'PASS', details: `the verification of the merged whole passed: ${whole.details}` } : { status: 'FAIL', details: failures.join('; ') },
    buildOutput: [
      ...(whole ? [`$ ${whole.command}    # the merged whole\nexit code: ${whole.exitCode ?? 'none'}`] : []),
      ...ownRuns.map((outcome) => `$ ${outcome.verification?.command ?? ''}    # ${named(outcome)}, in its copy\nexit code: ${outcome.verification?.exitCode ?? 'none'}`),
    ].join('\n'),
    buildResult: whole
      ? { status: whole.build, details: whole.passed ? 'the verification of the merged whole exited with code 0' : `the verification of the merged whole did not succeed: ${whole.details}` }
      : { status: 'ERRORS', details: `the merged whole was not verified${stoppedBy ? `: ${stoppedBy}` : ''}` },
    blockers: [
      ...outcomes.flatMap((outcome) => outcome.blockers.map((blocker) => `[${outcome.specId}] ${blocker}`)),
      ...(stopped ? [`[merge of wave ${stopped.wave + 1}] ${stopped.why}`] : []),
    ],
    deviations: [
      ...outcomes.flatMap((outcome) => [
        ...outcome.refusals.map((refusal) => `[${outcome.specId}] Refused: ${refusal.replace(/\.$/, '')}.`),
        ...outcome.deviations.map((deviation) => `[${outcome.specId}] ${deviation}`),
      ]),
      ...skipped.map((spec) => `Skipped ${named(spec)}, ${codeSpan(spec.file)}: ${skippedWhy}.`),
    ],
  };
}

function specSummary(outcome: DivisionSpecOutcome, waves: number): string {
  const files = outcome.files.length
    ? outcome.files.map((file) => `${codeSpan(file.path)} (${file.action.toLowerCase()}, +${file.added} / -${file.removed})`).join(', ')
    : 'none';
  const own = outcome.verification ? `${outcome.verification.passed ? 'PASS' : 'FAIL'} — ${outcome.verification.details}` : 'not run in its copy';
  // One-line fields stack on consecutive lines; a field with a list closes its paragraph.
  const blocks: string[] = [`### Spec ${number(outcome.index)} — ${outcome.specId}: ${outcome.title} (${codeSpan(outcome.file)})`];
  let lines = [`**Coder:** ${outcome.coder}`, ...(outcome.routing !== undefined ? [`**Routed:** ${outcome.routing}`] : []), `**Wave:** ${outcome.wave + 1} of ${waves}`, `**Files:** ${files}`, `**Own verification:** ${own}`, ...acceptanceLine(outcome)];
  for (const [label, items] of [['Refusals', outcome.refusals], ['Blockers', outcome.blockers]] as const) {
    if (items.length === 0) {
      lines.push(`**${label}:** none`);
      continue;
    }
    blocks.push([...lines, `**${label}:**`].join('\n'), bulletList(items));
    lines = [];
  }
  if (lines.length) blocks.push(lines.join('\n'));
  blocks.push(outcome.summary);
  return blocks.join('\n\n');
}

/** Swarm: the Architect's verdict on work no command checked. */
function acceptanceLine(outcome: DivisionSpecOutcome): string[] {
  if (!outcome.acceptance) return [];
  return [`**${outcome.acceptance.accepted ? 'Accepted' : 'Not accepted'} by the Architect:** ${outcome.acceptance.reasons || 'no reasons given'}`];
}
