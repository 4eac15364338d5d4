// Phase 1: the Architect writes the Code Spec (or a revision, or a redesign) from the request,
// the workspace's tree and the files the user named; one malformed answer gets one repair request.
import { confine } from '../coder/confinement.js';
import type { ChatMessage, ModelRequest } from '../models/modelClient.js';
import { modelTiers } from '../models/registry.js';
import type { WorkspaceContext } from '../prompts/prompts.js';
import { answeredQuestionsForSpec } from '../questions/answeredQuestions.js';
import { architectModeNote, architectSpecMessage, architectSystemPrompt, specRepairMessage } from '../prompts/prompts.js';
import type { PhaseContext } from './phaseContext.js';
import { ask, nowOf } from './phaseContext.js';
import type { RunRecord } from './runRecord.js';
import { parseSpecAnswer, specEntry } from './specVersions.js';
import type { Effect } from './transition.js';

export async function writeSpec(ctx: PhaseContext, runId: string, effect: Extract<Effect, { type: 'write-spec' }>, signal: AbortSignal): Promise<void> {
  const { deps, journal, specs: versions } = ctx;
  const record = journal.require(runId);
  const architect = ctx.meter.client(runId, 'architect-spec', deps.clientFor(record.roles.architect));
  const latest = record.specs.at(-1);
  const previousSpec = latest ? (await versions.load(record, latest.version).catch(() => undefined))?.markdown : undefined;
  const { answeredQuestions, warning } = await answeredQuestionsForSpec(deps.store, runId);
  if (warning) journal.setActivity(runId, { message: warning });
  const context: WorkspaceContext = {
    tree: await deps.workspaceTree(),
    ...(record.selection ? { selection: record.selection } : {}),
    files: await readContextFiles(ctx, record.contextFiles ?? []),
    ...(await readActiveFile(ctx, record)),
    ...(answeredQuestions ? { answeredQuestions } : {}),
  };
  const messages: ChatMessage[] = [
    { role: 'user', content: [{ type: 'text', text: specMessage(record, architectSpecMessage(record.request, context, effect.reason, effect.feedback, previousSpec)) }] },
  ];
  const request = (): ModelRequest => ({
    purpose: 'spec',
    system: architectSystemPrompt(record.roles.architect.displayName),
    messages,
    thinking: record.roles.architect.thinking,
    maxOutputTokens: deps.settings().maxOutputTokens,
  });
  let answer = await ask(journal, runId, architect, request(), signal);
  let parsed = parseSpecAnswer(answer);
  if (!parsed.ok) {
    // One automatic repair: models usually fix a format slip when shown the exact error.
    messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
    messages.push({ role: 'user', content: [{ type: 'text', text: specRepairMessage(parsed.error) }] });
    journal.setActivity(runId, { message: 'The spec was malformed; asking the Architect to repair it…' });
    answer = await ask(journal, runId, architect, request(), signal);
    parsed = parseSpecAnswer(answer);
  }
  if (!parsed.ok) throw new Error(`The Architect's Code Spec is still malformed after one repair request:\n${parsed.error}`);
  const specs = parsed.specs;
  const version = (record.specs.at(-1)?.version ?? 0) + 1;
  const files = await versions.save(runId, version, specs);
  await ctx.dispatch(runId, { type: 'spec-written', specVersion: version }, async (next) => {
    const updated = { ...next, specs: [...next.specs, specEntry(version, nowOf(deps), specs, files)] };
    await versions.promote(updated, version);
    return updated;
  });
}

/** A run shared among Coders asks for specs it can share out (see architectModeNote). */
function specMessage(record: RunRecord, message: string): string {
  const mode = record.mode?.mode;
  return mode === 'division' || mode === 'swarm' ? `${message}\n\n${architectModeNote(mode, modelTiers)}` : message;
}

/** The files the user added, confined to the workspace like the Coder's reads, each capped. */
async function readContextFiles(ctx: PhaseContext, paths: readonly string[]): Promise<{ path: string; text: string }[]> {
  const files: { path: string; text: string }[] = [];
  for (const raw of paths) {
    const file = await readContextFile(ctx, raw);
    if (file) files.push(file);
  }
  return files;
}

/** A workspace file as context: confined like the Coder's paths, long files cut. */
async function readContextFile(ctx: PhaseContext, raw: string): Promise<{ path: string; text: string } | undefined> {
  const where = await confine(ctx.deps.workspace, raw);
  if (!where.ok) return undefined;
  const text = await ctx.deps.workspace.read(where.relativePath);
  if (text === undefined) return undefined;
  return { path: where.relativePath, text: text.length > 100_000 ? `${text.slice(0, 100_000)}\n[… truncated …]` : text };
}

/** The file that was open in the editor, unless the user also added it (then it is there already). */
async function readActiveFile(ctx: PhaseContext, record: RunRecord): Promise<Pick<WorkspaceContext, 'activeFile'>> {
  const active = record.activeFile;
  if (!active || (record.contextFiles ?? []).includes(active.file)) return {};
  const file = await readContextFile(ctx, active.file);
  return file ? { activeFile: { ...file, line: active.line } } : {};
}
