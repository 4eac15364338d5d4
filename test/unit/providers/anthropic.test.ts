// The Anthropic provider on the real SDK against a fake Messages API over real HTTP: what goes on
// the wire, how the stream is read, and how every kind of failure becomes a ModelError.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Anthropic } from '@anthropic-ai/sdk';
import type { AddressInfo } from 'node:net';
import type { ChatMessage, ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import { ModelError, type ModelErrorKind } from '../../../src/core/models/modelErrors.js';
import { withRetries } from '../../../src/core/models/retry.js';
import { createAnthropicClient } from '../../../src/providers/anthropic/anthropicModelClient.js';
import { AssistantTurnMemory } from '../../../src/providers/anthropic/assistantTurnMemory.js';
import type { ProviderClientOptions } from '../../../src/providers/providerOptions.js';
import { startFakeAnthropicServer, type FakeAnthropicServer, type RecordedAnthropicRequest } from '../../fakes/anthropicServer.js';
import { within } from '../../support/waitUntil.js';

const apiKey = 'sk-ant-test-0123456789';

function baseRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    purpose: 'spec',
    system: 'You are the Architect.',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Write the spec.' }] }],
    thinking: 'none',
    maxOutputTokens: 1000,
    ...overrides,
  };
}

async function collect(client: ModelClient, request: ModelRequest, signal = new AbortController().signal): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of client.stream(request, signal)) events.push(event);
  return events;
}

async function failure(run: Promise<unknown>): Promise<ModelError> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the stream to fail');
}

function body(request: RecordedAnthropicRequest | undefined): Record<string, unknown> {
  assert.ok(request, 'no request was recorded');
  assert.equal(typeof request.body, 'object');
  return request.body as Record<string, unknown>;
}

