// The OpenAI-compatible face through the real `openai` SDK, as Aider, Cline, Continue or a script
// would use it: list the models, a completion whole and streamed (usage in the last chunk), a
// wrong token, the service's own failures as OpenAI errors, and the canary key in none of it.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startKvServer } from '../../../src/rpc/kvServer.js';
import type { KvServer } from '../../../src/rpc/kvServer.js';
import { RpcToken } from '../../../src/rpc/rpcToken.js';
import { waitUntil, within } from '../../support/waitUntil.js';
import { CANARY, KeyVaultDouble } from './keyVaultDouble.js';
import { send } from './rpcClient.js';

describe('the OpenAI-compatible face, through the openai SDK', () => {
  let server: KvServer;
  let service: KeyVaultDouble;
  let token: string;
  let client: OpenAI;
  const logLines: string[] = [];

  beforeEach(async () => {
    service = new KeyVaultDouble();
    let stored: string | undefined;
    const rpcToken = new RpcToken({ get: async () => stored, store: async (value) => void (stored = value) });
    token = await rpcToken.current();
    logLines.length = 0;
    server = await startKvServer({ service, token: rpcToken, log: { info: (line) => logLines.push(line), warn: (line) => logLines.push(line) } });
    client = new OpenAI({ apiKey: token, baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  afterEach(async () => {
    await server.close();
    for (const line of logLines) assert.ok(!line.includes(CANARY), `the canary key reached the log: ${line}`);
  });

  it('lists the models the pool offers, each with its provider', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    assert.ok(models.some((model) => model.id === 'gemini-2.5-flash-lite' && model.owned_by === 'google'));
    assert.ok(models.some((model) => model.id === 'claude-sonnet-4-6' && model.owned_by === 'anthropic'));
  });

  it('answers a plain completion, the system message passed as the system prompt', async () => {
    const completion = await client.chat.completions.create({
      model: 'gemini-2.5-flash-lite',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hi' },
      ],
      temperature: 0.2,
      max_tokens: 100,
    });
    assert.equal(completion.choices[0]?.message.content, '[Be brief.] answer to: Say hi');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.equal(completion.model, 'gemini-2.5-flash-lite');
    assert.deepEqual({ prompt: completion.usage?.prompt_tokens, completion: completion.usage?.completion_tokens, total: completion.usage?.total_tokens }, { prompt: 10, completion: 20, total: 30 });
    assert.deepEqual(service.calls, ['chat google/gemini-2.5-flash-lite']);
  });

  it('streams a completion, ending with the usage when asked for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'google/gemini-2.5-flash-lite',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let contentChunks = 0;
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) {
        text += delta;
        contentChunks += 1;
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'answer to: Stream please');
    assert.ok(contentChunks >= 2, `the answer came in ${contentChunks} chunk(s), not streamed`);
    assert.equal(finish, 'stop');
    assert.equal(usage?.total_tokens, 30);
  });

  it('ends a raw stream with data: [DONE]', async () => {
    const reply = await send(server.port, '/v1/chat/completions', {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    assert.equal(reply.status, 200);
    assert.match(reply.headers['content-type'] ?? '', /^text\/event-stream/);
    assert.ok(reply.text.endsWith('data: [DONE]\n\n'), reply.text);
    assert.ok(!reply.text.includes('"usage"'), 'usage was sent without include_usage');
  });

  it('refuses a wrong token as a 401 the SDK recognises, before the service is asked', async () => {
    const stranger = new OpenAI({ apiKey: 'not-the-token', baseURL: `${server.url}/v1`, maxRetries: 0 });
    await assert.rejects(stranger.chat.completions.create({ model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.AuthenticationError);
    await assert.rejects(stranger.models.list(), (error: unknown) => error instanceof OpenAI.AuthenticationError);
    assert.deepEqual(service.calls, []);
  });

  it("passes the service's failures on as OpenAI errors: a cap, an unknown model, no key", async () => {
    await assert.rejects(client.chat.completions.create({ model: 'cap', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 402);
      assert.match(error.message, /over the day cap/);
      return true;
    });
    await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.NotFoundError && /GET \/v1\/models/.test(error.message));
    await assert.rejects(client.chat.completions.create({ model: 'no-key', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 503);
  });

  it('asks for provider/id when two providers offer the same id', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'shared-id', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.BadRequestError && /provider\/shared-id/.test(error.message));
    const completion = await client.chat.completions.create({ model: 'openai-compatible/shared-id', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(completion.choices[0]?.message.content, 'answer to: hi');
    assert.ok(service.calls.includes('chat openai-compatible/shared-id'));
  });

  it('refuses what it cannot honour instead of ignoring it: tools, n > 1, a tool message', async () => {
    const tool = { type: 'function' as const, function: { name: 'f', parameters: { type: 'object' } } };
    await assert.rejects(client.chat.completions.create({ model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'hi' }], tools: [tool] }), (error: unknown) => error instanceof OpenAI.BadRequestError && /tools are not supported/.test(error.message));
    await assert.rejects(client.chat.completions.create({ model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'hi' }], n: 2 }), (error: unknown) => error instanceof OpenAI.BadRequestError);
    await assert.rejects(client.chat.completions.create({ model: 'gemini-2.5-flash-lite', messages: [{ role: 'tool', content: 'x', tool_call_id: '1' }] }), (error: unknown) => error instanceof OpenAI.BadRequestError);
    assert.deepEqual(service.calls, []);
  });

  it('a failure mid-stream reaches the SDK as an error, after the text already sent', async () => {
    const stream = await client.chat.completions.create({ model: 'stream-fails', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
      (error: unknown) => error instanceof OpenAI.APIError && /stream ended early/.test(error.message),
    );
    assert.equal(text, 'answer to: hi');
  });

  it('a completion past the time limit is stopped: a 504 to the SDK, the service call aborted', async () => {
    const quick = await startKvServer({ service, token: { accepts: async (candidate) => candidate === token }, callTimeLimitMs: 200 });
    try {
      const impatient = new OpenAI({ apiKey: token, baseURL: `${quick.url}/v1`, maxRetries: 0 });
      await assert.rejects(impatient.chat.completions.create({ model: 'hang', messages: [{ role: 'user', content: 'hi' }], stream: true }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 504);
      assert.equal(service.waiting[0]?.aborted, true);
    } finally {
      await quick.close();
    }
  });

  it('a streaming client hanging up aborts the service call', async () => {
    const controller = new AbortController();
    const pending = client.chat.completions.create({ model: 'hang', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal });
    pending.catch(() => undefined);
    const signal = await waitUntil(() => service.waiting[0], 'the service call never started');
    controller.abort();
    await waitUntil(() => signal.aborted, 'the service call was not aborted when the client hung up', 5_000);
  });

  it('a service that ignores its signal still cannot hold a completion past the time limit', async () => {
    const quick = await startKvServer({ service, token: { accepts: async (candidate) => candidate === token }, callTimeLimitMs: 200 });
    try {
      const impatient = new OpenAI({ apiKey: token, baseURL: `${quick.url}/v1`, maxRetries: 0 });
      await assert.rejects(within(impatient.chat.completions.create({ model: 'deaf', messages: [{ role: 'user', content: 'hi' }] }), 'no answer after the time limit', 5_000), (error: unknown) => error instanceof OpenAI.APIError && error.status === 504);
    } finally {
      await quick.close();
    }
  });

  it('a service failing to list its models: a 500 to the SDK, the detail redacted in the log', async () => {
    service.listModels = async () => {
      throw new Error(`key store unreadable near ${CANARY}`);
    };
    await assert.rejects(client.models.list(), (error: unknown) => error instanceof OpenAI.InternalServerError && !error.message.includes(CANARY));
    await assert.rejects(client.chat.completions.create({ model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.InternalServerError);
    assert.ok(logLines.some((line) => line.includes('key store unreadable near [redacted key')), logLines.join('\n'));
  });

  it('never lets a key out: not in an error, not in a streamed answer cut anywhere', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'leaks', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.ok(!error.message.includes(CANARY), error.message);
      return true;
    });
    // The double echoes the prompt in three pieces, so the key is cut across chunks.
    for (const prompt of [CANARY, `x${CANARY}y`, `${CANARY.slice(0, 10)}`]) {
      const stream = await client.chat.completions.create({ model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: prompt }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      assert.ok(!text.includes(CANARY), text);
      if (prompt.length > 10) assert.match(text, /\[redacted key ••••mnop\]/);
    }
  });
});
