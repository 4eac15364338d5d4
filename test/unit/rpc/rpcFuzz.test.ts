// A bounded fuzz run against /rpc: a few thousand bodies, some random JSON, most mutations of
// the seed's own calls (bytes flipped, cut, spliced with JSON tokens, values swapped for other
// types, batches of them). Whatever arrives, the server answers well-formed JSON-RPC (or nothing
// for notifications), within a bound, never a crash, never the canary key; and still works after.
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { startKvServer } from '../../../src/rpc/kvServer.js';
import type { KvServer } from '../../../src/rpc/kvServer.js';
import { RpcToken } from '../../../src/rpc/rpcToken.js';
import { within } from '../../support/waitUntil.js';
import { CANARY, KeyVaultDouble } from './keyVaultDouble.js';
import { json, rpc, send } from './rpcClient.js';

/** mulberry32: small, seeded, good enough to choose mutations reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261127;
const BODIES = 3000;

const seedCalls: unknown[] = [
  { jsonrpc: '2.0', method: 'kv.activeModels', id: 1 },
  { jsonrpc: '2.0', method: 'kv.modelRegistry', id: 4 },
  { jsonrpc: '2.0', method: 'kv.parallelGenerate', params: { caller: 'dual-model-orchestration', requests: [{ provider: 'google', model: 'gemini-3-pro-exp-0312', messages: [{ role: 'user', content: '...code spec...' }], system_prompt: 'You are a Rust expert.', temperature: 0.2, max_tokens: 8192 }] }, id: 2 },
  { jsonrpc: '2.0', method: 'kv.swarmGenerate', params: { tasks: [{ prompt: 'Add derive(Serialize) to the Config struct', label: 'config-derive', complexity: 'trivial' }, { prompt: 'Implement the connection pool', label: 'conn-pool', temperature: 0.1, max_tokens: 16384 }] }, id: 3 },
];
const tokens = ['', '"', '{', '}', '[', ']', ',', ':', 'null', 'true', '1e999', '-0', '"\\u0000"', '"\\ud800"', '"kv.activeModels"', '"kv.parallelGenerate"', '"2.0"', '"id"', '"auth"', '"__proto__"', '{"__proto__":{"polluted":1}}', '"constructor"', '9007199254740993', '[]', '{}', `"${CANARY}"`];
const oddValues: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, '', 'x'.repeat(300), [], {}, [1, 2], { a: 1 }, 'cap', 'crash', 'fails', 'leaks', 'no-key', 'kv.activeModels', 'kv.swarmGenerate', '__proto__', CANARY];

function mutateValue(value: unknown, random: () => number, depth = 0): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  if (random() < 0.15 || depth > 6) return pick(oddValues);
  if (Array.isArray(value)) {
    const copy = value.map((item) => (random() < 0.3 ? mutateValue(item, random, depth + 1) : item));
    if (random() < 0.2) copy.push(pick(oddValues));
    if (random() < 0.1) copy.splice(0, copy.length);
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of Object.keys(copy)) {
      if (random() < 0.25) copy[key] = mutateValue(copy[key], random, depth + 1);
      else if (random() < 0.05) delete copy[key];
    }
    if (random() < 0.1) copy[pick(['params', 'id', 'auth', 'method', 'jsonrpc', 'extra', '__proto__'])] = pick(oddValues);
    return copy;
  }
  return random() < 0.5 ? pick(oddValues) : value;
}

function mutateText(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i += 1) {
    const at = Math.floor(random() * (out.length + 1));
    const choice = random();
    if (choice < 0.3) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 10));
    else if (choice < 0.6) out = out.slice(0, at) + tokens[Math.floor(random() * tokens.length)] + out.slice(at);
    else if (choice < 0.8) out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x2600)) + out.slice(at + 1);
    else out = out.slice(0, at);
  }
  return out;
}

function fuzzBody(random: () => number, token: string): string {
  const call = (): unknown => {
    const base = seedCalls[Math.floor(random() * seedCalls.length)];
    const mutated = mutateValue(base, random) as Record<string, unknown> | unknown;
    // Half the generate calls carry the token, so the fuzz reaches the params and the service.
    if (mutated && typeof mutated === 'object' && !Array.isArray(mutated) && random() < 0.5) (mutated as Record<string, unknown>).auth = token;
    return mutated;
  };
  const kind = random();
  if (kind < 0.45) return JSON.stringify(call());
  if (kind < 0.65) return JSON.stringify(Array.from({ length: Math.floor(random() * 6) }, call));
  if (kind < 0.9) return mutateText(JSON.stringify(random() < 0.7 ? call() : [call(), call()]), random);
  return Array.from({ length: Math.floor(random() * 40) }, () => tokens[Math.floor(random() * tokens.length)]).join('');
}

/** Whether `value` is a JSON-RPC 2.0 response object: an id, and exactly one of result or error. */
function isWellFormedAnswer(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const answer = value as Record<string, unknown>;
  const idOk = answer.id === null || typeof answer.id === 'string' || typeof answer.id === 'number';
  const hasResult = 'result' in answer;
  const error = answer.error as Record<string, unknown> | undefined;
  const errorOk = error !== undefined && Number.isInteger(error.code) && typeof error.message === 'string';
  return answer.jsonrpc === '2.0' && idOk && hasResult !== ('error' in answer) && (hasResult || errorOk);
}

