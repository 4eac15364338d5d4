// What the panel shows of a batch: at the HARD STOP every spec of the set with its verification
// command (one confirm approves them all), during the pass each one's progress, and, paused on
// a failed spec, which one and its output. Pure, from run.json and the saved spec set.
import type { RunActivity } from './runJournal.js';
import type { RunRecord } from './runRecord.js';
import type { DivisionSpecOutcome } from './runState.js';
import type { BatchView } from './runViewSchema.js';

/** One spec of a batch as saved: its file, id, title and verification command. */
export interface BatchSpecEntry {
  file: string;
  /** The spec's document, relative to the run folder (as the view's documents name it). */
  path: string;
  specId: string;
  title: string;
  command: string;
}

/** Undefined unless the run is at or in the Coder's pass over a batch of two or more specs. */
export function batchView(record: RunRecord, specs: readonly BatchSpecEntry[] | undefined, activity?: Pick<RunActivity, 'specs'>): BatchView | undefined {
  if (!specs || specs.length < 2) return undefined;
  const state = record.state.phase === 'failed' ? record.state.resumeFrom : record.state;
  if (state.phase !== 'hard-stop-to-coder' && state.phase !== 'coder-implement') return undefined;
  const shared = record.mode?.mode === 'division' || record.mode?.mode === 'swarm';
  if (state.phase === 'coder-implement' && shared) return { specs: divisionSpecs(specs, state.division?.done ?? [], record.state.phase === 'failed' ? undefined : activity?.specs) };
  const progress = state.phase === 'coder-implement' ? state.batch : undefined;
  const done = progress?.done ?? [];
  const running = state.phase === 'coder-implement' && record.state.phase !== 'failed' && !progress?.paused && !progress?.stopped;
  const paused = progress?.paused ? done.at(-1) : undefined;
  return {
    specs: specs.map((spec, index) => {
      const outcome = done[index];
      const status = outcome
        ? outcome.verification.passed ? 'passed' : 'failed'
        : progress?.stopped ? 'skipped' : running && index === done.length ? 'running' : 'pending';
      return { file: spec.file, specId: spec.specId, title: spec.title, command: spec.command, status };
    }),
    ...(paused
      ? { paused: { file: paused.file, specId: paused.specId, title: paused.title, details: paused.verification.details, output: paused.verification.output } }
      : {}),
  };
}

/**
 * A division's or a swarm's specs: several run at once, so each says its own state. A merged
 * spec by its own verification (none run in its copy counts as passed: the merged whole decides),
 * one at work by its Coder's latest step, the rest wait for their wave.
 */
function divisionSpecs(specs: readonly BatchSpecEntry[], done: readonly DivisionSpecOutcome[], doing: Readonly<Record<number, string>> | undefined): BatchView['specs'] {
  return specs.map((spec, index) => {
    const base = { file: spec.file, specId: spec.specId, title: spec.title, command: spec.command };
    const outcome = done.find((entry) => entry.index === index);
    if (outcome) return { ...base, status: outcome.verification?.passed === false ? 'failed' : 'passed', doing: `${outcome.coder}, wave ${outcome.wave + 1}` };
    const now = doing?.[index];
    return now === undefined ? { ...base, status: 'pending' } : { ...base, status: 'running', doing: now.slice(0, 500) };
  });
}
