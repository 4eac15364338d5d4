// At the HARD STOP before the Coder, the user can discuss the spec with the Architect before
// confirming (Aider's users asked for it: #3085, #3153): a question and its answer, kept in
// run.json beside the spec version they are about, and, when the user wants, a revision of the
// spec written with what was said. The spec itself changes only through that revision (a new
// version, shown at a new HARD STOP), never by an answer.
import { discussionFeedback, specQuestionMessage, specQuestionSystemPrompt } from '../prompts/prompts.js';
import { messageOf } from './errorMessage.js';
import type { PhaseContext } from './phaseContext.js';
import { ask, nowOf } from './phaseContext.js';
import type { RunRecord } from './runRecord.js';

export const maxQuestionChars = 20_000;

export class SpecDiscussion {
  /** The question being answered per run, stopped by a cancel and when the window closes. */
  private readonly asking = new Map<string, AbortController>();

  constructor(private readonly ctx: PhaseContext) {}

  /** The questions and answers about the spec version the HARD STOP shows now. */
  static turnsOf(record: RunRecord): { question: string; answer: string }[] {
    const state = record.state;
    if (state.phase !== 'hard-stop-to-coder') return [];
    return (record.specQuestions ?? []).filter((turn) => turn.specVersion === state.specVersion).map(({ question, answer }) => ({ question, answer }));
  }

  /** Asks the Architect about the spec shown; the answer streams to the panel and is kept in run.json. */
  async ask(record: RunRecord, question: string): Promise<string> {
    const { deps, journal, specs } = this.ctx;
    const runId = record.runId;
    const state = record.state;
    const text = question.trim();
    if (state.phase !== 'hard-stop-to-coder') throw new Error('The spec can be discussed only at the HARD STOP before the Coder.');
    if (text === '') throw new Error('Write a question for the Architect first.');
    if (text.length > maxQuestionChars) throw new Error(`The question is longer than ${maxQuestionChars} characters.`);
    if (this.asking.has(runId) || journal.activityOf(runId).confirming) throw new Error('The Architect is busy with this run; wait for its answer.');
    const controller = new AbortController();
    this.asking.set(runId, controller);
    journal.setActivity(runId, { busy: true, message: 'The Architect is answering your question about the spec…', lastError: undefined });
    try {
      const set = await specs.load(record, state.specVersion);
      const architect = this.ctx.meter.client(runId, 'hard-stop-to-coder', deps.clientFor(record.roles.architect));
      const answer = (
        await ask(journal, runId, architect, {
          purpose: 'spec-question',
          system: specQuestionSystemPrompt(record.roles.architect.displayName),
          messages: [{ role: 'user', content: [{ type: 'text', text: specQuestionMessage(set.markdown, SpecDiscussion.turnsOf(record), text) }] }],
          thinking: record.roles.architect.thinking,
          maxOutputTokens: deps.settings().maxOutputTokens,
        }, controller.signal)
      ).trim();
      if (answer === '') throw new Error('The Architect returned an empty answer.');
      await journal.enqueue(runId, async () => {
        const now = journal.require(runId);
        // The run moved on meanwhile (another window confirmed it): the answer is not kept.
        if (now.state.phase !== 'hard-stop-to-coder' || now.state.specVersion !== state.specVersion) return;
        await journal.save(runId, { ...now, specQuestions: [...(now.specQuestions ?? []), { at: nowOf(deps), specVersion: state.specVersion, question: text, answer }] });
      });
      journal.setActivity(runId, { busy: false, message: '' });
      return answer;
    } catch (error) {
      journal.setActivity(runId, { busy: false, message: '', lastError: controller.signal.aborted ? undefined : `The Architect could not answer: ${messageOf(error)}` });
      throw error;
    } finally {
      if (this.asking.get(runId) === controller) this.asking.delete(runId);
    }
  }

  /** "Revise with these answers": back to the Architect for a new spec version written with the discussion. */
  async revise(record: RunRecord): Promise<void> {
    const turns = SpecDiscussion.turnsOf(record);
    if (turns.length === 0) throw new Error('Ask the Architect about the spec first: a revision is written from its answers.');
    if (this.asking.has(record.runId)) throw new Error('The Architect is still answering; wait for its answer.');
    await this.ctx.dispatch(record.runId, { type: 'spec-revision-requested', feedback: discussionFeedback(turns) });
  }

  stop(runId: string | undefined, reason: Error): void {
    if (runId !== undefined) this.asking.get(runId)?.abort(reason);
    else for (const controller of this.asking.values()) controller.abort(reason);
  }
}
