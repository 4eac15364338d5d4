// Which run modes the engine can run today, and how a new run offers them. The lead extends
// supportedModes as division and swarm land; until then they are listed as coming, never faked.
import type { RunModeName } from './runMode.js';
import { runModeLabels, runModeNames } from './runMode.js';

export const supportedModes: readonly RunModeName[] = ['single', 'competitive', 'division', 'swarm'];

export interface ModeChoice {
  mode: RunModeName;
  label: string;
  detail: string;
  /** false: the engine cannot run it yet; shown so the user knows it is coming. */
  available: boolean;
}

/** The default first, the others in their usual order. */
export function modeChoices(defaultMode: RunModeName, supported: readonly RunModeName[] = supportedModes): ModeChoice[] {
  const ordered = [defaultMode, ...runModeNames.filter((mode) => mode !== defaultMode)];
  return ordered.map((mode) => {
    const available = supported.includes(mode);
    const { label, detail } = runModeLabels[mode];
    return { mode, label, detail: available ? detail : `Coming: not built yet. ${detail}`, available };
  });
}
