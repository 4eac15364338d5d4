// The kv.* JSON-RPC face over real HTTP on 127.0.0.1: who may call what (token, Host, Origin),
// what it refuses before parsing (size, content type), JSON-RPC 2.0 to the letter (errors,
// batches, notifications), the seed's own examples answered in the seed's shapes, calls that
// end when their client hangs up or their time runs out, and the canary key in no answer or log.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { kvErrorCodes } from '../../../src/core/keyvault/kvProtocol.js';
import { startKvServer } from '../../../src/rpc/kvServer.js';
import type { KvServer, KvServerOptions, RpcLog } from '../../../src/rpc/kvServer.js';
import { RpcToken } from '../../../src/rpc/rpcToken.js';
import { waitUntil, within } from '../../support/waitUntil.js';
import { CANARY, KeyVaultDouble } from './keyVaultDouble.js';
import { json, rpc, send } from './rpcClient.js';

interface Started {
  server: KvServer;
  service: KeyVaultDouble;
  token: string;
  logLines: string[];
}

async function start(options: Partial<KvServerOptions> & { service?: KeyVaultDouble } = {}): Promise<Started> {
  const service = options.service ?? new KeyVaultDouble();
  let stored: string | undefined;
  const rpcToken = new RpcToken({ get: async () => stored, store: async (value) => void (stored = value) });
  const token = await rpcToken.current();
  const logLines: string[] = [];
  const log: RpcLog = { info: (line) => logLines.push(line), warn: (line) => logLines.push(line) };
  const server = await startKvServer({ service, token: rpcToken, log, ...options });
  return { server, service, token, logLines };
}

const generate = { jsonrpc: '2.0', method: 'kv.parallelGenerate', params: { requests: [{ provider: 'google', model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'hello' }] }] }, id: 7 };

function errorCode(value: unknown): number | undefined {
  return (value as { error?: { code?: number } }).error?.code;
}

