// A division run's plan: its specs in waves (specWaves.ts), each named path followed through the
// workspace's links so two names of one file overlap, and the Coder and copy of each spec. The
// Coders of a wave take its specs in turn, so side-by-side work is spread over the models (and
// their rate limits) rather than piled on the first.
import type { CodeSpec } from '../artifacts/codeSpec.js';
import { formatSpecIndex } from '../artifacts/batch.js';
import { locate } from '../coder/confinement.js';
import type { WorkspaceFiles } from '../ports.js';
import { MAX_PARALLEL_CODERS } from './runMode.js';
import type { WavePlan, WaveSpec } from './specWaves.js';
import { planWaves } from './specWaves.js';

export interface DivisionAssignment {
  /** 0-based index into the batch. */
  spec: number;
  wave: number;
  /** 0-based index into the run mode's `coders`. */
  coder: number;
  /** The spec's isolated copy ("spec-02"), path-safe, sorting in the batch's order. */
  label: string;
}

export interface DivisionPlan extends WavePlan {
  /** One per spec, in the batch's order. */
  assignments: DivisionAssignment[];
}

export function waveSpecOf(spec: CodeSpec): WaveSpec {
  return { paths: spec.files.map((file) => file.path) };
}

/** Where each named path lands once links are followed; a path that cannot be followed keeps its name alone. */
export async function landingsOf(workspace: WorkspaceFiles, specs: readonly WaveSpec[]): Promise<Map<string, string>> {
  const paths = [...new Set(specs.flatMap((spec) => spec.paths))];
  const located = await Promise.all(paths.map(async (name) => [name, await locate(workspace, name)] as const));
  return new Map(located.flatMap(([name, where]) => (where.ok ? [[name, where.landsAt] as const] : [])));
}

export function assignCoders(plan: WavePlan, coderCount: number): DivisionAssignment[] {
  if (!Number.isInteger(coderCount) || coderCount < 1) throw new RangeError(`a division needs at least one Coder, got ${coderCount}`);
  const total = plan.specs.length;
  const turn = new Map<number, number>();
  for (const wave of plan.waves) wave.specs.forEach((spec, position) => turn.set(spec, position % coderCount));
  return plan.specs.map((placement, spec) => ({ spec, wave: placement.wave, coder: turn.get(spec) ?? 0, label: `spec-${formatSpecIndex(spec + 1, total)}` }));
}

export async function planDivision(specs: readonly CodeSpec[], workspace: WorkspaceFiles, coderCount: number, maxParallel: number = MAX_PARALLEL_CODERS): Promise<DivisionPlan> {
  const waveSpecs = specs.map(waveSpecOf);
  const plan = planWaves(waveSpecs, { landsAt: await landingsOf(workspace, waveSpecs), maxParallel });
  return { ...plan, assignments: assignCoders(plan, coderCount) };
}
