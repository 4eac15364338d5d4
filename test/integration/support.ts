// What the in-host suites share: the extension's API, and waiting for a run to reach a phase.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeReport } from '../../src/core/artifacts/codeReport';
import { parseCodeReport } from '../../src/core/artifacts/codeReport';
import type { DualModelApi } from '../../src/extension';
import type { RunRecord } from '../../src/core/workflow/runRecord';
import type { Phase } from '../../src/core/workflow/runState';
import { waitUntil } from '../support/waitUntil';

export const EXTENSION_ID = 'dual-model.dual-model-orchestration';

export async function api(): Promise<DualModelApi> {
  const extension = vscode.extensions.getExtension<DualModelApi>(EXTENSION_ID);
  assert.ok(extension, 'the extension is installed');
  return extension.isActive ? extension.exports : extension.activate();
}

/** Resolves when the run is in `phase` (in review: with its verdict); throws if it failed. */
export async function waitFor(dm: DualModelApi, runId: string, phase: Phase, timeoutMs = 60_000): Promise<void> {
  // A poll: the extension's API announces no run changes, and tests should not need one added.
  await waitUntil(
    () => {
      const state = dm.getRun(runId)?.state;
      if (state?.phase === 'failed' && phase !== 'failed') throw new Error(`run failed: ${state.error}`);
      return state?.phase === phase && (phase !== 'architect-review' || (state.phase === 'architect-review' && state.verdict !== undefined));
    },
    () => `the run never reached ${phase}; it is in ${dm.getRun(runId)?.state.phase}`,
    timeoutMs,
  );
}

/**
 * Figures for `npm run bench`, not assertions: the extension's own time per automatic phase of a
 * finished run (wall − model − verification), tagged with the providers that played it.
 */
export function reportPhaseTimings(loop: string, run: RunRecord | undefined): void {
  for (const timing of run?.timings ?? []) {
    const overhead = timing.wallMs - timing.modelMs - timing.verificationMs;
    console.log(`DUALMODEL-BENCH loop=${loop} phase=${timing.phase} wallMs=${timing.wallMs} modelMs=${timing.modelMs} verificationMs=${timing.verificationMs} overheadMs=${overhead.toFixed(2)}`);
  }
}

/** Everything in the extension's log folder (the Dual-Model output channel among it), as one text. */
export async function readLogs(dm: DualModelApi): Promise<string> {
  const texts: string[] = [];
  for (const file of await fs.readdir(dm.logFolder, { recursive: true }).catch(() => [] as string[])) {
    texts.push(await fs.readFile(path.join(dm.logFolder, file), 'utf8').catch(() => ''));
  }
  return texts.join('\n');
}

/**
 * A planted key must appear in nothing the run left behind: its files, its state as the API
 * gives it, and the key list the commands answer with.
 */
export async function assertKeyLeftNoTrace(dm: DualModelApi, runId: string, provider: string, key: RegExp): Promise<void> {
  const runDir = dm.artifactsDir(runId) ?? '';
  const files = await fs.readdir(runDir, { recursive: true });
  assert.ok(files.includes('code_report.md'), 'the run got as far as its report');
  for (const file of files) {
    // Folders, and the lock the run released as it ended, have no text to search.
    const text = await fs.readFile(path.join(runDir, file), 'utf8').catch(() => '');
    assert.doesNotMatch(text, key, file);
  }
  assert.doesNotMatch(JSON.stringify(dm.getRun(runId)), key);
  assert.doesNotMatch(JSON.stringify(await vscode.commands.executeCommand('dualModel.listApiKeys', provider)), key);
}

/** The run's code_report.md, parsed (failing the test with the parser's errors if it does not parse). */
export async function readReport(dm: DualModelApi, runId: string): Promise<CodeReport> {
  const parsed = parseCodeReport(await fs.readFile(path.join(dm.artifactsDir(runId) ?? '', 'code_report.md'), 'utf8'));
  if (!parsed.ok) assert.fail(`code_report.md does not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.value;
}

/**
 * The user settings of a loop on the fakes: Claude Opus on the Anthropic fake as the Architect,
 * qwen3-coder (no fallback) on the OpenAI-compatible fake as the Coder, no demo. Returns the
 * settings that undo them, for the suite's after hook.
 */
export async function useFakeProviderSettings(anthropicUrl: string, openaiBaseUrl: string): Promise<Record<string, undefined>> {
  const values: Record<string, unknown> = {
    'architect.provider': 'anthropic',
    'architect.model': 'claude-opus-4-6',
    'architect.thinking': 'high',
    'anthropic.baseUrl': anthropicUrl,
    'coder.provider': 'openai-compatible',
    'coder.model': 'qwen3-coder',
    'coder.thinking': 'none',
    'coder.fallbackModel': '',
    'openaiCompatible.baseUrl': openaiBaseUrl,
    demoModels: 'never',
  };
  await setSettings(values);
  return Object.fromEntries(Object.keys(values).map((key) => [key, undefined]));
}

/** Sets user settings under dualModel.* (undefined removes one), one after another. */
export async function setSettings(values: Record<string, unknown>): Promise<void> {
  const settings = vscode.workspace.getConfiguration('dualModel');
  for (const [key, value] of Object.entries(values)) await settings.update(key, value, vscode.ConfigurationTarget.Global);
}