describe('the kv.* JSON-RPC server', () => {
  let started: Started;
  beforeEach(async () => {
    started = await start();
  });
  afterEach(async () => {
    await started.server.close();
    // Whatever a test did, the canary never reached the log.
    for (const line of started.logLines) assert.ok(!line.includes(CANARY), `the canary key reached the log: ${line}`);
  });

  describe('who may call', () => {
    it('listens on 127.0.0.1 only', () => {
      assert.match(started.server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it('says so when its port is taken, and starts on the port asked for when free', async () => {
      await assert.rejects(start({ port: started.server.port }), new RegExp(`could not listen on 127\\.0\\.0\\.1:${started.server.port}: .*EADDRINUSE`));
    });

    it('refuses a generate call with no token, and never reaches the service', async () => {
      const reply = await rpc(started.server.port, generate);
      assert.equal(errorCode(json(reply)), kvErrorCodes.unauthorized);
      assert.deepEqual(started.service.calls, []);
    });

    it('refuses a wrong token, in the header or in "auth"', async () => {
      const wrong = `${started.token.slice(0, -1)}${started.token.endsWith('A') ? 'B' : 'A'}`;
      assert.equal(errorCode(json(await rpc(started.server.port, generate, { authorization: `Bearer ${wrong}` }))), kvErrorCodes.unauthorized);
      assert.equal(errorCode(json(await rpc(started.server.port, { ...generate, auth: wrong }))), kvErrorCodes.unauthorized);
      assert.equal(errorCode(json(await rpc(started.server.port, { ...generate, auth: '' }))), kvErrorCodes.unauthorized);
      assert.deepEqual(started.service.calls, []);
    });

    it('takes the token from the Authorization header or from the seed\'s "auth" member', async () => {
      const byHeader = json(await rpc(started.server.port, generate, { authorization: `Bearer ${started.token}` })) as { result?: unknown };
      const byMember = json(await rpc(started.server.port, { ...generate, auth: started.token })) as { result?: unknown };
      assert.ok(byHeader.result, JSON.stringify(byHeader));
      assert.ok(byMember.result, JSON.stringify(byMember));
    });

    it('answers the read-only methods without a token', async () => {
      const reply = json(await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.activeModels', id: 1 })) as { result?: unknown };
      assert.ok(reply.result);
    });

    it('refuses a Host that is not its own (DNS rebinding), before reading the body', async () => {
      for (const host of ['evil.example:80', `evil.example:${started.server.port}`, '127.0.0.1', `127.0.0.1:${started.server.port + 1}`, `localhost.evil.example:${started.server.port}`]) {
        const reply = await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.activeModels', id: 1 }, { host });
        assert.equal(reply.status, 403, host);
        assert.equal(errorCode(json(reply)), kvErrorCodes.forbidden, host);
      }
      assert.deepEqual(started.service.calls, []);
    });

    it('accepts localhost:<port> as its own Host', async () => {
      const reply = await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.activeModels', id: 1 }, { host: `localhost:${started.server.port}` });
      assert.equal(reply.status, 200);
    });

    it('refuses any web page Origin, even with the right token', async () => {
      for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${started.server.port + 1}`, `https://127.0.0.1:${started.server.port}`]) {
        const reply = await rpc(started.server.port, generate, { origin, authorization: `Bearer ${started.token}` });
        assert.equal(reply.status, 403, origin);
      }
      assert.deepEqual(started.service.calls, []);
      const own = await rpc(started.server.port, generate, { origin: `http://localhost:${started.server.port}`, authorization: `Bearer ${started.token}` });
      assert.equal(own.status, 200);
    });

    it('refuses a body that does not say it is JSON (a plain form post)', async () => {
      const reply = await send(started.server.port, '/rpc', { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ ...generate, auth: started.token }) });
      assert.equal(reply.status, 415);
      assert.deepEqual(started.service.calls, []);
    });

    it('refuses an oversized body by its Content-Length, without reading it', async () => {
      const small = await start({ maxBodyBytes: 1024 });
      try {
        const reply = await new Promise<number>((resolve, reject) => {
          // Headers only: the answer must come before a byte of the body is sent.
          const outgoing = request({ host: '127.0.0.1', port: small.server.port, path: '/rpc', method: 'POST', headers: { host: `127.0.0.1:${small.server.port}`, 'content-type': 'application/json', 'content-length': 10 * 1024 * 1024 } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            outgoing.destroy();
          });
          outgoing.on('error', reject);
          outgoing.flushHeaders();
        });
        assert.equal(reply, 413);
        assert.deepEqual(small.service.calls, []);
      } finally {
        await small.server.close();
      }
    });

    it('refuses an oversized body sent without a length, and parses none of it', async () => {
      const small = await start({ maxBodyBytes: 1024 });
      try {
        const body = JSON.stringify({ jsonrpc: '2.0', method: 'kv.activeModels', id: 1, padding: 'x'.repeat(4096) });
        const reply = await send(small.server.port, '/rpc', { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body });
        assert.equal(reply.status, 413);
        assert.equal(errorCode(json(reply)), kvErrorCodes.tooLarge);
        assert.deepEqual(small.service.calls, []);
      } finally {
        await small.server.close();
      }
    });

    it('answers an unknown path 404 and a wrong verb 405', async () => {
      assert.equal((await send(started.server.port, '/admin', { method: 'GET' })).status, 404);
      const wrongVerb = await send(started.server.port, '/rpc', { method: 'GET' });
      assert.equal(wrongVerb.status, 405);
      assert.equal(wrongVerb.headers.allow, 'POST');
    });
  });

  describe('JSON-RPC 2.0', () => {
    it('answers malformed JSON with -32700 and id null', async () => {
      const reply = json(await rpc(started.server.port, '{"jsonrpc": "2.0", "method": "kv.activeModels", "id": 1'));
      assert.deepEqual(reply, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: the body is not JSON.' } });
    });

    it('answers a request object that is not one with -32600', async () => {
      for (const body of [{ jsonrpc: '1.0', method: 'kv.activeModels', id: 1 }, { jsonrpc: '2.0', method: 1, id: 1 }, { jsonrpc: '2.0', id: 1 }, 'null', '1', '"text"', { jsonrpc: '2.0', method: 'kv.activeModels', params: 'bar', id: 1 }]) {
        const reply = json(await rpc(started.server.port, body)) as { id: unknown; error?: { code: number } };
        assert.equal(reply.error?.code, -32600, JSON.stringify(body));
        assert.equal(reply.id, null);
      }
    });

    it('answers an unknown method with -32601, keeping the id', async () => {
      const reply = json(await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.deleteEverything', id: 'abc' })) as { id: unknown; error?: { code: number } };
      assert.equal(reply.error?.code, -32601);
      assert.equal(reply.id, 'abc');
    });

    it('answers wrong params with -32602 and zod\'s message, before the service sees them', async () => {
      const bad = { ...generate, params: { requests: [{ provider: 'google', model: 'm', messages: [{ role: 'robot', content: 'hi' }], temperature: 9 }] } };
      const reply = json(await rpc(started.server.port, bad, { authorization: `Bearer ${started.token}` })) as { error?: { code: number; message: string } };
      assert.equal(reply.error?.code, -32602);
      assert.match(reply.error?.message ?? '', /requests\[0\]\.messages\[0\]\.role/);
      assert.match(reply.error?.message ?? '', /requests\[0\]\.temperature/);
      assert.deepEqual(started.service.calls, []);
    });

    it('bounds one call: too many requests is invalid params', async () => {
      const many = { ...generate, params: { requests: Array.from({ length: 33 }, () => generate.params.requests[0]) } };
      const reply = json(await rpc(started.server.port, many, { authorization: `Bearer ${started.token}` })) as { error?: { code: number; message: string } };
      assert.equal(reply.error?.code, -32602);
      assert.match(reply.error?.message ?? '', /at most 32 requests/);
    });

    it('answers a batch mixing good and bad calls, one answer per call that has an id', async () => {
      const batch = [
        { jsonrpc: '2.0', method: 'kv.activeModels', id: 1 },
        { jsonrpc: '2.0', method: 'kv.nope', id: 2 },
        { ...generate, id: 3 },
        { ...generate, id: 4, auth: started.token },
        { jsonrpc: '2.0', method: 'kv.modelRegistry' },
        1,
        { jsonrpc: '2.0', method: 'kv.swarmGenerate', params: { tasks: [] }, id: 5, auth: started.token },
      ];
      const replies = json(await rpc(started.server.port, batch)) as { id: unknown; result?: unknown; error?: { code: number } }[];
      const byId = new Map(replies.map((reply) => [JSON.stringify(reply.id), reply]));
      assert.equal(replies.length, 6, 'the notification gets no answer; the invalid entry does');
      assert.ok(byId.get('1')?.result);
      assert.equal(byId.get('2')?.error?.code, -32601);
      assert.equal(byId.get('3')?.error?.code, kvErrorCodes.unauthorized);
      assert.ok(byId.get('4')?.result);
      assert.equal(byId.get('5')?.error?.code, -32602);
      assert.equal(byId.get('null')?.error?.code, -32600);
      assert.ok(started.service.calls.includes('modelRegistry'), 'the notification still ran');
    });

    it('answers an empty batch with one -32600', async () => {
      assert.deepEqual(json(await rpc(started.server.port, [])), { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: an empty batch.' } });
    });

    it('answers a batch over the limit with one -32600 and runs none of it', async () => {
      const reply = json(await rpc(started.server.port, Array.from({ length: 65 }, (_, id) => ({ jsonrpc: '2.0', method: 'kv.activeModels', id }))));
      assert.equal(errorCode(reply), -32600);
      assert.deepEqual(started.service.calls, []);
    });

    it('sends no body for a notification, or for a batch of notifications only', async () => {
      const one = await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.activeModels' });
      assert.equal(one.status, 204);
      assert.equal(one.text, '');
      const batch = await rpc(started.server.port, [{ jsonrpc: '2.0', method: 'kv.activeModels' }, { jsonrpc: '2.0', method: 'kv.nope' }]);
      assert.equal(batch.status, 204);
      assert.equal(batch.text, '');
    });

    it('keeps a null id as null (a request, not a notification)', async () => {
      const reply = json(await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.activeModels', id: null })) as { id: unknown; result?: unknown };
      assert.equal(reply.id, null);
      assert.ok(reply.result);
    });
  });

  describe("the seed's examples", () => {
    it('kv.activeModels: providers with active_keys and models, and the total; nothing about keys', async () => {
      const reply = json(await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.activeModels', id: 1 }));
      assert.deepEqual(reply, {
        jsonrpc: '2.0',
        id: 1,
        result: {
          providers: [
            { provider: 'google', active_keys: 10, models: ['gemini-2.5-flash-lite', 'gemini-3-flash-preview'] },
            { provider: 'anthropic', active_keys: 1, models: ['claude-sonnet-4-6'] },
          ],
          total_active_keys: 11,
        },
      });
    });

    it('kv.parallelGenerate: one result per request, in order, a failure beside the successes', async () => {
      const seedCall = {
        jsonrpc: '2.0',
        method: 'kv.parallelGenerate',
        auth: started.token,
        params: {
          caller: 'dual-model-orchestration',
          requests: [
            { provider: 'google', model: 'gemini-3-pro-exp-0312', messages: [{ role: 'user', content: '...code spec...' }], system_prompt: 'You are a Rust expert. Implement exactly as specified.', temperature: 0.2, max_tokens: 8192 },
            { provider: 'anthropic', model: 'claude-sonnet-4-20250514', messages: [{ role: 'user', content: '...same or different spec...' }], system_prompt: 'You are a Rust expert. Implement exactly as specified.', temperature: 0.2, max_tokens: 8192 },
            { provider: 'google', model: 'fails', messages: [{ role: 'user', content: 'x' }] },
          ],
        },
        id: 2,
      };
      const reply = json(await rpc(started.server.port, seedCall)) as { id: number; result: { results: { ok: boolean; response?: { text: string; model: string; provider: string }; error?: { code: string; message: string } }[] } };
      assert.equal(reply.id, 2);
      const [first, second, third] = reply.result.results;
      assert.deepEqual(first, { ok: true, response: { text: 'answer to: ...code spec...', model: 'gemini-3-pro-exp-0312', provider: 'google', usage: { input_tokens: 12, output_tokens: 34 } } });
      assert.equal(second?.ok, true);
      assert.equal(second?.response?.provider, 'anthropic');
      assert.equal(third?.ok, false);
      assert.equal(third?.error?.code, 'auth');
      assert.ok(!JSON.stringify(reply).includes(CANARY), 'the provider error kept the key');
      assert.match(third?.error?.message ?? '', /google refused key \[redacted key ••••mnop\]/);
    });

    it('kv.swarmGenerate: results with label, model, complexity, ok, text, and the summary', async () => {
      const seedCall = {
        jsonrpc: '2.0',
        method: 'kv.swarmGenerate',
        auth: started.token,
        params: {
          tasks: [
            { prompt: 'Add derive(Serialize) to the Config struct', label: 'config-derive', complexity: 'trivial' },
            { prompt: 'Implement the connection pool with async retry logic', label: 'conn-pool', system_prompt: 'You are a Rust expert.', temperature: 0.1, max_tokens: 16384 },
          ],
        },
        id: 3,
      };
      const reply = json(await rpc(started.server.port, seedCall)) as { id: number; result: unknown };
      assert.deepEqual(reply.result, {
        results: [
          { label: 'config-derive', model: 'gemini-2.5-flash-lite', complexity: 'trivial', ok: true, text: 'done: Add derive(Serialize) to the Config struct', costUsd: 0 },
          { label: 'conn-pool', model: 'gemini-3.1-pro-preview', complexity: 'complex', ok: true, text: 'done: Implement the connection pool with async retry logic', costUsd: 0 },
        ],
        summary: { total: 2, succeeded: 2, failed: 0 },
      });
    });

    it('kv.modelRegistry: the models with their specs', async () => {
      const reply = json(await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.modelRegistry', id: 4 })) as { result: { models: { id: string; tier?: string; limits?: unknown }[]; dated: string } };
      assert.equal(reply.result.dated, '2026-11');
      assert.deepEqual(reply.result.models.map((model) => model.id), ['gemini-2.5-flash-lite', 'claude-sonnet-4-6']);
      assert.deepEqual(reply.result.models[0]?.limits, { rpm: 15, rpd: 1000 });
    });
  });

  describe('failures the service throws', () => {
    const call = (model: string) => ({ ...generate, auth: started.token, params: { requests: [{ ...generate.params.requests[0], model }] } });

    it('a cap crossed: a server error naming the cap, nothing else', async () => {
      const reply = json(await rpc(started.server.port, call('cap'))) as { error: { code: number; message: string } };
      assert.equal(reply.error.code, kvErrorCodes.capExceeded);
      assert.match(reply.error.message, /over the day cap of \$1\.00/);
    });

    it('no usable key: its own server error', async () => {
      const reply = json(await rpc(started.server.port, call('no-key'))) as { error: { code: number } };
      assert.equal(reply.error.code, kvErrorCodes.noKey);
    });

    it("an internal error: a generic message to the caller, the detail (redacted) to the log", async () => {
      const reply = json(await rpc(started.server.port, call('crash'))) as { error: { code: number; message: string } };
      assert.equal(reply.error.code, -32603);
      assert.doesNotMatch(reply.error.message, /socket hang up/);
      assert.ok(started.logLines.some((line) => line.includes('socket hang up') && line.includes('[redacted key ••••mnop]')), started.logLines.join('\n'));
    });

    it('a service answer that lost a result is an internal error, not a shorter list the caller would misread', async () => {
      const short = await start({ service: Object.assign(new KeyVaultDouble(), { parallelGenerate: async () => ({ results: [] }), swarmGenerate: async () => ({ results: [], summary: { total: 0, succeeded: 0, failed: 0 } }) }) });
      try {
        const reply = json(await rpc(short.server.port, { ...generate, auth: short.token })) as { error?: { code: number } };
        assert.equal(reply.error?.code, -32603);
        const swarm = json(await rpc(short.server.port, { jsonrpc: '2.0', method: 'kv.swarmGenerate', auth: short.token, params: { tasks: [{ prompt: 'x' }] }, id: 1 })) as { error?: { code: number } };
        assert.equal(swarm.error?.code, -32603);
      } finally {
        await short.server.close();
      }
    });

    it("a service error quoting a key: the key is redacted from the message", async () => {
      const reply = await rpc(started.server.port, call('leaks'));
      assert.ok(!reply.text.includes(CANARY));
      assert.match(reply.text, /API key \[redacted key ••••mnop\] is not valid/);
    });
  });

  describe('calls that end early', () => {
    it('a client hanging up mid-call aborts the service call', async () => {
      const outgoing = request({ host: '127.0.0.1', port: started.server.port, path: '/rpc', method: 'POST', headers: { host: `127.0.0.1:${started.server.port}`, 'content-type': 'application/json', authorization: `Bearer ${started.token}` } });
      outgoing.on('error', () => undefined);
      outgoing.end(JSON.stringify({ ...generate, params: { requests: [{ ...generate.params.requests[0], model: 'hang' }] } }));
      const signal = await waitUntil(() => started.service.waiting[0], 'the service call never started');
      assert.equal(signal.aborted, false);
      outgoing.destroy();
      await waitUntil(() => signal.aborted, 'the service call was not aborted when the client hung up', 5_000);
    });

    it('a call past the time limit is aborted and answered as timed out', async () => {
      const quick = await start({ callTimeLimitMs: 200 });
      try {
        const reply = json(await within(rpc(quick.server.port, { ...generate, auth: quick.token, params: { requests: [{ ...generate.params.requests[0], model: 'hang' }] } }), 'no answer after the time limit')) as { error: { code: number; message: string } };
        assert.equal(reply.error.code, kvErrorCodes.timedOut);
        assert.equal(quick.service.waiting[0]?.aborted, true);
      } finally {
        await quick.server.close();
      }
    });

    it('a service that ignores its signal still cannot hold an answer past the time limit; the rest of the batch answers', async () => {
      const quick = await start({ callTimeLimitMs: 200 });
      try {
        const deaf = { ...generate, id: 1, auth: quick.token, params: { requests: [{ ...generate.params.requests[0], model: 'deaf' }] } };
        const fine = { ...generate, id: 2, auth: quick.token };
        const replies = json(await within(rpc(quick.server.port, [deaf, fine]), 'no answer after the time limit')) as { id: number; result?: unknown; error?: { code: number } }[];
        assert.equal(replies.find((reply) => reply.id === 1)?.error?.code, kvErrorCodes.timedOut);
        assert.ok(replies.find((reply) => reply.id === 2)?.result);
      } finally {
        await quick.server.close();
      }
    });

    it('closing the server aborts the calls in flight', async () => {
      const outgoing = request({ host: '127.0.0.1', port: started.server.port, path: '/rpc', method: 'POST', headers: { host: `127.0.0.1:${started.server.port}`, 'content-type': 'application/json', authorization: `Bearer ${started.token}` } });
      outgoing.on('error', () => undefined);
      outgoing.end(JSON.stringify({ ...generate, params: { requests: [{ ...generate.params.requests[0], model: 'hang' }] } }));
      const signal = await waitUntil(() => started.service.waiting[0], 'the service call never started');
      await within(started.server.close(), 'the server did not close with a call in flight');
      assert.equal(signal.aborted, true);
    });
  });

  it('a rotated token takes effect at once: the old one is refused by the running server', async () => {
    let stored: string | undefined;
    const rpcToken = new RpcToken({ get: async () => stored, store: async (value) => void (stored = value) });
    const server = await startKvServer({ service: new KeyVaultDouble(), token: rpcToken });
    try {
      const old = await rpcToken.current();
      assert.ok((json(await rpc(server.port, { ...generate, auth: old })) as { result?: unknown }).result);
      const rotated = await rpcToken.rotate();
      assert.equal(errorCode(json(await rpc(server.port, { ...generate, auth: old }))), kvErrorCodes.unauthorized);
      assert.ok((json(await rpc(server.port, { ...generate, auth: rotated })) as { result?: unknown }).result);
    } finally {
      await server.close();
    }
  });

  it('logs each request without its body, its token or a key, and never the caller\'s method name', async () => {
    await rpc(started.server.port, { ...generate, auth: started.token });
    await rpc(started.server.port, { jsonrpc: '2.0', method: 'kv.activeModels', id: 1 });
    await rpc(started.server.port, { jsonrpc: '2.0', method: 'forged\nPOST /rpc kv.parallelGenerate: ok', id: 1 });
    assert.ok(started.logLines.some((line) => /^POST \/rpc kv\.parallelGenerate: ok → 200 in /.test(line)), started.logLines.join('\n'));
    assert.ok(started.logLines.some((line) => /^POST \/rpc no known method: error -32601 → 200 in /.test(line)), started.logLines.join('\n'));
    assert.ok(started.logLines.every((line) => !line.includes('\n')), started.logLines.join('\n'));
    for (const line of started.logLines) {
      assert.ok(!line.includes(started.token), `the token reached the log: ${line}`);
      assert.ok(!line.includes('hello'), `a prompt reached the log: ${line}`);
    }
  });
});
