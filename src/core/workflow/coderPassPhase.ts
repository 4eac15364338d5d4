// Phase 3: the Coder implements the approved spec set in the workspace, runs only the verification
// commands the user approved at the HARD STOP, and the pass ends in a Code Report whose facts
// (files changed, test and build results) come from the workspace, not from the Coder's word.
import { renderCodeSpec } from '../artifacts/codeSpec.js';
import { renderCodeReport } from '../artifacts/codeReport.js';
import { CoderToolbox } from '../coder/coderTools.js';
import { guardedPatterns } from '../coder/confinement.js';
import { artifactsRootIn } from '../coder/protectedPaths.js';
import { buildStatus, computeFileChanges, testStatus, unlistedChanges } from '../coder/reportFacts.js';
import { runCoderLoop } from '../coder/toolLoop.js';
import type { VerificationResult, VerificationRunner, WorkspaceFiles } from '../ports.js';
import { coderFirstMessage, coderSystemPrompt } from '../prompts/prompts.js';
import type { EngineDeps, PhaseContext } from './phaseContext.js';
import { nowOf, untrustedMessage } from './phaseContext.js';
import type { VerificationCheck } from './runRecord.js';
import type { Originals } from './specVersions.js';

export async function implement(ctx: PhaseContext, runId: string, specVersion: number, approvedCommands: readonly string[], signal: AbortSignal): Promise<void> {
  const { deps, journal, specs: versions } = ctx;
  // Every way into this phase ends here (a confirm, Retry, a resume after a reload), so the
  // rule holds even for the paths that checked nothing; the failure keeps the run's work and
  // Retry resumes the pass once the workspace is trusted.
  if (!deps.isTrusted()) throw new Error(untrustedMessage('press Retry'));
  const record = journal.require(runId);
  const set = await versions.load(record, specVersion);
  const settings = deps.settings();
  // After a reload mid-pass the originals on disk are the truth: files may already be edited.
  const originals: Originals = (await versions.readOriginals(runId, specVersion)) ?? new Map<string, string | undefined>();
  const rememberOriginals = (all: ReadonlyMap<string, string | undefined>): Promise<void> => versions.writeOriginals(runId, specVersion, all);
  // Files in originals.json already: a window reload cut this pass short and it starts again
  // in a new conversation. What the earlier one changed is named in each first message, so the
  // Coder reads those files before it edits them rather than redoing its work blind.
  const changedBeforeResume = originals.size > 0 ? computeFileChanges(originals, await readFiles(deps.workspace, originals.keys())) : undefined;
  const coder = ctx.meter.client(runId, 'coder-implement', deps.clientFor(record.roles.coder));
  const verifier = ctx.meter.verifier(runId, trustedVerifier(deps));
  const prose = { summaries: [] as string[], blockers: [] as string[], deviations: [] as string[] };
  const checks: { command: string; result: VerificationResult | undefined }[] = [];
  const refusals: string[] = [];
  // Batch mode: the specs are implemented one after another, without a review in between.
  for (const [index, spec] of set.specs.entries()) {
    const command = spec.verification.command;
    if (!approvedCommands.includes(command)) {
      throw new Error(`The verification command of ${set.files[index]} changed after the HARD STOP ("${command}"); confirm the spec again.`);
    }
    const toolbox = new CoderToolbox({
      workspace: trustedWorkspace(deps),
      verifier,
      guarded: guardedPatterns(spec.guardrails),
      approvedCommand: command,
      timeoutMs: settings.verificationTimeoutMs,
      maxVerificationRuns: settings.maxVerificationRuns,
      originals,
      rememberOriginals,
      signal,
      protectedPaths: { artifactsRoot: artifactsRootIn(deps.workspace.root, deps.store.root), namedInSpec: spec.files.map((file) => file.path) },
    });
    const label = set.specs.length > 1 ? ` (${index + 1}/${set.specs.length}: ${spec.specId})` : '';
    journal.setActivity(runId, { message: `The Coder is implementing the spec${label}…` });
    const loop = await runCoderLoop({
      client: coder,
      system: coderSystemPrompt(record.roles.coder.displayName),
      firstMessage: coderFirstMessage(renderCodeSpec(spec), changedBeforeResume),
      toolbox,
      thinking: record.roles.coder.thinking,
      maxTurns: settings.maxCoderTurns,
      maxOutputTokens: settings.maxOutputTokens,
      signal,
      onText: (text) => journal.emit({ type: 'stream', runId, text }),
      onTool: (name, input) => journal.setActivity(runId, { message: `Coder${label}: ${name}${typeof input.path === 'string' ? ` ${input.path}` : ''}` }),
    });
    // The report's facts need a verification of the final tree: run it again if the Coder
    // changed files after its last run, or never ran it.
    if (toolbox.changedSinceLastVerification(await readFiles(deps.workspace, originals.keys()))) {
      journal.setActivity(runId, { message: `Running the verification: ${command}` });
      await toolbox.runVerification();
    }
    checks.push({ command, result: toolbox.verificationRuns.at(-1) });
    refusals.push(...toolbox.refusals);
    const report = toolbox.report;
    prose.summaries.push(report?.summary ?? (loop.lastText.trim().slice(0, 2000) || `The Coder ended ${spec.specId} without submitting a report.`));
    prose.blockers.push(...(report?.blockers ?? []));
    prose.deviations.push(...(report?.deviations ?? []));
    if (loop.ended === 'budget') prose.deviations.push(`The Coder used its whole budget of ${settings.maxCoderTurns} turns on ${spec.specId} without finishing.`);
  }
  const changes = computeFileChanges(originals, await readFiles(deps.workspace, originals.keys()));
  const reportVersion = (record.reports.at(-1)?.version ?? 0) + 1;
  const markdown = renderCodeReport({
    specId: set.specs.map((spec) => spec.specId).join(', '),
    coder: record.roles.coder.displayName,
    completed: nowOf(deps),
    spec: versions.specLinks(set, specVersion),
    summary: prose.summaries.join('\n\n'),
    filesChanged: changes,
    ...reportChecks(checks),
    blockers: prose.blockers,
    deviations: [
      ...prose.deviations,
      ...unlistedChanges(changes, set.specs.flatMap((spec) => spec.files.map((file) => file.path))),
      ...refusals.map((refusal) => `Refused: ${refusal}.`),
    ],
  });
  await versions.saveReport(runId, specVersion, markdown);
  await ctx.dispatch(runId, { type: 'report-written', reportVersion }, async (next) => ({
    ...next,
    reports: [...next.reports, { version: reportVersion, createdAt: nowOf(deps), specVersion, checks: checks.map(checkOf) }],
  }));
}

