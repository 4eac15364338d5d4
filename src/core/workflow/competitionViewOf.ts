// RunView.competition from run.json: each candidate of a competitive pass with its status, facts,
// rank and files, the judge's pick, and whether the run waits for the user's. A candidate's model
// is left out until one is applied, so the panel does not sway the user by a name. Pure.
import { formatUsd } from '../models/usageSummary.js';
import { rankCandidates } from './candidateRanking.js';
import type { CandidateView, CompetitionView } from './competitionView.js';
import type { RunActivity } from './runJournal.js';
import type { RunRecord } from './runRecord.js';
import { candidateLabel } from './runState.js';

export function competitionViewOf(record: RunRecord, activity?: Pick<RunActivity, 'candidates'>): CompetitionView | undefined {
  if (record.mode?.mode !== 'competitive') return undefined;
  const failed = record.state.phase === 'failed';
  const state = record.state.phase === 'failed' ? record.state.resumeFrom : record.state;
  // After the pass, the newest competition that ended in a report (its pick applied: models shown).
  const competition = state.phase === 'coder-implement' ? (state.competition ?? { ended: [] }) : record.competitions?.at(-1);
  if (!competition) return undefined;
  const ranking = rankCandidates(competition.ended);
  const revealed = competition.applied !== undefined;
  const candidates = record.mode.coders.map((role, index): CandidateView => {
    const label = candidateLabel(index);
    const ended = competition.ended.find((candidate) => candidate.label === label);
    const ranked = ranking.find((candidate) => candidate.label === label);
    const model = revealed ? { model: { displayName: role.displayName, modelId: role.modelId, provider: role.provider } } : {};
    if (!ended) {
      const doing = failed ? 'Stopped when the run failed; Retry starts it again in a fresh copy.' : activity?.candidates?.[label];
      return { label, status: failed ? 'cancelled' : 'working', ...(doing ? { message: doing } : {}), files: [], ...model };
    }
    const facts = ended.facts;
    return {
      label,
      status: ended.status,
      ...(ended.error ? { message: ended.error } : {}),
      ...(facts
        ? {
            facts: {
              verificationPassed: facts.verificationPassed,
              verificationDetails: facts.verificationDetails,
              refusals: facts.refusals,
              filesChanged: facts.filesChanged,
              linesAdded: facts.linesAdded,
              linesRemoved: facts.linesRemoved,
              openQuestions: facts.openQuestions,
              tokens: facts.tokens,
              ...(facts.costUsd !== undefined ? { cost: formatUsd(facts.costUsd) } : {}),
            },
          }
        : {}),
      ...(ranked?.rank !== undefined ? { rank: ranked.rank } : {}),
      ...(ranked?.excluded ? { excluded: ranked.excluded } : {}),
      files: ended.files,
      ...model,
    };
  });
  const judge = competition.judge ? { pick: competition.judge.pick, reasons: competition.judge.reasons } : undefined;
  return {
    candidates,
    ...(judge ? { judge } : {}),
    awaitingPick: competition.awaitingPick === true && !failed,
    ...(competition.applied ? { applied: competition.applied } : {}),
  };
}
