// The swarm's figure of `npm run bench` (plain Node): tasks sent as kv.swarmGenerate calls over
// JSON-RPC to the real key vault, through the pool of keyPoolBench.ts (4 keys in 2 quota groups)
// to the fake Anthropic server in auto mode, as a fraction of the theoretical maximum (the sum of
// the groups' limits per window, times the windows of the run) with the 429s the fake sent; side
// by side with the naive fan-out of keyPoolBench.ts on the same fakes and the same shape.
import { KeyPool } from '../../src/core/keyvault/keyPool.js';
import { KeyVault } from '../../src/core/keyvault/keyVault.js';
import { builtInRegistry } from '../../src/core/models/builtInRegistry.js';
import { SpendLedger, type SpendRecord } from '../../src/core/models/spendLedger.js';
import { startKvServer } from '../../src/rpc/kvServer.js';
import { RpcToken } from '../../src/rpc/rpcToken.js';
import { startFakeAnthropicServer } from '../fakes/anthropicServer.js';
import { FakeLimits } from '../fakes/fakeLimits.js';
import { pooledClientsOverFakes } from '../support/pooledFakeClients.js';
import { keys, naiveFanOut, timedRun, type FanOutShape, type RunFigures } from './keyPoolBench.js';

/** Tasks per kv.swarmGenerate call: small, so a call ends soon after its tasks are served. */
const tasksPerCall = 4;

async function swarmThroughput(shape: FanOutShape): Promise<RunFigures> {
  const fakeGroups = Object.fromEntries(keys.map((key) => [key.key, key.group ?? key.id]));
  const server = await startFakeAnthropicServer();
  const limits = new FakeLimits({ groups: fakeGroups, limits: { default: { rpm: shape.perGroup } }, windowMs: shape.windowMs, tokensPerRequest: 10 });
  server.auto({ limits, latencyMs: shape.latencyMs });
  const pool = new KeyPool({ keys: (provider) => (provider === 'anthropic' ? keys : []), limitsFor: () => ({ rpm: shape.perGroup }), windowMs: shape.windowMs });
  const clientFor = pooledClientsOverFakes(pool, { anthropic: server.url }, { requestTimeoutMs: 60_000, estimateTokens: () => 10 });
  let record: SpendRecord | undefined;
  const ledger = new SpendLedger({ read: async () => record, write: async (next) => void (record = next) }, () => ({}), { now: () => new Date() });
  const vault = new KeyVault({ pool: () => pool, registry: () => builtInRegistry, clientFor, ledger, secrets: async () => keys.map((key) => key.key) });
  let stored: string | undefined;
  const token = new RpcToken({ get: async () => stored, store: async (value) => void (stored = value) });
  const bearer = await token.current();
  const rpcServer = await startKvServer({ service: vault, token });
  const calls = Math.ceil(shape.tasks / tasksPerCall);
  let served = 0;
  let failed = 0;
  // Each "task" of timedRun is one swarm call; its answered tasks are counted here.
  const run = await timedRun(calls, shape.runMs, async (signal) => {
    const response = await fetch(`${rpcServer.url}/rpc`, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'kv.swarmGenerate',
        params: { caller: 'bench', tasks: Array.from({ length: tasksPerCall }, (_, index) => ({ prompt: `Add a getter ${index}`, complexity: 'simple', max_tokens: 16 })) },
      }),
    });
    const answer = (await response.json()) as { result?: { summary: { succeeded: number; failed: number } } };
    served += answer.result?.summary.succeeded ?? 0;
    failed += answer.result?.summary.failed ?? tasksPerCall;
  });
  await rpcServer.close();
  pool.dispose();
  await server.close();
  // Calls that ended after the run are not counted (timedRun counts calls, not tasks).
  const inTime = run.served * tasksPerCall;
  return { served: Math.min(served, inTime), failed: failed + run.failed * tasksPerCall, rateLimited: limits.rateLimited };
}

export async function swarmFigures(): Promise<void> {
  const windowMs = 2000;
  const windows = 5;
  const perGroup = 40;
  const latencyMs = 20;
  const groups = new Set(keys.map((key) => key.group)).size;
  const maximum = windows * perGroup * groups;
  const shape: FanOutShape = { tasks: (windows + 1) * perGroup * groups, runMs: windows * windowMs, perGroup, windowMs, latencyMs };
  console.log(`\n## Key vault: kv.swarmGenerate throughput over ${keys.length} keys in ${groups} quota groups (JSON-RPC → KeyVault → pool → real Anthropic SDK → fake in auto mode)`);
  console.log(`("minute" scaled to a ${windowMs / 1000} s window; ${perGroup} requests per window per group; answers take ${latencyMs} ms; ${shape.tasks} tasks in calls of ${tasksPerCall}; theoretical maximum ${maximum} answers in ${shape.runMs / 1000} s)`);
  const print = (label: string, figures: RunFigures): void => {
    console.log(`${label}: ${figures.served} answered in the run = ${((100 * figures.served) / maximum).toFixed(1)}% of the maximum; 429s sent by the fake: ${figures.rateLimited}; tasks failed: ${figures.failed}`);
  };
  print('kv.swarmGenerate', await swarmThroughput(shape));
  print('naive fan-out   ', await naiveFanOut(shape));
}
