// What the panel shows of a batch: at the HARD STOP every spec of the set with its verification
// command (one confirm approves them all), during the pass each one's progress, and, paused on
// a failed spec, which one and its output. Pure, from run.json and the saved spec set.
import type { RunRecord } from './runRecord.js';
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
export function batchView(record: RunRecord, specs: readonly BatchSpecEntry[] | undefined): BatchView | undefined {
  if (!specs || specs.length < 2) return undefined;
  const state = record.state.phase === 'failed' ? record.state.resumeFrom : record.state;
  if (state.phase !== 'hard-stop-to-coder' && state.phase !== 'coder-implement') return undefined;
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
