// Phase 5: the Architect reviews the Code Report against the spec and the files as they are now,
// and answers with a verdict (and, for "revisions needed", possibly the revised spec itself).
import { createTwoFilesPatch } from 'diff';
import type { ChatMessage, ModelRequest } from '../models/modelClient.js';
import { reviewMessage, reviewRepairMessage, reviewSystemPrompt } from '../prompts/prompts.js';
import { readFiles } from './coderPassPhase.js';
import { parseVerdictAnswer, verdictJsonSchema } from './modelAnswers.js';
import type { PhaseContext } from './phaseContext.js';
import { ask, nowOf } from './phaseContext.js';
import { parseSpecAnswer, specEntry } from './specVersions.js';

export async function review(ctx: PhaseContext, runId: string, reportVersion: number, signal: AbortSignal): Promise<void> {
  const { deps, journal, specs: versions } = ctx;
  const record = journal.require(runId);
  const report = record.reports.find((entry) => entry.version === reportVersion);
  if (!report) throw new Error(`Report version ${reportVersion} is not recorded.`);
  const specMarkdown = (await versions.load(record, report.specVersion)).markdown;
  const reportMarkdown = (await versions.readReport(runId, report.specVersion)) ?? '';
  const originals = (await versions.readOriginals(runId, report.specVersion)) ?? new Map<string, string | undefined>();
  const now = await readFiles(deps.workspace, originals.keys());
  const diffs: string[] = [];
  for (const [file, before] of originals) {
    const after = now.get(file) ?? '';
    if ((before ?? '') !== after) diffs.push(createTwoFilesPatch(`a/${file}`, `b/${file}`, before ?? '', after, '', '', { context: 3 }));
  }
  const architect = ctx.meter.client(runId, 'architect-review', deps.clientFor(record.roles.architect));
  const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: reviewMessage(specMarkdown, reportMarkdown, diffs.join('\n')) }] }];
  const request = (): ModelRequest => ({
    purpose: 'review',
    system: reviewSystemPrompt(record.roles.architect.displayName),
    messages,
    jsonSchema: verdictJsonSchema,
    // The spec and report are the stable prefix a repair request sends again.
    cacheablePrefix: 1,
    thinking: record.roles.architect.thinking,
    maxOutputTokens: deps.settings().maxOutputTokens,
  });
  let answer = await ask(journal, runId, architect, request(), signal);
  let verdict = parseVerdictAnswer(answer);
  let revised = verdict.ok && verdict.value.revisedSpec ? parseSpecAnswer(verdict.value.revisedSpec) : undefined;
  const problem = !verdict.ok ? verdict.error : revised && !revised.ok ? `the revised spec is malformed:\n${revised.error}` : undefined;
  if (problem) {
    messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
    messages.push({ role: 'user', content: [{ type: 'text', text: reviewRepairMessage(problem) }] });
    answer = await ask(journal, runId, architect, request(), signal);
    verdict = parseVerdictAnswer(answer);
    revised = verdict.ok && verdict.value.revisedSpec ? parseSpecAnswer(verdict.value.revisedSpec) : undefined;
  }
  if (!verdict.ok) throw new Error(`The Architect's review could not be read after one repair request: ${verdict.error}`);
  if (revised && !revised.ok) throw new Error(`The Architect's revised spec is malformed:\n${revised.error}`);
  let revisedSpecVersion: number | undefined;
  let revisedFiles: string[] = [];
  if (revised?.ok && verdict.value.outcome === 'revisions-needed') {
    revisedSpecVersion = (record.specs.at(-1)?.version ?? 0) + 1;
    revisedFiles = await versions.save(runId, revisedSpecVersion, revised.specs);
  }
  const value = verdict.value;
  const revisedSpecs = revised?.ok ? revised.specs : [];
  await ctx.dispatch(
    runId,
    {
      type: 'verdict-ready',
      verdict: {
        outcome: value.outcome,
        reasons: value.reasons,
        blockerAnswers: value.blockerAnswers,
        ...(revisedSpecVersion !== undefined ? { revisedSpecVersion } : {}),
      },
    },
    async (next) =>
      revisedSpecVersion === undefined ? next : { ...next, specs: [...next.specs, specEntry(revisedSpecVersion, nowOf(deps), revisedSpecs, revisedFiles)] },
  );
}
