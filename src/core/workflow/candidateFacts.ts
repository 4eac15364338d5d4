// The facts of one competing candidate, measured rather than claimed: how its verification ended,
// what the guardrails refused, what it changed, the questions it left, and what its calls cost.
// Pure: the competitive pass gathers the inputs from the candidate's copy and run.json.
import { computeFileChanges } from '../coder/reportFacts.js';
import { totalInput } from '../models/cost.js';
import { findMarkers } from '../questions/markers.js';
import type { ModelCall } from './runRecord.js';
import type { BatchSpecOutcome, CandidateFacts } from './runState.js';

export interface CandidateWork {
  /** One per spec of the set, in order. */
  outcomes: readonly BatchSpecOutcome[];
  /** The changed files before the candidate touched them (undefined: absent). */
  before: ReadonlyMap<string, string | undefined>;
  /** The same files as the candidate left them. */
  after: ReadonlyMap<string, string | undefined>;
  /** Its calls as run.json holds them (those of an attempt cut short by a reload included: they were paid for). */
  calls: readonly ModelCall[];
}

export function candidateFacts(work: CandidateWork): CandidateFacts {
  const failed = work.outcomes.find((outcome) => !outcome.verification.passed);
  const files = computeFileChanges(work.before, work.after);
  const changed = new Set(files.map((file) => file.path));
  const openQuestions = [...work.after].filter(([file, text]) => changed.has(file) && text !== undefined).reduce((sum, [, text]) => sum + findMarkers(text ?? '').length, 0);
  const priced = work.calls.filter((call) => call.costUsd !== undefined);
  return {
    verificationPassed: work.outcomes.length > 0 && failed === undefined,
    verificationDetails: (failed ?? work.outcomes.at(-1))?.verification.details ?? 'no spec was implemented',
    refusals: work.outcomes.reduce((sum, outcome) => sum + (outcome.refusals ?? 0), 0),
    filesChanged: files.length,
    linesAdded: files.reduce((sum, file) => sum + file.added, 0),
    linesRemoved: files.reduce((sum, file) => sum + file.removed, 0),
    openQuestions,
    tokens: work.calls.reduce((sum, call) => sum + totalInput(call.usage) + call.usage.outputTokens, 0),
    ...(priced.length > 0 ? { costUsd: priced.reduce((sum, call) => sum + (call.costUsd ?? 0), 0) } : {}),
  };
}
