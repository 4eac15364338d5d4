// A swarm checks each spec's work before it stands: by the spec's own verification where it has
// one, else by the Architect's acceptance. The Code Spec format requires a verification command,
// so "has none" means a command that checks nothing (`true`, `echo done`, `exit 0`): it passes
// whatever the Coder did, and would let a cheap tier's wrong work through unseen. For those the
// Architect reads the spec and the diff and accepts or refuses; a refusal is escalated like a
// failed verification.
import * as z from 'zod';
import type { ChatMessage, ModelClient, ThinkingLevel } from '../models/modelClient.js';
import { acceptanceMessage, acceptanceRepairMessage, acceptanceSystemPrompt } from '../prompts/acceptancePrompts.js';
import type { Parsed } from './modelAnswers.js';
import { jsonObjectIn } from './modelAnswers.js';
import { askWithOneRepair } from './repairedAsk.js';
import type { RunJournal } from './runJournal.js';

/** One step of a command that runs no check: it succeeds whatever the files hold. */
const noCheck = /^(?:true|:|exit(?:\s+0)?|echo(?:\s.*)?|printf(?:\s.*)?|#.*|none|n\/a|-+|no verification.*)$/i;

/**
 * True when the command checks nothing. Conservative: anything that could run a program beyond
 * echo (a pipe, a redirection, a substitution, another command) counts as a real check.
 */
export function checksNothing(command: string): boolean {
  if (/[|<>`]|\$\(/.test(command)) return false;
  const steps = command.split(/&&|;|\n/).map((step) => step.trim()).filter((step) => step !== '');
  return steps.every((step) => noCheck.test(step));
}

/** "yes", "Accepted", "false" as models write them; anything else is left for the schema to refuse. */
function asBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (/^\s*(?:true|yes|accept(?:ed)?)\s*$/i.test(value)) return true;
  if (/^\s*(?:false|no|reject(?:ed)?|refused?)\s*$/i.test(value)) return false;
  return value;
}

const AcceptanceAnswerSchema = z.object({
  accepted: z.preprocess(asBoolean, z.boolean()),
  reasons: z.string().default(''),
});

export interface Acceptance {
  accepted: boolean;
  /** The Architect's reasons; when its answer never read, why not. */
  reasons: string;
}

export function parseAcceptance(answer: string): Parsed<Acceptance> {
  const found = jsonObjectIn(answer);
  if (!found.ok) return found;
  const parsed = AcceptanceAnswerSchema.safeParse(found.value);
  if (!parsed.success) return { ok: false, error: 'the object has no "accepted" true or false' };
  // Kept in run.json and the report: a model that writes pages is cut to a paragraph.
  return { ok: true, value: { accepted: parsed.data.accepted, reasons: parsed.data.reasons.trim().slice(0, 2000) } };
}

export interface AcceptanceAsk {
  journal: RunJournal;
  runId: string;
  client: ModelClient;
  thinking: ThinkingLevel;
  maxOutputTokens: number;
  specMarkdown: string;
  summary: string;
  diff: string;
  signal: AbortSignal;
}

/**
 * The Architect's verdict, with one repair request for an answer that cannot be read. A second
 * unreadable answer is no acceptance: the work is not let through on a verdict nobody gave.
 */
export async function askAcceptance(input: AcceptanceAsk): Promise<Acceptance> {
  const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: acceptanceMessage(input.specMarkdown, input.summary, input.diff) }] }];
  const verdict = await askWithOneRepair({
    journal: input.journal,
    runId: input.runId,
    client: input.client,
    request: () => ({ purpose: 'accept', system: acceptanceSystemPrompt, messages, cacheablePrefix: 1, thinking: input.thinking, maxOutputTokens: input.maxOutputTokens }),
    messages,
    signal: input.signal,
    parse: parseAcceptance,
    repair: acceptanceRepairMessage,
    // Not streamed into the panel: a swarm asks for several specs at once, and their answers would interleave.
    stream: false,
  });
  return verdict.ok ? verdict.value : { accepted: false, reasons: `the Architect's answer could not be read after one repair request (${verdict.error})` };
}
