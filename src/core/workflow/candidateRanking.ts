// Best-of-N by the facts alone, before any model has an opinion: a candidate whose verification
// passed comes first, then the one the guardrails refused less, that left fewer open questions,
// that changed less, that cost less. One that failed, failed its verification or changed nothing
// is not sent to the judge, and says why. Pure.
import type { CandidateFacts, EndedCandidate } from './runState.js';

export interface RankedCandidate {
  label: string;
  /** 1 = best by the facts; absent for a candidate that failed (it has no facts). */
  rank?: number;
  /** Why the judge does not see it. */
  excluded?: string;
}

export function rankCandidates(candidates: readonly EndedCandidate[]): RankedCandidate[] {
  const measured = candidates.filter((candidate): candidate is EndedCandidate & { facts: CandidateFacts } => candidate.status === 'done' && candidate.facts !== undefined);
  const ordered = [...measured].sort((a, b) => compareFacts(a.facts, b.facts) || a.label.localeCompare(b.label));
  const ranked: RankedCandidate[] = ordered.map((candidate, index) => {
    const excluded = exclusionOf(candidate.facts);
    return { label: candidate.label, rank: index + 1, ...(excluded ? { excluded } : {}) };
  });
  const unmeasured = candidates
    .filter((candidate) => !measured.includes(candidate as EndedCandidate & { facts: CandidateFacts }))
    .sort((a, b) => a.label.localeCompare(b.label))
    .map((candidate) => ({ label: candidate.label, excluded: `it failed: ${(candidate.error ?? 'no reason was recorded').split('\n')[0] ?? ''}` }));
  return [...ranked, ...unmeasured];
}

/** The candidates the judge sees, best by the facts first. */
export function survivorsOf(ranking: readonly RankedCandidate[]): string[] {
  return ranking.filter((candidate) => candidate.excluded === undefined).map((candidate) => candidate.label);
}

function exclusionOf(facts: CandidateFacts): string | undefined {
  if (!facts.verificationPassed) return `its verification failed: ${facts.verificationDetails}`;
  if (facts.filesChanged === 0) return 'it changed nothing';
  return undefined;
}

/** Negative when `a` is better. Cost compares in dollars when both are priced, else in tokens. */
function compareFacts(a: CandidateFacts, b: CandidateFacts): number {
  const cost = a.costUsd !== undefined && b.costUsd !== undefined ? a.costUsd - b.costUsd : a.tokens - b.tokens;
  return (
    Number(b.verificationPassed) - Number(a.verificationPassed) ||
    a.refusals - b.refusals ||
    a.openQuestions - b.openQuestions ||
    a.linesAdded + a.linesRemoved - (b.linesAdded + b.linesRemoved) ||
    Math.sign(cost)
  );
}
