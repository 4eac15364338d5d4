// What the panel shows of a competitive run's candidates: pure (no DOM), so every choice is tested
// on plain Node; render/competition.ts only turns it into elements. A candidate is its label until
// the view names its model (after the pick), so the user is not swayed by a name either.
import type { CandidateView, CompetitionView } from '../../src/core/workflow/competitionView';
import { runModeLabels } from '../../src/core/workflow/runMode';

export interface CandidateColumn {
  label: string;
  title: string;
  status: string;
  message: string | undefined;
  /** "Rank 1": best by the facts alone. */
  rank: string | undefined;
  /** The judge's pick: highlighted. */
  picked: boolean;
  /** The one the user applied. */
  applied: boolean;
  excluded: string | undefined;
  /** "Gemini 3 Flash (google/gemini-3-flash-preview)", only once the view has it. */
  model: string | undefined;
  /** [name, value] rows: verification, refusals, files, open questions, tokens, cost. */
  facts: [string, string][];
  files: { path: string; change: string }[];
  /** While the run waits for the user's pick, for a candidate that finished. */
  apply: { label: string; primary: boolean } | undefined;
}

export interface CompetitionModel {
  heading: string;
  status: string;
  judge: CompetitionView['judge'];
  columns: CandidateColumn[];
}

const statusWords: Readonly<Record<CandidateView['status'], string>> = { working: 'Working…', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

export function toCompetitionModel(competition: CompetitionView): CompetitionModel {
  const count = competition.candidates.length;
  return {
    heading: `${runModeLabels.competitive.label}: ${count} ${count === 1 ? 'candidate' : 'candidates'}`,
    status: statusOf(competition),
    judge: competition.judge,
    columns: competition.candidates.map((candidate) => toColumn(candidate, competition)),
  };
}

function statusOf(competition: CompetitionView): string {
  if (competition.applied !== undefined) return `Candidate ${competition.applied} was applied to the workspace.`;
  if (competition.awaitingPick) {
    return competition.judge
      ? `The Architect picked candidate ${competition.judge.pick}. Apply one to the workspace: the judge’s pick, or another.`
      : 'Apply one candidate to the workspace.';
  }
  if (competition.candidates.some((candidate) => candidate.status === 'working')) return 'The candidates are at work, each in its own copy of the workspace.';
  return '';
}

function toColumn(candidate: CandidateView, competition: CompetitionView): CandidateColumn {
  const picked = competition.judge?.pick === candidate.label;
  const facts = candidate.facts;
  return {
    label: candidate.label,
    title: `Candidate ${candidate.label}`,
    status: statusWords[candidate.status],
    message: candidate.message,
    rank: candidate.rank === undefined ? undefined : `Rank ${candidate.rank}`,
    picked,
    applied: competition.applied === candidate.label,
    excluded: candidate.excluded === undefined ? undefined : `Excluded: ${candidate.excluded}`,
    model: candidate.model === undefined ? undefined : `${candidate.model.displayName} (${candidate.model.provider}/${candidate.model.modelId})`,
    facts:
      facts === undefined
        ? []
        : [
            ['Verification', `${facts.verificationPassed ? '✅ passed' : '❌ failed'}: ${facts.verificationDetails}`],
            ['Refusals', String(facts.refusals)],
            ['Files', `${facts.filesChanged} · +${facts.linesAdded} −${facts.linesRemoved}`],
            ['Open questions', String(facts.openQuestions)],
            ['Tokens', facts.tokens.toLocaleString('en-US')],
            ['Cost', facts.cost ?? 'no price'],
          ],
    files: candidate.files.map((file) => ({ path: file.path, change: `${file.action} · +${file.added} −${file.removed}` })),
    apply: competition.awaitingPick && candidate.status === 'done' ? { label: picked ? 'Apply this one (the judge’s pick)' : 'Apply this one', primary: picked } : undefined,
  };
}
