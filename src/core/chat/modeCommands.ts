// The chat commands that start a run in a mode of several Coders: `/compete [N]`, `/divide` and
// `/swarm`, each followed by the request. Which Coders a division uses is the user's
// dualModel.run.coders (or the Coder role dualModel.run.candidates times), as from the palette; a
// swarm picks its own from the registry. Bad input is said back and starts nothing.
import type { RunModeName } from '../workflow/runMode.js';
import { COMPETE_COMMAND, parseCompete } from './competeCommand.js';

export const DIVIDE_COMMAND = 'divide';
export const SWARM_COMMAND = 'swarm';

export interface ModeStart {
  mode: Exclude<RunModeName, 'single'>;
  /** /compete N: the Coder role this many times. */
  candidates?: number;
}

export type ModeCommandStart = { ok: true; request: string; mode: ModeStart } | { ok: false; error: string };

/** The run a mode command asks for; undefined when `command` is not one (the plain /dual-model). */
export function parseModeCommand(command: string | undefined, prompt: string): ModeCommandStart | undefined {
  if (command === COMPETE_COMMAND) {
    const compete = parseCompete(prompt);
    if (!compete.ok) return compete;
    return { ok: true, request: compete.request, mode: { mode: 'competitive', ...(compete.candidates ? { candidates: compete.candidates } : {}) } };
  }
  if (command !== DIVIDE_COMMAND && command !== SWARM_COMMAND) return undefined;
  const request = prompt.trim();
  if (!request) return { ok: false, error: `Say what to build after /${command}, e.g. "/${command} add slugify and titleCase helpers with tests". Nothing started.` };
  return { ok: true, request, mode: { mode: command === DIVIDE_COMMAND ? 'division' : 'swarm' } };
}
