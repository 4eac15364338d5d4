// Best-of-3's figures of `npm run bench` (plain Node, real copies, real verifications): one spec,
// three fake Coders that each take a set time per answer, as one competitive pass (side by side in
// their copies, up to the pick) against the same three Coders one after another and against the
// slowest alone. Goal: best-of-3 within 1.3x of the slowest single candidate.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { renderCodeSpec } from '../../src/core/artifacts/codeSpec.js';
import type { ModelClient, ModelEvent, ModelRequest } from '../../src/core/models/modelClient.js';
import type { RoleSnapshot } from '../../src/core/workflow/roleSnapshot.js';
import type { RunMode } from '../../src/core/workflow/runMode.js';
import type { RunEngine } from '../../src/core/workflow/runEngine.js';
import { demoClient, demoRoles, waitForEngine } from '../unit/support/engineHarness.js';
import { timedPass } from './timedPass.js';

/** Per answer of each Coder (two answers: write, then report). */
const LATENCY_MS: Record<string, number> = { 'coder-a': 300, 'coder-b': 450, 'coder-c': 600 };
const role = (modelId: string): RoleSnapshot => ({ provider: 'bench', modelId, displayName: modelId, thinking: 'none', isDemo: false });
const coders = Object.keys(LATENCY_MS).map(role);

const spec = renderCodeSpec({
  title: 'Add the greeting',
  specId: 'CS-1',
  architect: 'bench',
  created: '2026-11-28T00:00:00Z',
  priority: 'P2',
  objective: 'Add the greeting.',
  files: [{ action: 'NEW', path: 'src/greeting.js', purpose: 'a constant', contents: ['a constant'] }],
  tests: [],
  guardrails: [],
  verification: { language: 'bash', command: `node -e "require('./src/greeting.js')"` },
  context: '',
});

/** A Coder that waits its latency, writes the file, then reports. */
function slowCoder(coder: RoleSnapshot): ModelClient {
  return {
    info: { provider: coder.provider, modelId: coder.modelId, displayName: coder.displayName, isDemo: false },
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      // The HARD STOP's identity check is answered as the demo would.
      if (request.purpose !== 'implement') return yield* demoClient(coder).stream(request, signal);
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS[coder.modelId] ?? 0));
      const turn = request.messages.filter((message) => message.role === 'assistant').length;
      const call = turn === 0 ? { name: 'write_file', input: { path: 'src/greeting.js', content: `module.exports = 'hello from ${coder.modelId}';\n` } } : { name: 'submit_report', input: { summary: 'done', blockers: [], deviations: [] } };
      yield { type: 'tool-call', id: `${coder.modelId}-${turn}`, name: call.name, input: call.input };
      yield { type: 'done', stopReason: 'tool-use' };
    },
  };
}

const architect: ModelClient = {
  info: demoClient(demoRoles.architect).info,
  async *stream(request: ModelRequest) {
    yield { type: 'text', text: request.purpose === 'judge' ? '{"pick":"A","reasons":"the smallest change that passes"}' : spec };
    yield { type: 'done', stopReason: 'end' };
  },
};

/** Wall time from the confirm at the HARD STOP to the report (single) or to the pick (competitive). */
function passMs(coder: RoleSnapshot, mode: RunMode | undefined, copiesBase: string): Promise<number> {
  const picked = (engine: RunEngine, runId: string): Promise<unknown> =>
    waitForEngine(
      engine,
      () => {
        const state = engine.get(runId)?.state;
        return state?.phase === 'coder-implement' && state.competition?.awaitingPick === true;
      },
      'the competition never came to the pick',
      120_000,
    );
  return timedPass({
    roles: { architect: demoRoles.architect, coder },
    mode,
    copiesBase,
    clientFor: (asked) => (asked.modelId === 'demo-architect' ? architect : slowCoder(asked)),
    ...(mode ? { reached: picked } : {}),
  });
}

export async function competitiveFigures(): Promise<void> {
  const base = await fs.mkdtemp(path.join(tmpdir(), 'dm-competitive-bench-'));
  try {
    const singles: number[] = [];
    for (const coder of coders) singles.push(await passMs(coder, undefined, base));
    const slowest = Math.max(...singles);
    const oneAfterAnother = singles.reduce((sum, value) => sum + value, 0);
    const bestOf3 = await passMs(coders[0] ?? demoRoles.coder, { mode: 'competitive', coders }, base);
    const ms = (value: number): string => `${value.toFixed(0)} ms`;
    console.log('\n## Best-of-3 (one spec, fake Coders 300/450/600 ms per answer, real copies and verifications)');
    console.log(`- each Coder alone in the workspace: ${singles.map(ms).join(' / ')}; slowest ${ms(slowest)}`);
    console.log(`- the three one after another: ${ms(oneAfterAnother)}`);
    console.log(`- best-of-3 (copies, side by side, ranked and judged, up to the pick): ${ms(bestOf3)} = ${(bestOf3 / slowest).toFixed(2)}x the slowest alone (goal ≤ 1.3x)`);
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}
