// What run.json holds: the state plus everything a person (or a reloaded window) needs to pick
// the run up again. Versioned, so a file from a future version is refused with a clear message
// instead of being half-understood.
import * as z from 'zod';
import { messageOf } from './errorMessage.js';
import { RoleSnapshotSchema } from './roleSnapshot.js';
import { RunModeSchema } from './runMode.js';
import { CompetitionStateSchema, RunStateSchema, VerificationCheckSchema } from './runState.js';

export const RUN_SCHEMA_VERSION = 1;

const UsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  thinkingTokens: z.number(),
});

/** One request to a model, as it happened: each Coder turn, each repair, each identity check. */
export type VerificationCheck = z.infer<typeof VerificationCheckSchema>;

export const ModelCallSchema = z.object({
  /** When the call started. */
  at: z.string(),
  phase: z.string(),
  /** The request's purpose: spec, implement, review or identity. */
  purpose: z.string(),
  /** The model that answered: after a fall-over, the role's fallback rather than its model. */
  provider: z.string(),
  modelId: z.string(),
  displayName: z.string(),
  usage: UsageSchema,
  /** Time spent waiting on the model, retries and a fall-over included. */
  durationMs: z.number(),
  /** 'ok', or the ModelErrorKind that ended the call ('overloaded', 'cancelled', …), or 'error'. */
  outcome: z.string(),
  /** The first line of the error, when the call failed. */
  error: z.string().optional(),
  /**
   * US dollars, priced when the call was made from the table then in force (built-in, dated, with
   * the user's dualModel.prices over it). Stored rather than recomputed because prices change:
   * a run from last month should keep showing what its calls cost then. Absent when the model
   * had no price; the panel then prices the call from today's table.
   */
  costUsd: z.number().optional(),
  /** The host the request went to ("api.anthropic.com", "VS Code", "offline demo"). */
  host: z.string().max(300).optional(),
  /** The key sent with it, masked ("••••3f9a"); absent when none was. */
  key: z.string().max(40).optional(),
  /** Competitive mode: the candidate ("A", "B", …) whose Coder made the call. */
  candidate: z.string().max(8).optional(),
  /** Division of labour: the spec's copy ("spec-02") whose Coder made the call. */
  seat: z.string().max(40).optional(),
});
export type ModelCall = z.infer<typeof ModelCallSchema>;

export const RunRecordSchema = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  runId: z.string(),
  request: z.string(),
  /** The editor selection the user started from, if any. */
  selection: z.object({ file: z.string(), startLine: z.number().int(), text: z.string() }).optional(),
  /** Workspace files the user added to the Architect's context (read afresh for each spec). */
  contextFiles: z.array(z.string()).optional(),
  /** The file in the active editor when the run started, and the cursor's line (read afresh for each spec). */
  activeFile: z.object({ file: z.string(), line: z.number().int() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped on every save; a writer that lost a race finds out instead of overwriting. */
  revision: z.number().int().nonnegative(),
  roles: z.object({ architect: RoleSnapshotSchema, coder: RoleSnapshotSchema }),
  /** How the Coder work is shared out (absent: one Coder, as in runs from before modes). */
  mode: RunModeSchema.optional(),
  state: RunStateSchema,
  /** Spec versions in order; the newest is code_spec.md, earlier ones stay in versions/. */
  specs: z.array(z.object({ version: z.number().int().positive(), createdAt: z.string(), specId: z.string(), batchFiles: z.array(z.string()).optional() })),
  reports: z.array(
    z.object({
      version: z.number().int().positive(),
      createdAt: z.string(),
      specVersion: z.number().int().positive(),
      /** How each verification command's last run ended, as the workspace said (absent in older runs). */
      checks: z.array(VerificationCheckSchema).optional(),
    }),
  ),
  decisions: z.array(
    z.object({ at: z.string(), recommended: z.string(), decided: z.string(), notes: z.string().optional() }),
  ),
  /** Every transition; `detail` says who or why (the model that answered, the error, the notes). */
  history: z.array(z.object({ at: z.string(), from: z.string(), event: z.string(), to: z.string(), detail: z.string().optional() })),
  usage: z.record(z.string(), UsageSchema),
  /**
   * Where the time of each automatic phase went: waiting on the model, on the verification, and
   * the rest (the extension's own overhead). Absent in files from before it was recorded.
   */
  timings: z
    .array(z.object({ phase: z.string(), at: z.string(), wallMs: z.number(), modelMs: z.number(), verificationMs: z.number() }))
    .default([]),
  /** Every model call in order. Absent in files from before it was recorded. */
  calls: z.array(ModelCallSchema).default([]),
  /** Competitive passes that ended in a report: their candidates, the judge's pick and the one applied (the panel shows the newest). */
  competitions: z.array(CompetitionStateSchema.extend({ specVersion: z.number().int().positive(), reportVersion: z.number().int().positive() })).optional(),
  /** Questions the user asked the Architect about a spec at the HARD STOP, and its answers. */
  specQuestions: z.array(z.object({ at: z.string(), specVersion: z.number().int().positive(), question: z.string().max(20_000), answer: z.string() })).optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export type LoadedRun =
  | { ok: true; record: RunRecord }
  | { ok: false; runId: string; error: string };

/** Parses run.json text; every failure says what is wrong and leaves the file alone. */
export function parseRunRecord(runId: string, text: string): LoadedRun {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, runId, error: `run.json is not valid JSON (${messageOf(error)}); the run was left as it is for inspection.` };
  }
  const version = typeof json === 'object' && json !== null ? (json as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== RUN_SCHEMA_VERSION) {
    return {
      ok: false,
      runId,
      error: `run.json has schema version ${JSON.stringify(version)}, this extension reads version ${RUN_SCHEMA_VERSION}; the run was left as it is. ${typeof version === 'number' && version > RUN_SCHEMA_VERSION ? 'Update the extension to open it.' : ''}`.trim(),
    };
  }
  const parsed = RunRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(root)' : '(root)';
    return { ok: false, runId, error: `run.json is damaged at "${where}": ${issue?.message ?? 'invalid'}; the run was left as it is for inspection.` };
  }
  if (parsed.data.runId !== runId) {
    return { ok: false, runId, error: `run.json names run "${parsed.data.runId}" but lives in folder "${runId}".` };
  }
  return { ok: true, record: parsed.data };
}