/** The files as they are in the workspace now (undefined: the file does not exist). */
export async function readFiles(workspace: WorkspaceFiles, files: Iterable<string>): Promise<Map<string, string | undefined>> {
  const result = new Map<string, string | undefined>();
  for (const file of files) result.set(file, await workspace.read(file));
  return result;
}

/** The workspace as the Coder writes it: each write is refused once the workspace is not trusted. */
function trustedWorkspace(deps: EngineDeps): WorkspaceFiles {
  const workspace = deps.workspace;
  const isTrusted = deps.isTrusted;
  return {
    root: workspace.root,
    read: (file) => workspace.read(file),
    list: (folder) => workspace.list(folder),
    resolvedPath: (file) => workspace.resolvedPath(file),
    writeAll: (changes) => (isTrusted() ? workspace.writeAll(changes) : Promise.reject(new Error(untrustedMessage('press Retry')))),
  };
}

/** The verification as the Coder runs it: never run in an untrusted workspace. */
function trustedVerifier(deps: EngineDeps): VerificationRunner {
  return {
    run: (request) =>
      deps.isTrusted() ? deps.verifier.run(request) : Promise.resolve({ exitCode: undefined, output: '', timedOut: false, notRun: 'the workspace is not trusted (Restricted Mode)', durationMs: 0 }),
  };
}

/** The report's Test Results and Build Status from every verification of the pass. */
function reportChecks(checks: readonly { command: string; result: VerificationResult | undefined }[]) {
  const last = new Map(checks.map((check) => [check.command, check.result]));
  const entries = [...last.entries()];
  const single = entries.length === 1;
  const tests = entries.map(([command, result]) => testStatus(result, command));
  const builds = entries.map(([, result]) => buildStatus(result));
  const worstBuild = builds.find((build) => build.status === 'ERRORS') ?? builds.find((build) => build.status === 'WARNINGS') ?? builds[0];
  return {
    testOutput: entries
      .map(([command, result]) => `${single ? '' : `$ ${command}\n`}${result ? result.output : '(the verification command was not run)'}`)
      .join('\n\n'),
    testResult: tests.every((test) => test.status === 'PASS')
      ? { status: 'PASS' as const, details: tests.map((test) => test.details).join('; ') }
      : { status: 'FAIL' as const, details: tests.filter((test) => test.status === 'FAIL').map((test) => test.details).join('; ') },
    buildOutput: entries.map(([command, result]) => `$ ${command}\nexit code: ${String(result?.exitCode ?? 'none')}`).join('\n'),
    buildResult: worstBuild ?? { status: 'ERRORS' as const, details: 'no verification was run' },
  };
}

/** What run.json keeps of a command's last run (its output stays in the report). */
function checkOf({ command, result }: { command: string; result: VerificationResult | undefined }): VerificationCheck {
  if (!result) return { command, timedOut: false, notRun: 'the verification command was not run', durationMs: 0 };
  return {
    command,
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    timedOut: result.timedOut,
    ...(result.notRun ? { notRun: result.notRun } : {}),
    ...(result.sandbox ? { sandbox: result.sandbox } : {}),
    durationMs: Math.round(result.durationMs),
  };
}
