// What the in-host suites share: the extension's API, and waiting for a run to reach a phase.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DualModelApi } from '../../src/extension';
import type { RunRecord } from '../../src/core/workflow/runRecord';
import type { Phase } from '../../src/core/workflow/runState';

export const EXTENSION_ID = 'dual-model.dual-model-orchestration';

export async function api(): Promise<DualModelApi> {
  const extension = vscode.extensions.getExtension<DualModelApi>(EXTENSION_ID);
  assert.ok(extension, 'the extension is installed');
  return extension.isActive ? extension.exports : extension.activate();
}

/** Resolves when the run is in `phase` (in review: with its verdict); throws if it failed. */
export async function waitFor(dm: DualModelApi, runId: string, phase: Phase, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = dm.getRun(runId)?.state;
    if (state?.phase === phase && (phase !== 'architect-review' || (state.phase === 'architect-review' && state.verdict))) return;
    if (state?.phase === 'failed') throw new Error(`run failed: ${state.error}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${phase}; the run is in ${state?.phase}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
