// Reading the judge's pick from whatever the Architect answered: a ```json fence, a bare object,
// "Candidate B", a lower-case letter. A letter that is not one of the candidates judged is refused.
import * as z from 'zod';
import type { Parsed } from './modelAnswers.js';
import { jsonObjectIn } from './modelAnswers.js';

const JudgeAnswerSchema = z.object({ pick: z.string(), reasons: z.string().default('') });

export function parseJudgeAnswer(answer: string, labels: readonly string[]): Parsed<{ pick: string; reasons: string }> {
  const found = jsonObjectIn(answer);
  if (!found.ok) return found;
  const parsed = JudgeAnswerSchema.safeParse(found.value);
  if (!parsed.success) return { ok: false, error: 'the object has no "pick" string' };
  const letter = /^\s*(?:candidate\s+)?([a-z])\s*$/i.exec(parsed.data.pick)?.[1]?.toUpperCase();
  if (!letter || !labels.includes(letter)) return { ok: false, error: `"pick" is ${JSON.stringify(parsed.data.pick.slice(0, 40))}, not one of ${labels.join(', ')}` };
  // Shown in the panel, kept in run.json and the report: pages are cut to a paragraph.
  return { ok: true, value: { pick: letter, reasons: parsed.data.reasons.trim().slice(0, 2000) } };
}
