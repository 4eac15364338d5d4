// Turning what a model said into the protocol's documents. Models wrap answers in fences, add a
// sentence before them, or answer garbage; each case becomes a document or a precise error.
import * as z from 'zod';
import { messageOf } from './errorMessage.js';
import { ReviewOutcomeSchema } from './runState.js';

/** The Code Spec markdown inside an answer: from the first "# Code Spec" heading, unfenced. */
export function extractSpecMarkdown(answer: string): string {
  let text = answer.replace(/\r\n/g, '\n');
  // A spec wrapped in a ```markdown fence contains fences of its own (Signature, Verification
  // Command), so the wrapper closes at the LAST bare fence line of the same kind, not the first.
  const opening = /(?:^|\n)(`{3,}|~{3,})(?:markdown|md)?[ \t]*\n/.exec(text);
  if (opening?.[1]) {
    const bodyStart = opening.index + opening[0].length;
    const closing = text.lastIndexOf(`\n${opening[1]}`);
    const body = closing >= bodyStart ? text.slice(bodyStart, closing) : '';
    if (/^#\s*Code Spec/m.test(body) && !/^#\s*Code Spec/m.test(text.slice(0, opening.index))) text = body;
  }
  const start = text.search(/^#\s*Code Spec/m);
  return (start >= 0 ? text.slice(start) : text).trim() + '\n';
}

/** Batch mode: several specs separated by a line holding only "---" before the next "# Code Spec". */
export function splitBatch(markdown: string): string[] {
  const parts = markdown.split(/\n-{3,}\s*\n(?=\s*#\s*Code Spec)/);
  return parts.map((part) => part.trim() + '\n').filter((part) => part.trim() !== '');
}

const VerdictAnswerSchema = z.object({
  outcome: z.preprocess((value) => (typeof value === 'string' ? normaliseOutcome(value) : value), ReviewOutcomeSchema),
  reasons: z.string().default(''),
  blockerAnswers: z.array(z.object({ question: z.string(), answer: z.string() })).default([]),
  revisedSpec: z.string().optional(),
});
export type VerdictAnswer = z.infer<typeof VerdictAnswerSchema>;

function normaliseOutcome(value: string): string {
  const lowered = value.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '');
  if (lowered.startsWith('approv')) return 'approved';
  if (lowered.startsWith('revision')) return 'revisions-needed';
  if (lowered.includes('redesign')) return 'redesign';
  return value;
}

/** The verdict's shape for providers with structured output (the zod schema above is the check). */
export const verdictJsonSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    outcome: { type: 'string', enum: ['approved', 'revisions-needed', 'redesign'] },
    reasons: { type: 'string' },
    blockerAnswers: {
      type: 'array',
      items: { type: 'object', properties: { question: { type: 'string' }, answer: { type: 'string' } }, required: ['question', 'answer'] },
    },
    revisedSpec: { type: 'string' },
  },
  required: ['outcome', 'reasons', 'blockerAnswers'],
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A model's JSON object, from a ```json fence or from the first { to the last } of its answer. */
export function jsonObjectIn(answer: string): Parsed<unknown> {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(answer);
  const candidate = fenced?.[1] ?? answer.slice(answer.indexOf('{'), answer.lastIndexOf('}') + 1);
  if (!candidate.trim()) return { ok: false, error: 'the answer contains no JSON object' };
  try {
    return { ok: true, value: JSON.parse(candidate) as unknown };
  } catch (error) {
    return { ok: false, error: `the JSON is malformed (${messageOf(error)})` };
  }
}

/** Reads the review's JSON object from a ```json fence or from the first {...} in the answer. */
export function parseVerdictAnswer(answer: string): Parsed<VerdictAnswer> {
  const found = jsonObjectIn(answer);
  if (!found.ok) return found;
  const json = found.value;
  const parsed = VerdictAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `field "${issue?.path.join('.') || 'outcome'}": ${issue?.message ?? 'invalid'}` };
  }
  if (parsed.data.outcome === 'revisions-needed' && parsed.data.revisedSpec !== undefined && !parsed.data.revisedSpec.trim()) {
    return { ok: true, value: { ...parsed.data, revisedSpec: undefined } };
  }
  return { ok: true, value: parsed.data };
}
