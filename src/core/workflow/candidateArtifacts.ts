// A competing candidate's work, kept in the run's folder as candidates/<label>.json once it ends:
// each file it changed (before and after) and its specs' outcomes. Its copy is removed then, so a
// reloaded window, the judge, the panel's diffs and the apply all read this, never the copy.
import { createTwoFilesPatch } from 'diff';
import * as z from 'zod';
import { messageOf } from './errorMessage.js';
import { BatchSpecOutcomeSchema, CandidateLabelSchema } from './runState.js';
import type { RunStore } from './runStore.js';

export const CandidateWorkSchema = z.object({
  label: CandidateLabelSchema,
  /** Sorted by path; null: the file did not exist (before) or was deleted (after). */
  files: z.array(z.object({ path: z.string(), before: z.string().nullable(), after: z.string().nullable() })),
  outcomes: z.array(BatchSpecOutcomeSchema),
});
export type CandidateWorkFile = z.infer<typeof CandidateWorkSchema>;

const fileOf = (label: string): string => `candidates/${label}.json`;

export async function saveCandidateWork(store: RunStore, runId: string, work: CandidateWorkFile): Promise<void> {
  await store.writeArtifact(runId, fileOf(work.label), `${JSON.stringify(work, null, 2)}\n`);
}

/** The saved work of a candidate; a missing or damaged file is an error that names it. */
export async function readCandidateWork(store: RunStore, runId: string, label: string): Promise<CandidateWorkFile> {
  const file = fileOf(CandidateLabelSchema.parse(label));
  const text = await store.readArtifact(runId, file);
  if (text === undefined) throw new Error(`${file} of run ${runId} is missing, so candidate ${label}'s changes are not known.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} of run ${runId} is not valid JSON (${messageOf(error)}); it was left as it is.`, { cause: error });
  }
  const parsed = CandidateWorkSchema.safeParse(json);
  if (!parsed.success || parsed.data.label !== label) throw new Error(`${file} of run ${runId} is damaged; it was left as it is.`);
  return parsed.data;
}

/** A file as it was and as a Coder left it; null: absent. */
export interface FileBeforeAfter {
  path: string;
  before: string | null;
  after: string | null;
}

/** Unified diffs of a candidate's (or any Coder's) files, each cut at `perFileChars` and the whole at `totalChars`. */
export function candidateDiff(work: { files: readonly FileBeforeAfter[] }, perFileChars = 12_000, totalChars = 40_000): string {
  let text = '';
  for (const file of work.files) {
    let patch = createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, file.before ?? '', file.after ?? '', '', '', { context: 3 });
    if (patch.length > perFileChars) patch = `${patch.slice(0, perFileChars)}\n… (the diff of ${file.path} is cut here: ${patch.length} characters in all)\n`;
    if (text.length + patch.length > totalChars) return `${text}… (${work.files.length} files in all; the rest is cut to keep the request small)\n`;
    text += patch;
  }
  return text;
}
