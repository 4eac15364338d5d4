// The OpenAI-compatible provider against a fake server on 127.0.0.1: the request it sends, the
// events it makes of streamed answers, and the ModelError every failure becomes. No timing
// assertions: time limits are small, but tests only check what happened.
import assert from 'node:assert/strict';
import type { ChatMessage, ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import { ModelError } from '../../../src/core/models/modelErrors.js';
import type { ModelErrorKind } from '../../../src/core/models/modelErrors.js';
import { withRetries } from '../../../src/core/models/retry.js';
import { createOpenAiCompatibleClient } from '../../../src/providers/openai/openaiModelClient.js';
import type { OpenAiCompatibleClientOptions } from '../../../src/providers/openai/openaiModelClient.js';
import { startFakeOpenAiServer, sseData } from '../../fakes/openaiServer.js';
import type { FakeOpenAiServer } from '../../fakes/openaiServer.js';
import { within } from '../../support/waitUntil.js';

const key = 'sk-test-0123456789abcdef';
const fastRetries = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 };

const baseRequest: ModelRequest = {
  purpose: 'spec',
  system: 'You are the Architect.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Write the spec.' }] }],
  thinking: 'none',
  maxOutputTokens: 1_000,
};

let server: FakeOpenAiServer;

function clientFor(overrides: Partial<OpenAiCompatibleClientOptions> = {}): ModelClient {
  return createOpenAiCompatibleClient({
    apiKey: key,
    baseUrl: server.baseUrl,
    modelId: 'fake-model',
    displayName: 'Fake Model',
    requestTimeoutMs: 10_000,
    ...overrides,
  });
}

async function collect(client: ModelClient, request: Partial<ModelRequest> = {}, signal = new AbortController().signal): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of client.stream({ ...baseRequest, ...request }, signal)) events.push(event);
  return events;
}

/** Runs the stream to its failure and returns the ModelError, checking its kind. */
/** The one call's connection is closed by the client, not left hanging. */
async function connectionReleased(server: FakeOpenAiServer): Promise<void> {
  const [request, ...more] = server.requests;
  assert.ok(request && more.length === 0, `one call reached the server, not ${server.requests.length}`);
  await within(request.closed, 'the client never released the connection');
}

