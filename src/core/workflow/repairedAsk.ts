// Asking a model for an answer in a small format, with one repair: an answer that cannot be read
// is shown its problem once and asked again. What a second unreadable answer means is the
// caller's to say: the judge falls back to the facts' best, a swarm's acceptance is no acceptance.
import type { ChatMessage, ModelClient, ModelRequest } from '../models/modelClient.js';
import type { Parsed } from './modelAnswers.js';
import { ask } from './phaseContext.js';
import type { RunJournal } from './runJournal.js';

export interface RepairedAsk<T> {
  journal: RunJournal;
  runId: string;
  client: ModelClient;
  /** The request as it stands; `messages` grows with the repair. */
  request: () => ModelRequest;
  messages: ChatMessage[];
  signal: AbortSignal;
  parse: (answer: string) => Parsed<T>;
  /** The follow-up that shows the model its problem. */
  repair: (problem: string) => string;
  /** Whether the answer streams into the panel (not when several are asked at once). */
  stream?: boolean;
}

/** The answer read, or the second answer's problem when it still does not read. */
export async function askWithOneRepair<T>(asked: RepairedAsk<T>): Promise<Parsed<T>> {
  const stream = asked.stream ?? true;
  const answer = await ask(asked.journal, asked.runId, asked.client, asked.request(), asked.signal, stream);
  const parsed = asked.parse(answer);
  if (parsed.ok) return parsed;
  asked.messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] }, { role: 'user', content: [{ type: 'text', text: asked.repair(parsed.error) }] });
  return asked.parse(await ask(asked.journal, asked.runId, asked.client, asked.request(), asked.signal, stream));
}
