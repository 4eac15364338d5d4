// Asking the judge, with one repair: an answer that cannot be read is shown its problem once; a
// second unreadable answer is not an error of the run: the caller falls back to the facts' best.
import type { ChatMessage, ModelClient, ModelRequest } from '../models/modelClient.js';
import { parseJudgeAnswer } from './judgeAnswer.js';
import { ask } from './phaseContext.js';
import type { RunJournal } from './runJournal.js';

export interface JudgeAsk {
  journal: RunJournal;
  runId: string;
  client: ModelClient;
  /** The request as it stands; `messages` grows with the repair. */
  request: () => ModelRequest;
  messages: ChatMessage[];
  labels: readonly string[];
  signal: AbortSignal;
  repair: (problem: string, labels: readonly string[]) => string;
}

/** The pick and its reasons; `by: 'facts'` with the problem as `reasons` when the answer never read. */
export async function judgeAnswerOrRepair(judge: JudgeAsk): Promise<{ pick: string; reasons: string; by: 'architect' | 'facts' }> {
  let answer = await ask(judge.journal, judge.runId, judge.client, judge.request(), judge.signal);
  let parsed = parseJudgeAnswer(answer, judge.labels);
  if (!parsed.ok) {
    judge.messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
    judge.messages.push({ role: 'user', content: [{ type: 'text', text: judge.repair(parsed.error, judge.labels) }] });
    answer = await ask(judge.journal, judge.runId, judge.client, judge.request(), judge.signal);
    parsed = parseJudgeAnswer(answer, judge.labels);
  }
  return parsed.ok ? { ...parsed.value, by: 'architect' } : { pick: '', reasons: parsed.error, by: 'facts' };
}