async function failure(pending: Promise<unknown>, kind: ModelErrorKind): Promise<ModelError> {
  try {
    await pending;
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a ${kind} ModelError`);
}

const body = (index = 0): Record<string, unknown> => {
  const recorded = server.requests[index]?.body;
  assert.ok(recorded, `request ${index} has a JSON body`);
  return recorded;
};

const texts = (events: ModelEvent[], type: 'text' | 'thinking'): string =>
  events.map((event) => (event.type === type ? event.text : '')).join('');

describe('OpenAI-compatible provider', () => {
  before(async () => {
    server = await startFakeOpenAiServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  describe('the request', () => {
    it('posts to {baseUrl}/chat/completions, keeping a path prefix and a query string', async () => {
      server.enqueue({ kind: 'answer', text: ['ok'] });
      await collect(clientFor());
      assert.equal(server.requests[0]?.method, 'POST');
      assert.equal(server.requests[0]?.path, '/v1/chat/completions');

      const gateway = await startFakeOpenAiServer({ pathPrefix: '/gateway/v1' });
      try {
        gateway.enqueue({ kind: 'answer', text: ['a'] }, { kind: 'answer', text: ['b'] });
        await collect(clientFor({ baseUrl: `${gateway.baseUrl}/` }));
        await collect(clientFor({ baseUrl: `${gateway.baseUrl}?api-version=2026-01-01` }));
        assert.deepEqual(
          gateway.requests.map((request) => request.path),
          ['/gateway/v1/chat/completions', '/gateway/v1/chat/completions?api-version=2026-01-01'],
        );
      } finally {
        await gateway.close();
      }
    });

    it('sends the key as a Bearer token, and no Authorization header without a key', async () => {
      server.enqueue({ kind: 'answer', text: ['one'] }, { kind: 'answer', text: ['two'] });
      await collect(clientFor());
      await collect(clientFor({ apiKey: '' }));
      assert.equal(server.requests[0]?.headers['authorization'], `Bearer ${key}`);
      assert.equal(server.requests[0]?.headers['content-type'], 'application/json');
      assert.equal(server.requests[1]?.headers['authorization'], undefined);
    });

    it('maps the system prompt, the history with tool calls and results, and the tools', async () => {
      const history: ChatMessage[] = [
        { role: 'user', content: [{ type: 'text', text: 'Implement the spec.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading first.' },
            { type: 'tool-call', id: 'call_1', name: 'read_file', input: { path: 'src/a.ts' } },
            { type: 'tool-call', id: 'call_2', name: 'list_directory', input: { path: '.' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool-result', callId: 'call_1', name: 'read_file', output: 'export const a = 1;', isError: false },
            { type: 'tool-result', callId: 'call_2', name: 'list_directory', output: 'No such folder.', isError: true },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_3', name: 'run_verification', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool-result', callId: 'call_3', name: 'run_verification', output: 'ok', isError: false },
            { type: 'text', text: 'Two turns left.' },
          ],
        },
      ];
      const tools = [{ name: 'read_file', description: 'Reads a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
      server.enqueue({ kind: 'answer', text: ['ok'] });
      await collect(clientFor(), { system: 'Be the Coder.', messages: history, tools, maxOutputTokens: 4_096 });

      const sent = body();
      assert.equal(sent['model'], 'fake-model');
      assert.equal(sent['stream'], true);
      assert.deepEqual(sent['stream_options'], { include_usage: true });
      assert.equal(sent['max_tokens'], 4_096);
      assert.equal(sent['max_completion_tokens'], undefined);
      assert.deepEqual(sent['messages'], [
        { role: 'system', content: 'Be the Coder.' },
        { role: 'user', content: 'Implement the spec.' },
        {
          role: 'assistant',
          content: 'Reading first.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a.ts"}' } },
            { id: 'call_2', type: 'function', function: { name: 'list_directory', arguments: '{"path":"."}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'export const a = 1;' },
        { role: 'tool', tool_call_id: 'call_2', content: 'Error: No such folder.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'run_verification', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_3', content: 'ok' },
        { role: 'user', content: 'Two turns left.' },
      ]);
      assert.deepEqual(sent['tools'], [{ type: 'function', function: { name: 'read_file', description: 'Reads a file.', parameters: tools[0]?.inputSchema } }]);
      assert.equal(sent['response_format'], undefined);
    });

    it('sends reasoning_effort for low, medium and high, and nothing for none', async () => {
      const levels = ['none', 'low', 'medium', 'high'] as const;
      for (const _level of levels) server.enqueue({ kind: 'answer', text: ['ok'] });
      for (const level of levels) await collect(clientFor(), { thinking: level });
      assert.deepEqual(
        levels.map((_level, index) => body(index)['reasoning_effort']),
        [undefined, 'low', 'medium', 'high'],
      );
      assert.equal('reasoning_effort' in body(0), false);
    });

    it('sends the caller\'s temperature, clamped to 0..2, and none when the caller chose none', async () => {
      for (let index = 0; index < 3; index += 1) server.enqueue({ kind: 'answer', text: ['ok'] });
      await collect(clientFor(), { thinking: 'none', temperature: 0.2 });
      await collect(clientFor(), { thinking: 'none', temperature: 7 });
      await collect(clientFor(), { thinking: 'none' });
      assert.equal(body(0)['temperature'], 0.2);
      assert.equal(body(1)['temperature'], 2);
      assert.equal('temperature' in body(2), false);
    });

    it('asks for a JSON answer with response_format, but not when tools are offered', async () => {
      const schema = { type: 'object', properties: { outcome: { type: 'string' } }, required: ['outcome'] };
      server.enqueue({ kind: 'answer', text: ['{}'] }, { kind: 'answer', text: ['ok'] });
      await collect(clientFor(), { purpose: 'review', jsonSchema: schema });
      await collect(clientFor(), { jsonSchema: schema, tools: [{ name: 't', description: 'd', inputSchema: { type: 'object' } }] });
      assert.deepEqual(body(0)['response_format'], { type: 'json_schema', json_schema: { name: 'answer', schema, strict: false } });
      assert.equal(body(1)['response_format'], undefined);
    });
  });

  describe('streamed answers', () => {
    it('streams text deltas in order, then usage and the stop reason', async () => {
      server.enqueue({
        kind: 'answer',
        text: ['Here ', 'is the ', 'spec.'],
        usage: { prompt_tokens: 120, completion_tokens: 30, cached_tokens: 100, reasoning_tokens: 12 },
      });
      const events = await collect(clientFor());
      assert.deepEqual(events, [
        { type: 'text', text: 'Here ' },
        { type: 'text', text: 'is the ' },
        { type: 'text', text: 'spec.' },
        { type: 'usage', usage: { inputTokens: 20, outputTokens: 30, cacheReadTokens: 100, cacheWriteTokens: 0, thinkingTokens: 12 } },
        { type: 'done', stopReason: 'end' },
      ]);
    });

    it('passes reasoning_content and reasoning deltas on as thinking', async () => {
      server.enqueue(
        { kind: 'answer', reasoning: ['Let me ', 'think.'], text: ['Answer.'] },
        { kind: 'answer', reasoning: ['Ollama ', 'style.'], reasoningField: 'reasoning', text: ['Done.'] },
      );
      const first = await collect(clientFor(), { thinking: 'high' });
      const second = await collect(clientFor(), { thinking: 'low' });
      assert.equal(texts(first, 'thinking'), 'Let me think.');
      assert.equal(texts(first, 'text'), 'Answer.');
      assert.equal(first.findIndex((event) => event.type === 'thinking') < first.findIndex((event) => event.type === 'text'), true);
      assert.equal(texts(second, 'thinking'), 'Ollama style.');
      assert.equal(texts(second, 'text'), 'Done.');
    });

    it('assembles tool calls from argument fragments spread over chunks, by index', async () => {
      server.enqueue({
        kind: 'answer',
        text: ['Writing both files.'],
        interleaveToolCalls: true,
        toolCalls: [
          { id: 'call_a', name: 'write_file', argumentFragments: ['{"pa', 'th":"src/x.ts",', '"content":"const ', 'x = \\"é\\";"}'] },
          { id: 'call_b', name: 'read_file', argumentFragments: ['{"path"', ':"README.md"}'] },
          { id: 'call_c', name: 'run_verification', argumentFragments: [] },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 5 },
      });
      const events = await collect(clientFor());
      assert.deepEqual(events.slice(1), [
        { type: 'tool-call', id: 'call_a', name: 'write_file', input: { path: 'src/x.ts', content: 'const x = "é";' } },
        { type: 'tool-call', id: 'call_b', name: 'read_file', input: { path: 'README.md' } },
        { type: 'tool-call', id: 'call_c', name: 'run_verification', input: {} },
        { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 } },
        { type: 'done', stopReason: 'tool-use' },
      ]);
    });

    it('gives a tool call without an id one, and reports tool-use even when the server says stop', async () => {
      server.enqueue({
        kind: 'raw',
        pieces: [
          sseData({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'read_file', arguments: '{"path":"a"}' } }] } }] }),
          sseData({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
          sseData('[DONE]'),
        ],
      });
      const events = await collect(clientFor());
      const call = events[0];
      assert.ok(call?.type === 'tool-call');
      assert.match(call.id, /^call_/);
      assert.deepEqual(events[1], { type: 'done', stopReason: 'tool-use' });
    });

    it('reads CRLF line endings and keep-alive comments', async () => {
      server.enqueue({ kind: 'answer', text: ['line ', 'endings'], lineEnding: '\r\n', keepAliveComments: true });
      const events = await collect(clientFor());
      assert.equal(texts(events, 'text'), 'line endings');
      assert.deepEqual(events.at(-1), { type: 'done', stopReason: 'end' });
    });

    it('reports an answer stopped by the token limit as max-tokens', async () => {
      server.enqueue({ kind: 'answer', text: ['Trunc'], finishReason: 'length' });
      const events = await collect(clientFor());
      assert.deepEqual(events.at(-1), { type: 'done', stopReason: 'max-tokens' });
    });

    it('accepts an answer with a finish_reason but no [DONE], and without usage', async () => {
      server.enqueue({
        kind: 'raw',
        pieces: [sseData({ choices: [{ index: 0, delta: { content: 'Hi' } }] }), sseData({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })],
      });
      assert.deepEqual(await collect(clientFor()), [
        { type: 'text', text: 'Hi' },
        { type: 'done', stopReason: 'end' },
      ]);
    });

    it('understands a whole JSON completion from a server that ignores stream: true', async () => {
      const completion = {
        id: 'x',
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Whole.', tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'read_file', arguments: '{"path":"b"}' } }] },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 4 },
      };
      server.enqueue({ kind: 'raw', headers: { 'content-type': 'application/json' }, pieces: [JSON.stringify(completion)] });
      assert.deepEqual(await collect(clientFor()), [
        { type: 'text', text: 'Whole.' },
        { type: 'tool-call', id: 'call_w', name: 'read_file', input: { path: 'b' } },
        { type: 'usage', usage: { inputTokens: 3, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 } },
        { type: 'done', stopReason: 'tool-use' },
      ]);
    });

    it('names the provider and model in its info', () => {
      const client = createOpenAiCompatibleClient({ apiKey: '', baseUrl: server.baseUrl, modelId: 'qwen3:32b', displayName: 'Qwen3 32B', requestTimeoutMs: 1_000, provider: 'ollama' });
      assert.deepEqual(client.info, { provider: 'ollama', modelId: 'qwen3:32b', displayName: 'Qwen3 32B', isDemo: false });
      assert.equal(clientFor().info.provider, 'openai-compatible');
    });
  });

  describe('errors', () => {
    it('429 is rate-limited with the server delay, and withRetries succeeds on the second request', async () => {
      server.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached for requests', headers: { 'retry-after': '2' } });
      const error = await failure(collect(clientFor()), 'rate-limited');
      assert.equal(error.details.status, 429);
      assert.equal(error.details.retryAfterMs, 2_000);
      assert.equal(error.retryable, true);
      assert.match(error.message, /Rate limit reached/);

      server.reset();
      server.enqueue({ kind: 'error', status: 429, message: 'Slow down', headers: { 'retry-after-ms': '1', 'retry-after': '30' } }, { kind: 'answer', text: ['Made it.'] });
      const delays: number[] = [];
      const events = await collect(withRetries(clientFor(), fastRetries, (notice) => delays.push(notice.delayMs)));
      assert.equal(texts(events, 'text'), 'Made it.');
      assert.equal(server.requests.length, 2);
      assert.deepEqual(delays, [1], 'retry-after-ms is preferred over retry-after');
    });

    it('reads a retry-after given as an HTTP date', async () => {
      server.enqueue({ kind: 'error', status: 429, message: 'later', headers: { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() } });
      const error = await failure(collect(clientFor()), 'rate-limited');
      assert.ok((error.details.retryAfterMs ?? 0) > 3_000_000);
    });

    it('maps 503, 500, 400 and 404 to their kinds with the server words and advice', async () => {
      const cases = [
        { status: 503, kind: 'overloaded', message: 'The engine is currently overloaded' },
        { status: 500, kind: 'server', message: 'The server had an error while processing your request' },
        { status: 400, kind: 'bad-request', message: "This model's maximum context length is 8192 tokens" },
        { status: 404, kind: 'not-found', message: 'The model `gpt-9` does not exist' },
      ] as const;
      for (const { status, kind, message } of cases) {
        server.enqueue({ kind: 'error', status, message });
        const error = await failure(collect(clientFor()), kind);
        assert.equal(error.details.status, status);
        assert.equal(error.details.provider, 'openai-compatible');
        assert.ok(error.message.includes(message), error.message);
        assert.ok(error.message.includes(`HTTP ${status}`), error.message);
        assert.ok(error.message.includes(server.baseUrl), error.message);
      }
      assert.equal(server.requests.length, cases.length, 'a 400 that names no optional field is not sent again');
    });

    it('reads the error shapes of other servers: a string error, vLLM and FastAPI bodies, plain text', async () => {
      server.enqueue(
        { kind: 'error', status: 400, message: '', rawBody: JSON.stringify({ error: 'model not loaded' }) },
        { kind: 'error', status: 400, message: '', rawBody: JSON.stringify({ object: 'error', message: 'vLLM says no', type: 'BadRequestError', code: 400 }) },
        { kind: 'error', status: 422, message: '', rawBody: JSON.stringify({ detail: 'field required' }) },
        { kind: 'error', status: 502, message: '', rawBody: '<html>Bad   Gateway</html>' },
      );
      const words = [];
      for (const kind of ['bad-request', 'bad-request', 'bad-request', 'server'] as const) words.push((await failure(collect(clientFor()), kind)).message);
      assert.match(words[0] ?? '', /model not loaded/);
      assert.match(words[1] ?? '', /vLLM says no/);
      assert.match(words[2] ?? '', /field required/);
      assert.match(words[3] ?? '', /<html>Bad Gateway<\/html>/);
    });

    it('401 is auth and is not retried', async () => {
      server.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key' }, { kind: 'answer', text: ['never'] });
      const error = await failure(collect(withRetries(clientFor(), fastRetries)), 'auth');
      assert.equal(error.retryable, false);
      assert.equal(server.requests.length, 1);
      assert.match(error.message, /API key/);
    });

    it('a 400 naming reasoning_effort is sent once more without it, and the client remembers', async () => {
      server.enqueue(
        { kind: 'error', status: 400, message: 'Unrecognized request argument supplied: reasoning_effort', param: 'reasoning_effort' },
        { kind: 'answer', text: ['Thought-free.'] },
        { kind: 'answer', text: ['Again.'] },
      );
      const client = clientFor();
      const events = await collect(client, { thinking: 'high' });
      assert.equal(texts(events, 'text'), 'Thought-free.');
      assert.equal(server.requests.length, 2);
      assert.equal(body(0)['reasoning_effort'], 'high');
      assert.equal('reasoning_effort' in body(1), false);
      assert.deepEqual(body(1)['messages'], body(0)['messages']);

      await collect(client, { thinking: 'medium' });
      assert.equal(server.requests.length, 3, 'the next call leaves the field out from the start');
      assert.equal('reasoning_effort' in body(2), false);
    });

    it("also drops reasoning_effort when Ollama says the model does not support thinking", async () => {
    server.enqueue(
      { kind: 'error', status: 400, message: '"llama3.1:8b" does not support thinking' },
      { kind: 'answer', text: ['ok'] },
      { kind: 'error', status: 400, message: 'think value "medium" is not supported for this model' },
      { kind: 'answer', text: ['ok'] },
    );
    await collect(clientFor(), { thinking: 'high' });
    await collect(clientFor(), { thinking: 'medium' });
    assert.equal(server.requests.length, 4);
    assert.deepEqual(
      server.requests.map((request) => request.body?.['reasoning_effort']),
      ['high', undefined, 'medium', undefined],
    );
  });

  it('a second refusal of the same request is reported, not retried again', async () => {
      server.enqueue(
        { kind: 'error', status: 400, message: 'reasoning_effort is not supported' },
        { kind: 'error', status: 400, message: 'reasoning_effort is still not supported' },
      );
      await failure(collect(clientFor(), { thinking: 'low' }), 'bad-request');
      assert.equal(server.requests.length, 2);
    });

    it('switches to max_completion_tokens when a server asks for it', async () => {
      server.enqueue(
        { kind: 'error', status: 400, message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", param: 'max_tokens', code: 'unsupported_parameter' },
        { kind: 'answer', text: ['ok'] },
      );
      await collect(clientFor(), { maxOutputTokens: 2_000 });
      assert.equal(server.requests.length, 2);
      assert.equal(body(1)['max_completion_tokens'], 2_000);
      assert.equal('max_tokens' in body(1), false);
    });

    it('a refused connection is a network error naming the base URL', async () => {
      const closed = await startFakeOpenAiServer();
      const baseUrl = closed.baseUrl;
      await closed.close();
      const error = await failure(collect(clientFor({ baseUrl })), 'network');
      assert.equal(error.retryable, true);
      assert.ok(error.message.includes(baseUrl), error.message);
      assert.match(error.message, /ECONNREFUSED/);
      assert.match(error.message, /is the local server running\?/i);
    });

    it('a stream that ends before its finish is stream-cut, whether ended or torn down', async () => {
      for (const ending of ['cut', 'destroy'] as const) {
        server.enqueue({ kind: 'answer', text: ['Half an ', 'answer'], ending });
        const seen: ModelEvent[] = [];
        const error = await failure(
          (async () => {
            for await (const event of clientFor().stream(baseRequest, new AbortController().signal)) seen.push(event);
          })(),
          'stream-cut',
        );
        assert.equal(texts(seen, 'text'), 'Half an answer', ending);
        assert.equal(error.retryable, true);
      }
    });

    it('a stream cut inside an event is stream-cut, not a shorter answer', async () => {
      server.enqueue({ kind: 'raw', pieces: [sseData({ choices: [{ index: 0, delta: { content: 'a' } }] }), 'data: {"choices":[{"index":0,"delta":{},"finish_'] });
      await failure(collect(clientFor()), 'stream-cut');
    });

    it('a chunk that is not JSON is malformed', async () => {
      server.enqueue({ kind: 'raw', pieces: [sseData({ choices: [{ index: 0, delta: { content: 'ok' } }] }), 'data: {"choices": [\n\n', sseData('[DONE]')] });
      await failure(collect(clientFor()), 'malformed');
    });

    it('tool-call arguments that are not a JSON object are malformed', async () => {
      server.enqueue({ kind: 'answer', toolCalls: [{ name: 'read_file', argumentFragments: ['{"path": "a"'] }] });
      const error = await failure(collect(clientFor()), 'malformed');
      assert.match(error.message, /read_file/);
    });

    it('an error chunk in the middle of the stream becomes a ModelError', async () => {
      server.enqueue({ kind: 'raw', pieces: [sseData({ choices: [{ index: 0, delta: { content: 'x' } }] }), sseData({ error: { message: 'upstream overloaded', code: 503 } })] });
      const error = await failure(collect(clientFor()), 'overloaded');
      assert.match(error.message, /upstream overloaded/);
    });

    it('a server that never answers, or stops mid-answer, times out', async () => {
      server.enqueue({ kind: 'hang' }, { kind: 'answer', text: ['slow'], ending: 'hang' });
      const error = await failure(collect(clientFor({ requestTimeoutMs: 100 })), 'timeout');
      assert.match(error.message, /100 ms/);
      assert.equal(error.retryable, true);
      await failure(collect(clientFor({ requestTimeoutMs: 100 })), 'timeout');
      assert.equal(server.requests.length, 2);
    });

    it('a cancel mid-stream stops the stream with cancelled', async () => {
      server.enqueue({ kind: 'answer', text: ['first words'], ending: 'hang' });
      const controller = new AbortController();
      const seen: ModelEvent[] = [];
      await failure(
        (async () => {
          for await (const event of clientFor().stream(baseRequest, controller.signal)) {
            seen.push(event);
            controller.abort(new Error('cancelled by the user'));
          }
        })(),
        'cancelled',
      );
      assert.deepEqual(seen, [{ type: 'text', text: 'first words' }]);
      await connectionReleased(server); // not left hanging
    });

    it('a consumer that stops reading early releases the connection', async () => {
      server.enqueue({ kind: 'answer', text: ['enough'], ending: 'hang' });
      for await (const event of clientFor().stream(baseRequest, new AbortController().signal)) {
        assert.deepEqual(event, { type: 'text', text: 'enough' });
        break;
      }
      await connectionReleased(server);
    });

    it('a cancel while waiting for the answer, or before the call, is cancelled', async () => {
      server.enqueue({ kind: 'hang' });
      const controller = new AbortController();
      const pending = collect(clientFor(), {}, controller.signal);
      await within(server.received(1), 'the call never reached the server');
      controller.abort();
      await failure(pending, 'cancelled');
      await failure(collect(clientFor(), {}, controller.signal), 'cancelled');
      assert.equal(server.requests.length, 1, 'an already cancelled call sends nothing');
    });

    it('a base URL that is not http(s) is a bad-request error, not a crash', async () => {
      await failure(collect(clientFor({ baseUrl: 'localhost:11434/v1' })), 'bad-request');
      await failure(collect(clientFor({ baseUrl: 'not a url' })), 'bad-request');
    });

    it('never lets the key into an error message, even when the server echoes it', async () => {
      const canaries = ['sk-canary-5f1c2e9a7b3d4c6e8f0a', 'canary-key-7f3a9c1e5b2d4f60'];
      const echo = (request: { headers: Record<string, string | string[] | undefined> }): string =>
        `Bad key. You sent authorization=${String(request.headers['authorization'])} (key ${String(request.headers['authorization']).replace('Bearer ', '')})`;
      for (const canary of canaries) {
        server.reset();
        server.enqueue(
          { kind: 'error', status: 401, message: echo },
          { kind: 'error', status: 400, message: echo },
          { kind: 'error', status: 429, message: echo, headers: { 'retry-after-ms': '1' } },
          { kind: 'error', status: 500, message: echo },
          { kind: 'error', status: 400, message: '', rawBody: `plain text echo: ${canary}` },
          { kind: 'raw', pieces: [sseData({ error: { message: `stream echo ${canary}`, code: 500 } })] },
        );
        const messages: string[] = [];
        for (let attempt = 0; attempt < 6; attempt += 1) {
          try {
            await collect(clientFor({ apiKey: canary }));
            assert.fail('expected a failure');
          } catch (error) {
            assert.ok(error instanceof ModelError);
            messages.push(error.message);
          }
        }
        assert.equal(server.requests.length, 6);
        assert.equal(server.requests[0]?.headers['authorization'], `Bearer ${canary}`, 'the server did receive the key');
        for (const message of messages) {
          assert.equal(message.includes(canary), false, message);
          assert.equal(message.includes(canary.slice(4)), false, message);
        }
      }
    });
  });
});