describe('Anthropic provider (real SDK against a fake server)', () => {
  let server: FakeAnthropicServer;
  let turns: AssistantTurnMemory;

  const client = (overrides: Partial<ProviderClientOptions> = {}): ModelClient =>
    createAnthropicClient(
      { apiKey, baseUrl: server.url, modelId: 'claude-opus-4-6', displayName: 'Claude Opus 4.6', requestTimeoutMs: 15_000, ...overrides },
      turns,
    );

  beforeEach(async () => {
    server = await startFakeAnthropicServer();
    turns = new AssistantTurnMemory();
  });

  afterEach(async () => {
    await server.close();
  });

  describe('the request', () => {
    it('posts to /v1/messages with a bearer key, the API version and a streamed body', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'ok' }] });
      await collect(client(), baseRequest());
      assert.equal(server.requests.length, 1);
      const [sent] = server.requests;
      assert.equal(sent?.method, 'POST');
      assert.equal(sent?.path, '/v1/messages');
      assert.equal(sent?.headers.authorization, `Bearer ${apiKey}`);
      assert.match(String(sent?.headers['anthropic-version']), /^\d{4}-\d{2}-\d{2}$/);
      const sentBody = body(sent);
      assert.equal(sentBody.model, 'claude-opus-4-6');
      assert.equal(sentBody.max_tokens, 1000);
      assert.equal(sentBody.stream, true);
      assert.deepEqual(sentBody.system, [{ type: 'text', text: 'You are the Architect.' }]);
      assert.deepEqual(sentBody.messages, [{ role: 'user', content: [{ type: 'text', text: 'Write the spec.' }] }]);
      assert.equal('thinking' in sentBody, false);
      assert.equal('output_config' in sentBody, false);
      assert.equal('tools' in sentBody, false);
    });

    it('marks the system prompt and the end of the cacheable prefix for prompt caching', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'APPROVED' }] });
      const messages: ChatMessage[] = [
        { role: 'user', content: [{ type: 'text', text: 'The request.' }, { type: 'text', text: 'The spec.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Spec written.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Review this report.' }] },
      ];
      await collect(client(), baseRequest({ purpose: 'review', messages, cacheablePrefix: 2 }));
      const sentBody = body(server.requests[0]);
      assert.deepEqual(sentBody.system, [{ type: 'text', text: 'You are the Architect.', cache_control: { type: 'ephemeral' } }]);
      assert.deepEqual(sentBody.messages, [
        { role: 'user', content: [{ type: 'text', text: 'The request.' }, { type: 'text', text: 'The spec.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Spec written.', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: [{ type: 'text', text: 'Review this report.' }] },
      ]);
    });

    for (const level of ['low', 'medium', 'high'] as const) {
      it(`asks for adaptive thinking with effort ${level}`, async () => {
        server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'ok' }] });
        await collect(client(), baseRequest({ thinking: level }));
        const sentBody = body(server.requests[0]);
        assert.deepEqual(sentBody.thinking, { type: 'adaptive' });
        assert.deepEqual(sentBody.output_config, { effort: level });
      });
    }

    it('asks for structured output when a JSON schema is given', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: '{"verdict":"approved"}' }] });
      const schema = { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'], additionalProperties: false };
      await collect(client(), baseRequest({ purpose: 'review', jsonSchema: schema, thinking: 'high' }));
      assert.deepEqual(body(server.requests[0]).output_config, { effort: 'high', format: { type: 'json_schema', schema } });
    });

    it('sends tools, and tool calls and results from the history as tool_use and tool_result blocks', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'done' }] });
      const messages: ChatMessage[] = [
        { role: 'user', content: [{ type: 'text', text: 'Implement the spec.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading two files.' },
            { type: 'tool-call', id: 'toolu_a', name: 'read_file', input: { path: 'a.js' } },
            { type: 'tool-call', id: 'toolu_b', name: 'read_file', input: { path: 'b.js' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool-result', callId: 'toolu_a', name: 'read_file', output: 'export {}', isError: false },
            { type: 'tool-result', callId: 'toolu_b', name: 'read_file', output: 'No such file: b.js', isError: true },
          ],
        },
      ];
      const tools = [{ name: 'read_file', description: 'Read a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
      await collect(client(), baseRequest({ purpose: 'implement', messages, tools }));
      const sentBody = body(server.requests[0]);
      assert.deepEqual(sentBody.tools, [
        { name: 'read_file', description: 'Read a file.', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
      ]);
      assert.deepEqual(sentBody.messages, [
        { role: 'user', content: [{ type: 'text', text: 'Implement the spec.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading two files.' },
            { type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: 'a.js' } },
            { type: 'tool_use', id: 'toolu_b', name: 'read_file', input: { path: 'b.js' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_a', is_error: false, content: 'export {}' },
            { type: 'tool_result', tool_use_id: 'toolu_b', is_error: true, content: 'No such file: b.js' },
          ],
        },
      ]);
    });
  });

  describe('the streamed answer', () => {
    it('streams thinking and text in order, then usage and done', async () => {
      server.enqueue({
        kind: 'answer',
        chunkSize: 5,
        blocks: [
          { type: 'thinking', thinking: 'Consider the edge cases.', signature: 'sig-1' },
          { type: 'text', text: 'Here is the spec.' },
        ],
        usage: { input_tokens: 120, output_tokens: 40, thinking_tokens: 25 },
      });
      const events = await collect(client(), baseRequest({ thinking: 'high' }));
      const thinking = events.filter((event) => event.type === 'thinking');
      const text = events.filter((event) => event.type === 'text');
      assert.ok(thinking.length > 1 && text.length > 1, 'both arrive in several chunks');
      assert.equal(thinking.map((event) => event.text).join(''), 'Consider the edge cases.');
      assert.equal(text.map((event) => event.text).join(''), 'Here is the spec.');
      const order = events.map((event) => event.type).filter((type, index, all) => type !== all[index - 1]);
      assert.deepEqual(order, ['thinking', 'text', 'usage', 'done']);
      assert.deepEqual(events.at(-1), { type: 'done', stopReason: 'end' });
    });

    it('maps usage, cache reads and writes, and thinking tokens', async () => {
      server.enqueue({
        kind: 'answer',
        blocks: [{ type: 'text', text: 'ok' }],
        usage: { input_tokens: 30, output_tokens: 400, cache_read_input_tokens: 5000, cache_creation_input_tokens: 700, thinking_tokens: 350 },
      });
      const events = await collect(client(), baseRequest());
      assert.deepEqual(
        events.find((event) => event.type === 'usage'),
        { type: 'usage', usage: { inputTokens: 30, outputTokens: 400, cacheReadTokens: 5000, cacheWriteTokens: 700, thinkingTokens: 350 } },
      );
    });

    it('reports a max_tokens stop as max-tokens', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'cut sh' }], stopReason: 'max_tokens' });
      const events = await collect(client(), baseRequest());
      assert.deepEqual(events.at(-1), { type: 'done', stopReason: 'max-tokens' });
    });

    it('assembles tool call input from input_json_delta chunks', async () => {
      const input = { path: 'src/slugify.js', old_text: 'a "quoted" line\n', new_text: 'ünïcödé', options: { all: true, lines: [1, 2] } };
      server.enqueue({
        kind: 'answer',
        chunkSize: 3,
        blocks: [
          { type: 'text', text: 'Editing.' },
          { type: 'tool_use', id: 'toolu_1', name: 'edit_file', input },
          { type: 'tool_use', id: 'toolu_2', name: 'run_verification', input: {} },
        ],
      });
      const events = await collect(client(), baseRequest({ purpose: 'implement' }));
      assert.deepEqual(
        events.filter((event) => event.type === 'tool-call'),
        [
          { type: 'tool-call', id: 'toolu_1', name: 'edit_file', input },
          { type: 'tool-call', id: 'toolu_2', name: 'run_verification', input: {} },
        ],
      );
      assert.deepEqual(events.at(-1), { type: 'done', stopReason: 'tool-use' });
    });

    it('sends the thinking blocks with their signatures back in the next turn of a tool loop', async () => {
      server.enqueue(
        {
          kind: 'answer',
          chunkSize: 4,
          blocks: [
            { type: 'thinking', thinking: 'I should read the file first.', signature: 'sig-Zm9v' },
            { type: 'redacted_thinking', data: 'ENCRYPTED' },
            { type: 'text', text: 'Reading.' },
            { type: 'tool_use', id: 'toolu_read', name: 'read_file', input: { path: 'src/index.js' } },
          ],
        },
        { kind: 'answer', blocks: [{ type: 'text', text: 'Done.' }] },
      );
      const coder = client();
      const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Implement the spec.' }] }];
      const first = await collect(coder, baseRequest({ purpose: 'implement', thinking: 'high', messages }));
      // As the tool loop does: it rebuilds the assistant turn from the events, text first.
      const call = first.find((event) => event.type === 'tool-call');
      assert.ok(call?.type === 'tool-call');
      messages.push(
        { role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool-call', id: call.id, name: call.name, input: call.input }] },
        { role: 'user', content: [{ type: 'tool-result', callId: call.id, name: call.name, output: 'export {}', isError: false }] },
      );
      await collect(coder, baseRequest({ purpose: 'implement', thinking: 'high', messages }));
      const sent = body(server.requests[1]).messages as { role: string; content: unknown }[];
      assert.deepEqual(sent[1], {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should read the file first.', signature: 'sig-Zm9v' },
          { type: 'redacted_thinking', data: 'ENCRYPTED' },
          { type: 'text', text: 'Reading.' },
          { type: 'tool_use', id: 'toolu_read', name: 'read_file', input: { path: 'src/index.js' } },
        ],
      });
    });

    it('rebuilds the turn from the history when the remembered one does not match it', async () => {
      server.enqueue(
        { kind: 'answer', blocks: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'tool_use', id: 'toolu_x', name: 'read_file', input: { path: 'a' } }] },
        { kind: 'answer', blocks: [{ type: 'text', text: 'ok' }] },
      );
      const coder = client();
      await collect(coder, baseRequest({ purpose: 'implement', thinking: 'high' }));
      const messages: ChatMessage[] = [
        ...baseRequest().messages,
        { role: 'assistant', content: [{ type: 'tool-call', id: 'toolu_x', name: 'read_file', input: { path: 'edited' } }] },
        { role: 'user', content: [{ type: 'tool-result', callId: 'toolu_x', name: 'read_file', output: 'x', isError: false }] },
      ];
      await collect(coder, baseRequest({ purpose: 'implement', thinking: 'high', messages }));
      const sent = body(server.requests[1]).messages as { content: unknown }[];
      assert.deepEqual(sent[1]?.content, [{ type: 'tool_use', id: 'toolu_x', name: 'read_file', input: { path: 'edited' } }]);
    });
  });

  describe('failures', () => {
    const statusCases: [number, string, ModelErrorKind][] = [
      [529, 'overloaded_error', 'overloaded'],
      [500, 'api_error', 'server'],
      [401, 'authentication_error', 'auth'],
      [400, 'invalid_request_error', 'bad-request'],
      [404, 'not_found_error', 'not-found'],
    ];
    for (const [status, type, kind] of statusCases) {
      it(`maps HTTP ${status} to ${kind}`, async () => {
        server.enqueue({ kind: 'http-error', status, body: { type: 'error', error: { type, message: `scripted ${type}` } } });
        const error = await failure(collect(client(), baseRequest()));
        assert.equal(error.kind, kind);
        assert.equal(error.details.provider, 'anthropic');
        assert.equal(error.details.status, status);
        assert.match(error.message, new RegExp(`HTTP ${status}`));
        assert.match(error.message, new RegExp(`scripted ${type}`));
        assert.equal(server.requests.length, 1, 'the SDK does not retry on its own');
      });
    }

    it('maps 429 to rate-limited with the server delay from retry-after (seconds)', async () => {
      server.enqueue({ kind: 'http-error', status: 429, headers: { 'retry-after': '7' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } } });
      const error = await failure(collect(client(), baseRequest()));
      assert.equal(error.kind, 'rate-limited');
      assert.equal(error.retryable, true);
      assert.equal(error.details.retryAfterMs, 7000);
    });

    it('prefers retry-after-ms over retry-after', async () => {
      server.enqueue({ kind: 'http-error', status: 429, headers: { 'retry-after': '7', 'retry-after-ms': '1250' } });
      const error = await failure(collect(client(), baseRequest()));
      assert.equal(error.details.retryAfterMs, 1250);
    });

    it('is retried by withRetries after a 429 and succeeds on the second request', async () => {
      server.enqueue(
        { kind: 'http-error', status: 429, headers: { 'retry-after-ms': '1' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } } },
        { kind: 'answer', blocks: [{ type: 'text', text: 'second time lucky' }] },
      );
      const notices: ModelErrorKind[] = [];
      const retried = withRetries(client(), { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 }, (notice) => notices.push(notice.error.kind));
      const events = await collect(retried, baseRequest());
      assert.equal(events.filter((event) => event.type === 'text').map((event) => (event.type === 'text' ? event.text : '')).join(''), 'second time lucky');
      assert.deepEqual(notices, ['rate-limited']);
      assert.equal(server.requests.length, 2);
    });

    it('is not retried by withRetries after a 401', async () => {
      server.enqueue({ kind: 'http-error', status: 401 }, { kind: 'answer', blocks: [{ type: 'text', text: 'never' }] });
      const error = await failure(collect(withRetries(client(), { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 }), baseRequest()));
      assert.equal(error.kind, 'auth');
      assert.match(error.message, /API key/);
      assert.equal(server.requests.length, 1);
    });

    it('maps an error event inside the stream by its type', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'partial answer' }], interrupt: { afterEvents: 4, how: { errorType: 'overloaded_error', message: 'Overloaded' } } });
      const error = await failure(collect(client(), baseRequest()));
      assert.equal(error.kind, 'overloaded');
    });

    it('reports a stream whose connection drops before message_stop as stream-cut, after the text so far', async () => {
      server.enqueue({ kind: 'answer', chunkSize: 4, blocks: [{ type: 'text', text: 'The first part of a long answer.' }], interrupt: { afterEvents: 6, how: 'cut' } });
      const seen: ModelEvent[] = [];
      const error = await failure(
        (async () => {
          for await (const event of client().stream(baseRequest(), new AbortController().signal)) seen.push(event);
        })(),
      );
      assert.equal(error.kind, 'stream-cut');
      assert.equal(error.retryable, true);
      assert.ok(seen.some((event) => event.type === 'text'), 'the text before the cut was streamed');
      assert.ok(!seen.some((event) => event.type === 'done'));
    });

    it('reports a body that ends cleanly before message_stop as stream-cut', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'half' }], interrupt: { afterEvents: 4, how: 'end' } });
      const error = await failure(collect(client(), baseRequest()));
      assert.equal(error.kind, 'stream-cut');
    });

    it('reports malformed JSON in the stream as malformed', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'fine so far' }], interrupt: { afterEvents: 3, how: 'malformed' } });
      const error = await failure(collect(client(), baseRequest()));
      assert.equal(error.kind, 'malformed');
      assert.equal(error.retryable, false);
    });

    it('times out a server that never answers, after requestTimeoutMs', async () => {
      server.enqueue({ kind: 'hang' });
      const error = await failure(collect(client({ requestTimeoutMs: 300 }), baseRequest()));
      assert.equal(error.kind, 'timeout');
    });

    it('times out a stream that stalls after its headers, since the limit covers the whole answer', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'slow' }], interrupt: { afterEvents: 3, how: 'stall' } });
      const error = await failure(collect(client({ requestTimeoutMs: 300 }), baseRequest()));
      assert.equal(error.kind, 'timeout');
    });

    it('maps a refused connection to network', async () => {
      const port = await closedPort();
      const error = await failure(collect(client({ baseUrl: `http://127.0.0.1:${port}` }), baseRequest()));
      assert.equal(error.kind, 'network');
    });

    it('cancels mid-stream when the signal aborts, without waiting for the time limit', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'the start' }], interrupt: { afterEvents: 4, how: 'stall' } });
      const controller = new AbortController();
      const seen: ModelEvent[] = [];
      // The time limit (60 s) is far beyond mocha's timeout: only a prompt cancel passes.
      const error = await failure(
        (async () => {
          for await (const event of client({ requestTimeoutMs: 60_000 }).stream(baseRequest(), controller.signal)) {
            seen.push(event);
            if (event.type === 'text') controller.abort();
          }
        })(),
      );
      assert.equal(error.kind, 'cancelled');
      assert.equal(seen.length, 1);
    });

    it('cancels while waiting for the headers', async () => {
      server.enqueue({ kind: 'hang' });
      const controller = new AbortController();
      const pending = failure(collect(client({ requestTimeoutMs: 60_000 }), baseRequest(), controller.signal));
      await within(server.received(1), 'the call never reached the server');
      controller.abort();
      assert.equal((await pending).kind, 'cancelled');
    });

    it('does not send anything when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await failure(collect(client(), baseRequest(), controller.signal));
      assert.equal(error.kind, 'cancelled');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('the fake server itself', () => {
    it('answers a non-streamed call with a whole message', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'whole' }], usage: { input_tokens: 3, output_tokens: 2 } });
      const sdk = new Anthropic({ apiKey, baseURL: server.url, maxRetries: 0, timeout: 5_000 });
      const message = await sdk.messages.create({ model: 'claude-opus-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
      assert.deepEqual(message.content, [{ type: 'text', text: 'whole', citations: null }]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.usage.input_tokens, 3);
    });

    it('accepts the x-api-key header of older SDKs and refuses a request with no key', async () => {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'ok' }] });
      const post = (headers: Record<string, string>): Promise<Response> =>
        fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'm', stream: false }) });
      assert.equal((await post({ 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' })).status, 200);
      assert.equal((await post({})).status, 401);
    });
  });

  describe('the API key', () => {
    const canary = 'sk-ant-CANARY-7f3a9c1e5b2d4680';
    const echo = (request: RecordedAnthropicRequest): unknown => ({
      type: 'error',
      error: { type: 'api_error', message: `bad key ${String(request.headers.authorization)} (x-api-key: ${canary})` },
    });

    it('never appears in any error, even when the server echoes it back', async () => {
      const errors: ModelError[] = [];
      for (const status of [400, 401, 403, 404, 429, 500, 529]) {
        server.enqueue({ kind: 'http-error', status, body: echo, headers: { 'retry-after-ms': '1' } });
        errors.push(await failure(collect(client({ apiKey: canary }), baseRequest())));
      }
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: canary }], interrupt: { afterEvents: 4, how: { errorType: 'api_error', message: `key ${canary}` } } });
      errors.push(await failure(collect(client({ apiKey: canary }), baseRequest())));
      server.enqueue({ kind: 'hang' });
      errors.push(await failure(collect(client({ apiKey: canary, requestTimeoutMs: 200 }), baseRequest())));
      errors.push(await failure(collect(client({ apiKey: canary, baseUrl: `http://127.0.0.1:${await closedPort()}` }), baseRequest())));

      assert.ok(server.requests.every((request) => request.headers.authorization === `Bearer ${canary}`), 'the key was really sent');
      for (const error of errors) {
        assert.ok(!error.message.includes(canary), `${error.kind}: ${error.message}`);
        assert.ok(!String(error.stack).includes(canary), `${error.kind} stack`);
        assert.ok(!JSON.stringify(error.details).includes(canary));
        assert.ok(!error.message.includes('CANARY'));
      }
      assert.ok(errors.some((error) => error.message.includes('[redacted]')), 'the echoed key was scrubbed, not merely absent');
    });
  });
});

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
