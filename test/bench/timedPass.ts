// What the best-of-3 and division benches time: a run on a fresh copy of the sample workspace,
// from Model Confirmed at the HARD STOP before the Coders to the point the bench names (by
// default the HARD STOP back to the Architect, when the report is written).
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ModelClient } from '../../src/core/models/modelClient.js';
import type { RoleSnapshot } from '../../src/core/workflow/roleSnapshot.js';
import type { RunEngine } from '../../src/core/workflow/runEngine.js';
import type { RunMode } from '../../src/core/workflow/runMode.js';
import { NodeIsolatedCopies } from '../../src/node/isolatedCopies.js';
import { createEngine, sampleWorkspace, waitForPhase } from '../unit/support/engineHarness.js';

export interface TimedPass {
  roles: { architect: RoleSnapshot; coder: RoleSnapshot };
  mode: RunMode | undefined;
  clientFor: (role: RoleSnapshot) => ModelClient;
  /** Where the isolated copies go. */
  copiesBase: string;
  /** Resolves when the timed part is over; by default at the HARD STOP back to the Architect. */
  reached?: (engine: RunEngine, runId: string) => Promise<unknown>;
}

/** Milliseconds from the confirm to `reached`. */
export async function timedPass(pass: TimedPass): Promise<number> {
  const root = await sampleWorkspace();
  try {
    const { engine } = createEngine({ workspaceRoot: root, copies: new NodeIsolatedCopies(root, pass.copiesBase), clientFor: pass.clientFor });
    const run = await engine.start({ request: 'bench', roles: pass.roles, ...(pass.mode ? { mode: pass.mode } : {}) });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const started = performance.now();
    await engine.confirmModel(run.runId);
    await (pass.reached ?? ((reachedEngine, runId) => waitForPhase(reachedEngine, runId, 'hard-stop-to-architect', 120_000)))(engine, run.runId);
    const elapsed = performance.now() - started;
    await engine.dispose();
    return elapsed;
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
