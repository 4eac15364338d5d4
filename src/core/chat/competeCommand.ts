// `@dual-model /compete [N] <request>`: a competitive (best-of-N) run from chat. N is how many
// copies of the Coder role compete; without it the user's dualModel.run.coders (or candidates)
// decide. Bad input is said back and starts nothing.
import { MAX_PARALLEL_CODERS } from '../workflow/runMode.js';

export const COMPETE_COMMAND = 'compete';

export type CompeteRequest = { ok: true; request: string; candidates?: number } | { ok: false; error: string };

export function parseCompete(prompt: string): CompeteRequest {
  const text = prompt.trim();
  const counted = /^(\d+)\s+([\s\S]*)$/.exec(text);
  // A lone number is a count with no request, not a request.
  const request = /^\d+$/.test(text) ? '' : ((counted ? counted[2] : text)?.trim() ?? '');
  if (!request) return { ok: false, error: `Say what to build after /compete, e.g. "/compete 3 add a slugify helper" (3 Coders compete; 2 to ${MAX_PARALLEL_CODERS}).` };
  if (!counted?.[1]) return { ok: true, request };
  const candidates = Number(counted[1]);
  if (candidates < 2 || candidates > MAX_PARALLEL_CODERS) return { ok: false, error: `/compete takes 2 to ${MAX_PARALLEL_CODERS} Coders; ${counted[1].slice(0, 12)} were asked. Nothing started.` };
  return { ok: true, request, candidates };
}
