// The Architect's answers to TODO(architect) markers that the user has neither applied nor
// dismissed, kept in the window's workspace storage so a reload does not throw them away (each
// cost a model call). Read back as untrusted data: an entry that does not validate is dropped,
// not trusted, and the list is bounded so it cannot grow without end.
import * as z from 'zod';

export const SAVED_ANSWERS_KEY = 'dualModel.questionAnswers';
/** More unapplied answers than anyone keeps; the oldest go first. */
export const MAX_SAVED_ANSWERS = 100;
const MAX_TEXT = 20_000;

const SavedAnswerSchema = z.object({
  /** The file's URI, as VS Code prints it. */
  uri: z.string().min(1).max(2000),
  question: z.string().max(MAX_TEXT),
  answer: z.string().max(MAX_TEXT),
  architect: z.string().max(200),
  runId: z.string().max(200).optional(),
  answeredAt: z.string().max(100),
});
export type SavedAnswer = z.infer<typeof SavedAnswerSchema>;

/** The valid entries of what the storage holds (anything else: none). */
export function parseSavedAnswers(raw: unknown): SavedAnswer[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    const parsed = SavedAnswerSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

const sameMarker = (entry: SavedAnswer, uri: string, question: string): boolean => entry.uri === uri && entry.question === question;

/** The list with this answer in place of any earlier one to the same marker, newest last, bounded. */
export function withSavedAnswer(saved: readonly SavedAnswer[], answer: SavedAnswer): SavedAnswer[] {
  const entry = { ...answer, question: answer.question.slice(0, MAX_TEXT), answer: answer.answer.slice(0, MAX_TEXT) };
  return [...saved.filter((other) => !sameMarker(other, answer.uri, answer.question)), entry].slice(-MAX_SAVED_ANSWERS);
}

export function withoutSavedAnswer(saved: readonly SavedAnswer[], uri: string, question: string): SavedAnswer[] {
  return saved.filter((entry) => !sameMarker(entry, uri, question));
}
