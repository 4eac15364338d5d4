// The Architect's answers to TODO(architect) questions asked while a run was open, kept in the
// run's folder as questions.json, so the next spec the Architect writes for that run knows them.
// The file is read as untrusted input (anyone can edit it): validated, bounded, and never
// overwritten when it cannot be read, so a hand edit gone wrong loses nothing.
import * as z from 'zod';
import type { RunStore } from '../workflow/runStore.js';

export const QUESTIONS_FILE = 'questions.json';
/** More answers than any run needs; beyond this the file is refused rather than sent whole to a model. */
export const MAX_ANSWERED_QUESTIONS = 200;
const MAX_TEXT = 20_000;

const AnsweredQuestionSchema = z.object({
  id: z.string().min(1).max(200),
  file: z.string().max(1000),
  line: z.number().int().min(1),
  question: z.string().max(MAX_TEXT),
  answer: z.string().max(MAX_TEXT),
  answeredAt: z.string().max(100),
});
export type AnsweredQuestion = z.infer<typeof AnsweredQuestionSchema>;

const QuestionsFileSchema = z.object({
  version: z.literal(1),
  questions: z.array(AnsweredQuestionSchema).max(MAX_ANSWERED_QUESTIONS),
});

export type AnsweredQuestions = { ok: true; questions: AnsweredQuestion[] } | { ok: false; error: string };

/** Parses questions.json's text; the error names what is wrong and where. */
export function parseAnsweredQuestions(text: string): AnsweredQuestions {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${QUESTIONS_FILE} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = QuestionsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the top level';
    return { ok: false, error: `${QUESTIONS_FILE} is not valid at ${where}: ${issue?.message ?? 'unknown problem'}` };
  }
  return { ok: true, questions: parsed.data.questions };
}

/** The run's answered questions; none when the file does not exist yet. */
export async function readAnsweredQuestions(store: RunStore, runId: string): Promise<AnsweredQuestions> {
  const text = await store.readArtifact(runId, QUESTIONS_FILE);
  return text === undefined ? { ok: true, questions: [] } : parseAnsweredQuestions(text);
}

/**
 * Adds (or replaces, by id) an answer. Throws, changing nothing, when the file on disk cannot be
 * read: the user's file stays as it is until they fix or delete it.
 */
export async function recordAnsweredQuestion(store: RunStore, runId: string, answered: AnsweredQuestion): Promise<void> {
  const entry = AnsweredQuestionSchema.parse({ ...answered, question: answered.question.slice(0, MAX_TEXT), answer: answered.answer.slice(0, MAX_TEXT) });
  await rewrite(store, runId, (questions) => [...questions.filter((question) => question.id !== entry.id), entry].slice(-MAX_ANSWERED_QUESTIONS));
}

/** Drops an answer the user dismissed, so it is not carried into the next spec. */
export async function forgetAnsweredQuestion(store: RunStore, runId: string, id: string): Promise<void> {
  await rewrite(store, runId, (questions) => questions.filter((question) => question.id !== id));
}

async function rewrite(store: RunStore, runId: string, change: (questions: AnsweredQuestion[]) => AnsweredQuestion[]): Promise<void> {
  const current = await readAnsweredQuestions(store, runId);
  if (!current.ok) throw new Error(`${current.error} (in ${store.artifactPath(runId, QUESTIONS_FILE)}). Fix or delete the file; it was left as it is.`);
  await store.writeArtifact(runId, QUESTIONS_FILE, `${JSON.stringify({ version: 1, questions: change(current.questions) }, null, 2)}\n`);
}

/**
 * What the spec phase carries into the Architect's next spec: the answers, or, when questions.json
 * cannot be read, none and a warning saying why (the spec is still written).
 */
export async function answeredQuestionsForSpec(store: RunStore, runId: string): Promise<{ answeredQuestions?: AnsweredQuestion[]; warning?: string }> {
  const answered = await readAnsweredQuestions(store, runId);
  if (!answered.ok) return { warning: `The answered TODO(architect) questions were left out of the spec: ${answered.error}` };
  return answered.questions.length ? { answeredQuestions: answered.questions } : {};
}