describe('the kv.* server under a bounded fuzz run', function () {
  this.timeout(120_000);
  let server: KvServer;
  let service: KeyVaultDouble;
  let token: string;
  const logLines: string[] = [];

  before(async () => {
    const rpcToken = new RpcToken({ get: async () => undefined, store: async () => undefined });
    token = await rpcToken.current();
    service = new KeyVaultDouble();
    server = await startKvServer({ service, token: rpcToken, log: { info: (line) => logLines.push(line), warn: (line) => logLines.push(line) }, callTimeLimitMs: 5_000 });
  });
  after(async () => {
    await server.close();
  });

  it(`answers ${BODIES} random and mutated bodies with well-formed JSON-RPC, and still works after`, async () => {
    const random = seededRandom(SEED);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const counts = { answers: 0, batches: 0, empty: 0 };
    try {
      for (let sent = 0; sent < BODIES; sent += 8) {
        await Promise.all(
          Array.from({ length: Math.min(8, BODIES - sent) }, async (_unused, offset) => {
            const body = fuzzBody(random, token);
            const reply = await within(send(server.port, '/rpc', { headers: { 'content-type': 'application/json' }, body, agent }), `no answer to fuzz body #${sent + offset}: ${body.slice(0, 200)}`);
            assert.ok(!reply.text.includes(CANARY), `the canary key in the answer to ${body.slice(0, 200)}`);
            if (reply.status === 204) {
              assert.equal(reply.text, '');
              counts.empty += 1;
              return;
            }
            assert.equal(reply.status, 200, `status ${reply.status} for ${body.slice(0, 200)}: ${reply.text.slice(0, 200)}`);
            const answer = json(reply);
            if (Array.isArray(answer)) {
              assert.ok(answer.length > 0 && answer.every(isWellFormedAnswer), `a malformed batch answer to ${body.slice(0, 200)}: ${reply.text.slice(0, 300)}`);
              counts.batches += 1;
            } else {
              assert.ok(isWellFormedAnswer(answer), `a malformed answer to ${body.slice(0, 200)}: ${reply.text.slice(0, 300)}`);
              counts.answers += 1;
            }
          }),
        );
      }
    } finally {
      agent.destroy();
    }
    assert.equal(counts.answers + counts.batches + counts.empty, BODIES);
    // The fuzz got past the gates: the service itself saw generate calls, not only refusals.
    for (const method of ['activeModels', 'parallelGenerate', 'swarmGenerate']) {
      assert.ok(service.calls.filter((call) => call === method).length >= 20, `the fuzz reached ${method} only ${service.calls.filter((call) => call === method).length} times`);
    }
    const after = json(await rpc(server.port, { jsonrpc: '2.0', method: 'kv.activeModels', id: 'after' })) as { result?: { total_active_keys: number } };
    assert.equal(after.result?.total_active_keys, 11);
    for (const line of logLines) assert.ok(!line.includes(CANARY), `the canary key reached the log: ${line}`);
  });
});
