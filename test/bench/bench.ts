// The plain-Node half of `npm run bench` (scripts/bench.sh prints sizes and the real-host figures):
//   - parse + render of a 1 MB Code Spec,
//   - the engine's own overhead per phase of a whole demo loop: wall time minus the time spent
//     waiting on the (zero-latency) demo model and on the verification command,
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseCodeSpec, renderCodeSpec } from '../../src/core/artifacts/codeSpec.js';
import type { CodeSpec } from '../../src/core/artifacts/codeSpec.js';
import type { ModelClient } from '../../src/core/models/modelClient.js';
import type { VerificationRunner } from '../../src/core/ports.js';
import type { Phase } from '../../src/core/workflow/runState.js';
import { createEngine, demoClient, demoRoles, processVerifier, sampleWorkspace, waitForPhase } from '../unit/support/engineHarness.js';

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

/** Time spent inside a model's stream and inside the verification, per phase. */
class Stopwatch {
  readonly waited = new Map<string, number>();
  phase = 'architect-spec';
  add(amount: number): void {
    this.waited.set(this.phase, (this.waited.get(this.phase) ?? 0) + amount);
  }
}

function timedClient(inner: ModelClient, watch: Stopwatch): ModelClient {
  return {
    info: inner.info,
    async *stream(request, signal) {
      const iterator = inner.stream(request, signal)[Symbol.asyncIterator]();
      for (;;) {
        const started = performance.now();
        const next = await iterator.next();
        watch.add(performance.now() - started);
        if (next.done) return;
        yield next.value;
      }
    },
  };
}

function timedVerifier(inner: VerificationRunner, watch: Stopwatch, totals: { verification: number }): VerificationRunner {
  return {
    async run(request) {
      const started = performance.now();
      const result = await inner.run(request);
      const spent = performance.now() - started;
      watch.add(spent);
      totals.verification += spent;
      return result;
    },
  };
}

async function loopOverhead(): Promise<void> {
  console.log('\n## Extension overhead per phase of a whole demo loop (zero-latency demo models, plain Node)');
  const rows: string[] = [];
  const runs = 3;
  const perPhase = new Map<string, number[]>();
  for (let round = 0; round < runs; round += 1) {
    const root = await sampleWorkspace();
    const watch = new Stopwatch();
    const totals = { verification: 0 };
    const { engine } = createEngine({
      workspaceRoot: root,
      clientFor: (role) => timedClient(demoClient(role), watch),
      verifier: timedVerifier(processVerifier, watch, totals),
    });
    const wall = new Map<string, number>();
    const timePhase = async (phase: string, action: () => Promise<unknown>, until: Phase, runId: () => string): Promise<void> => {
      watch.phase = phase;
      const started = performance.now();
      await action();
      await waitForPhase(engine, runId(), until);
      wall.set(phase, (wall.get(phase) ?? 0) + performance.now() - started);
    };
    let id = '';
    await timePhase('1 architect-spec', async () => {
      id = (await engine.start({ request: 'Add a slugify helper', roles: demoRoles })).runId;
    }, 'hard-stop-to-coder', () => id);
    await timePhase('2+3 confirm + coder (spec v1)', () => engine.confirmModel(id), 'hard-stop-to-architect', () => id);
    await timePhase('4+5 confirm + review (report v1)', () => engine.confirmModel(id), 'architect-review', () => id);
    await timePhase('review decision (revisions)', () => engine.decide(id, 'revisions-needed'), 'hard-stop-to-coder', () => id);
    await timePhase('2+3 confirm + coder (spec v2)', () => engine.confirmModel(id), 'hard-stop-to-architect', () => id);
    await timePhase('4+5 confirm + review (report v2)', () => engine.confirmModel(id), 'architect-review', () => id);
    await timePhase('review decision (approved)', () => engine.decide(id, 'approved'), 'approved', () => id);
    engine.dispose();
    await fs.rm(root, { recursive: true, force: true });
    for (const [phase, total] of wall) {
      const overhead = total - (watch.waited.get(phase) ?? 0);
      perPhase.set(phase, [...(perPhase.get(phase) ?? []), overhead]);
      if (round === runs - 1) rows.push(`${phase.padEnd(34)} wall ${ms(total).padStart(10)}  waiting ${ms(watch.waited.get(phase) ?? 0).padStart(10)}`);
    }
    if (round === runs - 1) console.log(`last round: verification runs took ${ms(totals.verification)} in all`);
  }
  console.log(rows.join('\n'));
  console.log(`\noverhead (wall − model − verification), median of ${runs} loops:`);
  let loop = 0;
  for (const [phase, values] of perPhase) {
    const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    loop += median;
    console.log(`${phase.padEnd(34)} ${ms(median)}`);
  }
  console.log(`${'whole loop'.padEnd(34)} ${ms(loop)}`);
}

async function main(): Promise<void> {
  console.log(`# Dual-Model benchmark — node ${process.version}, ${new Date().toISOString()}`);
  await parseRender();
  await loopOverhead();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
