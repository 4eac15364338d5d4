// The plain-Node half of `npm run bench` (scripts/bench.sh prints sizes and the real-host figures):
//   - parse + render of a 1 MB Code Spec,
//   - the engine's own overhead per phase of a whole demo loop: wall time minus the time spent
//     waiting on the (zero-latency) demo model and on the verification command,
//   - the verification sandbox's added cost: `node -e "0"` through runProcess, sandboxed against
//     unsandboxed, median of 5 each,
//   - the key vault RPC face's overhead per call (rpcBench.ts).
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCodeSpec, renderCodeSpec } from '../../src/core/artifacts/codeSpec.js';
import type { CodeSpec } from '../../src/core/artifacts/codeSpec.js';
import { runProcess } from '../../src/node/processRunner.js';
import type { SandboxChoice } from '../../src/node/sandbox.js';
import { createEngine, demoRoles, processVerifier, sampleWorkspace, waitForPhase } from '../unit/support/engineHarness.js';
import { questionFigures } from './questionsBench.js';
import { registryFigures } from './registryBench.js';
import { rpcFigures } from './rpcBench.js';
import { keyPoolFigures } from './keyPoolBench.js';
import { swarmFigures } from './swarmBench.js';
import { swarmRunFigures } from './swarmRunBench.js';
import { isolatedCopyFigures } from './isolatedCopiesBench.js';
import { divisionFigures } from './divisionBench.js';
import { competitiveFigures } from './competitiveBench.js';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number): string => `${value.toFixed(2)} ms`;

function bigSpec(targetBytes: number): CodeSpec {
  const files: CodeSpec['files'] = [];
  const spec: CodeSpec = {
    title: 'Large refactor',
    specId: 'CS-BENCH',
    architect: 'bench',
    created: '2026-11-25T00:00:00Z',
    priority: 'P1',
    objective: 'Exercise the parser on a large spec.',
    files,
    tests: [{ name: 'test_all', description: 'everything works', checked: false }],
    guardrails: ['do not touch `package.json`'],
    verification: { language: 'bash', command: 'npm test' },
    context: '',
  };
  let index = 0;
  while (renderCodeSpec(spec).length < targetBytes) {
    for (let i = 0; i < 50; i += 1, index += 1) {
      files.push({
        action: 'MODIFY',
        path: `src/module_${index}.ts`,
        function: `handler${index}`,
        change: `Rewrite handler ${index} to validate its input and return a typed result instead of throwing.`,
        signature: { language: 'ts', code: `export function handler${index}(input: Input${index}): Result<Output${index}, ValidationError>` },
        constraints: ['no new dependencies', 'keep the public name', `complete within ${index % 7} ms for 1k items`],
      });
    }
  }
  return spec;
}

async function parseRender(): Promise<void> {
  console.log('\n## Parse + render a 1 MB Code Spec');
  const markdown = renderCodeSpec(bigSpec(1024 * 1024));
  const rounds = 5;
  const parseTimes: number[] = [];
  const renderTimes: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    let started = performance.now();
    const parsed = parseCodeSpec(markdown);
    parseTimes.push(performance.now() - started);
    if (!parsed.ok) throw new Error('the bench spec did not parse');
    started = performance.now();
    renderCodeSpec(parsed.value);
    renderTimes.push(performance.now() - started);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  console.log(`size ${kib(markdown.length)}, ${rounds} rounds: parse median ${ms(median(parseTimes))}, render median ${ms(median(renderTimes))}, total ${ms(median(parseTimes) + median(renderTimes))}`);
}

