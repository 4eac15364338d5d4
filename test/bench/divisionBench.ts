// The division of labour's figures of `npm run bench` (plain Node, real copies, real
// verifications): three specs on separate files, each Coder a fake that takes a set time per
// answer, run as one division (side by side in copies, merged) against the same Coders one after
// another (a batch in the workspace) and against the slowest spec alone. Goal: the division
// within 1.3x of the slowest single.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ModelClient } from '../../src/core/models/modelClient.js';
import type { RoleSnapshot } from '../../src/core/workflow/roleSnapshot.js';
import type { RunMode } from '../../src/core/workflow/runMode.js';
import { demoClient, demoRoles } from '../unit/support/engineHarness.js';
import { constantCoder, constantSpecs } from './constantSpecs.js';
import { timedPass } from './timedPass.js';

/** Per answer of each spec's Coder (two answers: write, then report). */
const LATENCY_MS: Record<string, number> = { 'CS-1': 300, 'CS-2': 450, 'CS-3': 600 };
const ids = Object.keys(LATENCY_MS);

const role = (modelId: string): RoleSnapshot => ({ provider: 'bench', modelId, displayName: modelId, thinking: 'none', isDemo: false });
const coders = ['coder-a', 'coder-b', 'coder-c'].map(role);

/** The three specs, or only the one named. */
const specs = (only?: string): string => constantSpecs((only ? [only] : ids).map((id) => ({ id })));

/** Wall time from the confirm at the HARD STOP to the report. */
function passMs(answer: string, mode: RunMode | undefined, copiesBase: string): Promise<number> {
  const architect: ModelClient = {
    info: demoClient(demoRoles.architect).info,
    async *stream() {
      yield { type: 'text', text: answer };
      yield { type: 'done', stopReason: 'end' };
    },
  };
  return timedPass({
    roles: { architect: demoRoles.architect, coder: coders[0] ?? demoRoles.coder },
    mode,
    copiesBase,
    clientFor: (asked) => (asked.modelId === 'demo-architect' ? architect : constantCoder(asked, { latencyMs: (id) => LATENCY_MS[id] ?? 0 })),
  });
}

export async function divisionFigures(): Promise<void> {
  const base = await fs.mkdtemp(path.join(tmpdir(), 'dm-division-bench-'));
  try {
    const slowest = ids.reduce((a, b) => ((LATENCY_MS[a] ?? 0) >= (LATENCY_MS[b] ?? 0) ? a : b));
    const single = await passMs(specs(slowest), undefined, base);
    const sequential = await passMs(specs(), undefined, base);
    const division = await passMs(specs(), { mode: 'division', coders }, base);
    const ms = (value: number): string => `${value.toFixed(0)} ms`;
    console.log('\n## Division of labour (3 specs on separate files, fake Coders 300/450/600 ms per answer)');
    console.log(`- slowest spec alone: ${ms(single)}`);
    console.log(`- the three one after another (batch): ${ms(sequential)}`);
    console.log(`- the three as a division (copies, side by side, merged): ${ms(division)} = ${(division / single).toFixed(2)}x the slowest alone (goal ≤ 1.3x)`);
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}
