// The key pool's figures of `npm run bench` (plain Node):
//   (a) the scheduler's own cost per request: acquire + settle with room available, 10,000
//       rounds, median and p95, in memory and with the counters file the extension uses;
//   (b) throughput over a pool of 4 keys in 2 quota groups against the fake Anthropic server in
//       auto mode (which enforces the groups' limits itself and counts its 429s), as a fraction
//       of the theoretical maximum (each group's limit per window, times the windows of the run),
//       side by side with a naive fan-out (every task at once, keys round-robin, the SDK's own
//       retries) on the same fakes. The "minute" is scaled down to a short window, so the run
//       takes seconds; the pool and the fakes take the window length as a parameter.
import { Anthropic } from '@anthropic-ai/sdk';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { UsableKey } from '../../src/core/keyvault/apiKeys.js';
import { KeyPool } from '../../src/core/keyvault/keyPool.js';
import { pooledModelClient } from '../../src/core/keyvault/pooledModelClient.js';
import type { ModelClient, ModelRequest } from '../../src/core/models/modelClient.js';
import { createAnthropicClient } from '../../src/providers/anthropic/anthropicModelClient.js';
import { UsageDirectory } from '../../src/node/usageDirectory.js';
import { startFakeAnthropicServer } from '../fakes/anthropicServer.js';
import { FakeLimits } from '../fakes/fakeLimits.js';

const percentile = (values: number[], fraction: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * fraction))] ?? 0;
const ms = (value: number): string => `${value.toFixed(4)} ms`;

/** Four keys in two quota groups: the swarm bench (swarmBench.ts) uses the same. */
export const keys: UsableKey[] = [
  { id: 'k1', key: 'sk-bench-key-one-00000000000', group: 'g1' },
  { id: 'k2', key: 'sk-bench-key-two-00000000000', group: 'g1' },
  { id: 'k3', key: 'sk-bench-key-three-000000000', group: 'g2' },
  { id: 'k4', key: 'sk-bench-key-four-0000000000', group: 'g2' },
];

async function overhead(label: string, pool: KeyPool, rounds: number): Promise<void> {
  const signal = new AbortController().signal;
  const times: number[] = [];
  for (let round = 0; round < rounds + 500; round += 1) {
    const started = performance.now();
    const lease = await pool.acquire({ provider: 'anthropic', model: 'bench', estimatedTokens: 100 }, signal);
    lease.settle({ kind: 'ok', tokens: 90 });
    // The first 500 warm the JIT up.
    if (round >= 500) times.push(performance.now() - started);
  }
  console.log(`${label}: median ${ms(percentile(times, 0.5))}, p95 ${ms(percentile(times, 0.95))} over ${rounds.toLocaleString('en')} rounds (goal ≤ 0.1 ms)`);
}

