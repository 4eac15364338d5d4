// What the panel may ask of a competitive run's candidates, checked against the run's own view:
// the label must be a candidate's, a file must be one that candidate changed (so no path the
// webview makes up, ../ included, is ever read), and a pick only while the run waits for one.
import type { CandidateView, CompetitionView } from './competitionView.js';

export type CandidateCheck<T> = ({ ok: true } & T) | { ok: false; error: string };

function candidateOf(competition: CompetitionView | undefined, label: string): CandidateCheck<{ candidate: CandidateView }> {
  if (!competition) return { ok: false, error: 'This is not a competitive run: it has no candidates.' };
  const candidate = competition.candidates.find((entry) => entry.label === label);
  return candidate ? { ok: true, candidate } : { ok: false, error: `This run has no candidate "${label.slice(0, 8)}".` };
}

/** "View diff": the candidate's changed file the path names, exactly as the view lists it. */
export function candidateFileRequest(competition: CompetitionView | undefined, label: string, path: string): CandidateCheck<{ file: CandidateView['files'][number] }> {
  const found = candidateOf(competition, label);
  if (!found.ok) return found;
  const file = found.candidate.files.find((entry) => entry.path === path);
  return file ? { ok: true, file } : { ok: false, error: `${path.slice(0, 300)} is not a file candidate ${found.candidate.label} changed.` };
}

/** "Apply this one": only while the run waits for the user's pick, and only a candidate that finished. */
export function candidatePickRequest(competition: CompetitionView | undefined, label: string): CandidateCheck<object> {
  const found = candidateOf(competition, label);
  if (!found.ok) return found;
  if (!competition?.awaitingPick) return { ok: false, error: 'The run does not wait for a pick now.' };
  if (found.candidate.status !== 'done') return { ok: false, error: `Candidate ${found.candidate.label} ${found.candidate.status === 'working' ? 'is still working' : found.candidate.status}; it has nothing to apply.` };
  return { ok: true };
}
