// The one table of the seed's phases: their numbers, the seed's names for them, and how the
// progress strip shortens them. The engine's view (runView.ts) and the webview's strip both read
// it, so a phase is named the same way everywhere. Pure data: the webview bundles it.
import type { PhaseName } from './runState.js';

export interface SeedPhase {
  /** 1..5, as the seed numbers them. */
  number: number;
  phase: PhaseName;
  /** The seed's heading: "Phase 1 — Architect: Analyze & Spec". */
  label: string;
  /** For the progress strip's tooltip and screen readers. */
  title: string;
  /** What fits in one fifth of a narrow panel. */
  shortTitle: string;
  isHardStop: boolean;
}

export const seedPhases: readonly SeedPhase[] = [
  { number: 1, phase: 'architect-spec', label: 'Phase 1 — Architect: Analyze & Spec', title: 'Architect — Analyze & Spec', shortTitle: 'Spec', isHardStop: false },
  { number: 2, phase: 'hard-stop-to-coder', label: 'Phase 2 — HARD STOP: Switch to Coder', title: 'HARD STOP — Switch to Coder', shortTitle: 'To Coder', isHardStop: true },
  { number: 3, phase: 'coder-implement', label: 'Phase 3 — Coder: Implement', title: 'Coder — Implement', shortTitle: 'Implement', isHardStop: false },
  { number: 4, phase: 'hard-stop-to-architect', label: 'Phase 4 — HARD STOP: Switch to Architect', title: 'HARD STOP — Switch to Architect', shortTitle: 'To Architect', isHardStop: true },
  { number: 5, phase: 'architect-review', label: 'Phase 5 — Architect: Review', title: 'Architect — Review', shortTitle: 'Review', isHardStop: false },
];

export type EndState = 'approved' | 'failed' | 'cancelled';

/** How the end states read where a phase's heading would be. */
export const endStateLabels: Readonly<Record<EndState, string>> = {
  approved: '✅ Approved — task complete',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function seedPhaseOf(phase: PhaseName): SeedPhase | undefined {
  return seedPhases.find((step) => step.phase === phase);
}

/** The seed's phase numbers (1..5); 0 for the end states. */
export function phaseNumber(phase: PhaseName): number {
  return seedPhaseOf(phase)?.number ?? 0;
}

/** Phases 2 and 4: the run waits for the user to switch models and press Model Confirmed. */
export function isHardStop(phase: PhaseName): boolean {
  return seedPhaseOf(phase)?.isHardStop ?? false;
}

export function endStateOf(phase: PhaseName): EndState | undefined {
  return phase === 'approved' || phase === 'failed' || phase === 'cancelled' ? phase : undefined;
}

/** The heading of a phase or an end state. */
export function phaseLabel(phase: PhaseName): string {
  const end = endStateOf(phase);
  return end ? endStateLabels[end] : (seedPhaseOf(phase)?.label ?? phase);
}
