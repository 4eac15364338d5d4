// The five phases of the seed's protocol, as the progress strip shows them. Pure data and pure
// functions: no DOM, so the unit tests run them on plain Node.
import type { PhaseName } from '../../src/shared/messages';

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

export const seedPhases: readonly { number: number; phase: PhaseName; title: string; shortTitle: string; isHardStop: boolean }[] = [
  { number: 1, phase: 'architect-spec', title: 'Architect — Analyze & Spec', shortTitle: 'Spec', isHardStop: false },
  { number: 2, phase: 'hard-stop-to-coder', title: 'HARD STOP — Switch to Coder', shortTitle: 'To Coder', isHardStop: true },
  { number: 3, phase: 'coder-implement', title: 'Coder — Implement', shortTitle: 'Implement', isHardStop: false },
  { number: 4, phase: 'hard-stop-to-architect', title: 'HARD STOP — Switch to Architect', shortTitle: 'To Architect', isHardStop: true },
  { number: 5, phase: 'architect-review', title: 'Architect — Review', shortTitle: 'Review', isHardStop: false },
];

export type EndState = 'approved' | 'failed' | 'cancelled';

export function endStateOf(phase: PhaseName): EndState | undefined {
  switch (phase) {
    case 'approved':
    case 'failed':
    case 'cancelled':
      return phase;
    case 'architect-spec':
    case 'hard-stop-to-coder':
    case 'coder-implement':
    case 'hard-stop-to-architect':
    case 'architect-review':
      return undefined;
    default: {
      const unreachable: never = phase;
      return unreachable;
    }
  }
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