async function loopOverhead(): Promise<void> {
  console.log('\n## Extension overhead per phase of a whole demo loop (zero-latency demo models, plain Node)');
  console.log('(automatic phases from run.json timings: wall − model − verification; human steps: the call until the state moved)');
  const rounds = 3;
  const figures = new Map<string, number[]>();
  const add = (label: string, value: number): void => {
    figures.set(label, [...(figures.get(label) ?? []), value]);
  };
  for (let round = 0; round < rounds; round += 1) {
    const root = await sampleWorkspace();
    const { engine } = createEngine({ workspaceRoot: root, verifier: processVerifier });
    const human = async (label: string, action: () => Promise<unknown>): Promise<void> => {
      const started = performance.now();
      await action();
      add(label, performance.now() - started);
    };
    const id = (await engine.start({ request: 'Add a slugify helper', roles: demoRoles })).runId;
    await waitForPhase(engine, id, 'hard-stop-to-coder');
    await human('Model Confirmed → Coder', () => engine.confirmModel(id));
    await waitForPhase(engine, id, 'hard-stop-to-architect');
    await human('Model Confirmed → Architect', () => engine.confirmModel(id));
    await waitForPhase(engine, id, 'architect-review');
    await human('decision: revisions needed', () => engine.decide(id, 'revisions-needed'));
    await waitForPhase(engine, id, 'hard-stop-to-coder');
    await engine.confirmModel(id);
    await waitForPhase(engine, id, 'hard-stop-to-architect');
    await engine.confirmModel(id);
    await waitForPhase(engine, id, 'architect-review');
    await human('decision: approved', () => engine.decide(id, 'approved'));
    const timings = engine.get(id)?.timings ?? [];
    const seen = new Map<string, number>();
    for (const timing of timings) {
      const pass = (seen.get(timing.phase) ?? 0) + 1;
      seen.set(timing.phase, pass);
      add(`${timing.phase} (pass ${pass})`, timing.wallMs - timing.modelMs - timing.verificationMs);
      if (round === rounds - 1) {
        console.log(`${`${timing.phase} (pass ${pass})`.padEnd(30)} wall ${ms(timing.wallMs).padStart(10)}  model ${ms(timing.modelMs).padStart(9)}  verification ${ms(timing.verificationMs).padStart(10)}`);
      }
    }
    await engine.dispose();
    await fs.rm(root, { recursive: true, force: true });
  }
  console.log(`\noverhead, median of ${rounds} loops:`);
  let loop = 0;
  for (const [label, values] of figures) {
    const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    loop += median;
    console.log(`${label.padEnd(30)} ${ms(median)}`);
  }
  console.log(`${'whole loop'.padEnd(30)} ${ms(loop)}`);
}

async function sandboxCost(): Promise<void> {
  console.log('\n## The verification sandbox\'s added cost (the same small command, runProcess, plain Node)');
  const rounds = 5;
  const command = `${JSON.stringify(process.execPath)} -e "0"`;
  const workspace = await fs.mkdtemp(path.join(tmpdir(), 'dual-model-bench-sandbox-'));
  try {
    const times = async (choice: SandboxChoice): Promise<{ median: number; how: string }> => {
      const values: number[] = [];
      let how = '';
      for (let round = 0; round < rounds; round += 1) {
        const started = performance.now();
        const result = await runProcess({ command, cwd: workspace, timeoutMs: 60_000, label: 'bench' }, () => undefined, { sandbox: choice });
        values.push(performance.now() - started);
        if (result.exitCode !== 0) throw new Error(`the bench command failed ${choice}: ${result.output}`);
        how = result.sandbox ?? choice;
      }
      return { median: [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0, how };
    };
    const unsandboxed = await times('unsandboxed');
    const sandboxed = await times('sandboxed');
    console.log(`\`node -e "0"\`, median of ${rounds}: unsandboxed ${ms(unsandboxed.median)}  sandboxed ${ms(sandboxed.median)} (${sandboxed.how})  added ${ms(sandboxed.median - unsandboxed.median)}`);
  } finally {
    await fs.rm(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`# Dual-Model benchmark — node ${process.version}, ${new Date().toISOString()}`);
  await parseRender();
  await loopOverhead();
  await sandboxCost();
  await questionFigures();
  await rpcFigures();
  await keyPoolFigures();
  await swarmFigures();
  await swarmRunFigures();
  await registryFigures();
  await isolatedCopyFigures();
  await divisionFigures();
  await competitiveFigures();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