async function schedulerOverhead(): Promise<void> {
  console.log('\n## Key pool: scheduler overhead per request (acquire + settle, room available, 4 keys in 2 groups)');
  const limitsFor = (): { rpm: number; tpm: number; rpd: number } => ({ rpm: 1e9, tpm: 1e12, rpd: 1e9 });
  const memory = new KeyPool({ keys: () => keys, limitsFor });
  await overhead('in memory', memory, 10_000);
  memory.dispose();
  const directory = await mkdtemp(path.join(tmpdir(), 'dual-model-pool-bench-'));
  try {
    const onDisk = new KeyPool({ keys: () => keys, limitsFor, store: new UsageDirectory(directory) });
    // A second window on the same machine, so every decision also looks at another's file.
    const other = new KeyPool({ keys: () => keys, limitsFor, store: new UsageDirectory(directory) });
    (await other.acquire({ provider: 'anthropic', model: 'bench', estimatedTokens: 1 }, new AbortController().signal)).settle({ kind: 'ok' });
    other.flush();
    await overhead('with the counters directory (saved every 50 ms, another window\'s file present)', onDisk, 10_000);
    onDisk.dispose();
    other.dispose();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export interface RunFigures {
  served: number;
  rateLimited: number;
  failed: number;
}

const request: ModelRequest = { purpose: 'implement', system: 'bench', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], thinking: 'none', maxOutputTokens: 16 };

/** Runs `tasks` tasks for `runMs`, counting those answered in time, then cancels the rest. */
export async function timedRun(tasks: number, runMs: number, task: (signal: AbortSignal) => Promise<void>): Promise<{ served: number; failed: number }> {
  const abort = new AbortController();
  const started = performance.now();
  let served = 0;
  let failed = 0;
  const all = Array.from({ length: tasks }, () =>
    task(abort.signal).then(
      () => {
        if (performance.now() - started <= runMs) served += 1;
      },
      () => {
        if (!abort.signal.aborted) failed += 1;
      },
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, runMs));
  abort.abort();
  await Promise.all(all);
  return { served, failed };
}

async function throughput(): Promise<void> {
  const windowMs = 2000;
  const windows = 5;
  const perGroup = 40;
  const latencyMs = 20;
  const runMs = windows * windowMs;
  const groups = new Set(keys.map((key) => key.group)).size;
  const maximum = windows * perGroup * groups;
  const tasks = (windows + 1) * perGroup * groups;
  console.log(`\n## Key pool: throughput over ${keys.length} keys in ${groups} quota groups (fake Anthropic in auto mode, real SDK)`);
  console.log(`("minute" scaled to a ${windowMs / 1000} s window; ${perGroup} requests per window per group; answers take ${latencyMs} ms; run ${runMs / 1000} s = ${windows} windows, ${tasks} tasks queued at once; theoretical maximum ${maximum} answers)`);
  const fakeGroups = Object.fromEntries(keys.map((key) => [key.key, key.group ?? key.id]));

  const pooled = async (known: boolean): Promise<RunFigures> => {
    const server = await startFakeAnthropicServer();
    const limits = new FakeLimits({ groups: fakeGroups, limits: { default: { rpm: perGroup } }, windowMs, tokensPerRequest: 10 });
    server.auto({ limits, latencyMs });
    // Unknown limits (until the model registry supplies them): the pool learns them from 429s.
    const pool = new KeyPool({ keys: () => keys, limitsFor: () => (known ? { rpm: perGroup } : {}), windowMs });
    const clients = new Map<string, ModelClient>();
    const client = pooledModelClient({
      pool,
      provider: 'anthropic',
      info: { provider: 'anthropic', modelId: 'bench', displayName: 'bench', isDemo: false },
      host: 'fake',
      clientFor: (key) => {
        let made = clients.get(key.id);
        if (!made) {
          made = createAnthropicClient({ apiKey: key.key, baseUrl: server.url, modelId: 'bench', displayName: 'bench', requestTimeoutMs: 60_000 });
          clients.set(key.id, made);
        }
        return made;
      },
      estimateTokens: () => 10,
    });
    const run = await timedRun(tasks, runMs, async (signal) => {
      for await (const event of client.stream(request, signal)) void event;
    });
    pool.dispose();
    await server.close();
    return { ...run, rateLimited: limits.rateLimited };
  };

  const print = (label: string, figures: RunFigures): void => {
    console.log(`${label}: ${figures.served} answered in the run = ${((100 * figures.served) / maximum).toFixed(1)}% of the maximum; 429s sent by the fake: ${figures.rateLimited}; tasks failed: ${figures.failed}`);
  };
  print('key pool, limits known  ', await pooled(true));
  print('key pool, limits unknown', await pooled(false));
  print('naive fan-out           ', await naiveFanOut({ tasks, runMs, perGroup, windowMs, latencyMs }));
  console.log('(goal for the pool: ≥ 95% with zero 429s)');
}

export interface FanOutShape {
  tasks: number;
  runMs: number;
  perGroup: number;
  windowMs: number;
  latencyMs: number;
}

/** Every task at once, keys round-robin, the SDK's own retries: what a tool without the pool does. */
export async function naiveFanOut(shape: FanOutShape): Promise<RunFigures> {
  const { tasks, runMs, perGroup, windowMs, latencyMs } = shape;
  const fakeGroups = Object.fromEntries(keys.map((key) => [key.key, key.group ?? key.id]));
  const server = await startFakeAnthropicServer();
  const limits = new FakeLimits({ groups: fakeGroups, limits: { default: { rpm: perGroup } }, windowMs, tokensPerRequest: 10 });
  server.auto({ limits, latencyMs });
  const sdks = keys.map((key) => new Anthropic({ apiKey: key.key, baseURL: server.url, maxRetries: 2, logLevel: 'off' }));
  let next = 0;
  const run = await timedRun(tasks, runMs, async (signal) => {
    const sdk = sdks[next++ % sdks.length];
    if (!sdk) return;
    const stream = await sdk.messages.create({ model: 'bench', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal });
    for await (const event of stream) void event;
  });
  await server.close();
  return { ...run, rateLimited: limits.rateLimited };
}

export async function keyPoolFigures(): Promise<void> {
  await schedulerOverhead();
  await throughput();
}
