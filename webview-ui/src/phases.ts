// Where each of the seed's five phases stands, as the progress strip shows it. The phases
// themselves (numbers, names) are core's one table; this adds only the strip's statuses. Pure
// functions: no DOM, so the unit tests run them on plain Node.
import { endStateOf, seedPhases } from '../../src/core/workflow/phases';
import type { PhaseName } from '../../src/core/workflow/runState';

export type StepStatus = 'done' | 'current' | 'stopped' | 'upcoming';

export interface ProgressStep {
  number: number;
  /** The seed's name of the phase, for the tooltip and screen readers. */
  title: string;
  /** What fits in one fifth of a narrow panel. */
  shortTitle: string;
  isHardStop: boolean;
  status: StepStatus;
}

/**
 * Where each of the five phases stands. An approved run has done them all; a failed or cancelled
 * run marks the phase it stopped in, and the ones before it done (nothing at all when it is not
 * known where it stopped).
 */
export function progressSteps(phase: PhaseName, phaseNumber: number, stoppedInPhase?: number): ProgressStep[] {
  const end = endStateOf(phase);
  return seedPhases.map((step) => {
    let status: StepStatus;
    if (end === 'approved') status = 'done';
    else if (end !== undefined && stoppedInPhase !== undefined) status = step.number < stoppedInPhase ? 'done' : step.number === stoppedInPhase ? 'stopped' : 'upcoming';
    else if (end !== undefined || phaseNumber < 1) status = 'upcoming';
    else if (step.number < phaseNumber) status = 'done';
    else if (step.number === phaseNumber) status = 'current';
    else status = 'upcoming';
    return { number: step.number, title: step.title, shortTitle: step.shortTitle, isHardStop: step.isHardStop, status };
  });
}

/** "Phase N — …" as the seed names it; the host's label is used as is when it already says so. */
export function formatPhaseLabel(phaseLabel: string, phaseNumber: number): string {
  const label = phaseLabel.trim();
  if (phaseNumber < 1 || /^phase\s+\d/i.test(label)) return label;
  return label === '' ? `Phase ${phaseNumber}` : `Phase ${phaseNumber} — ${label}`;
}
