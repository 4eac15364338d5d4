// The Gemini provider on the real @google/genai SDK against the fake Gemini server: what goes
// over the wire, what comes back as events, how a tool loop carries Gemini's own Content, and
// how every failure becomes a ModelError that never shows the key.
import { GoogleGenAI } from '@google/genai';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { ChatMessage, ContentPart, ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import { ModelError } from '../../../src/core/models/modelErrors.js';
import { withRetries } from '../../../src/core/models/retry.js';
import { createGeminiClient } from '../../../src/providers/google/geminiModelClient.js';
import { missingSignature } from '../../../src/providers/google/geminiRequest.js';
import { GeminiTurnMemory } from '../../../src/providers/google/geminiTurnMemory.js';
import type { ProviderClientOptions } from '../../../src/providers/providerOptions.js';
import { errorBody, retryInfo, startFakeGeminiServer, type FakeGeminiAnswer, type FakeGeminiPart, type FakeGeminiServer } from '../../fakes/geminiServer.js';

/** Not shaped like a Google key, so only scrubbing by the known key can hide it. */
const apiKey = 'canary-key-7f3a9c2e51d8';

let server: FakeGeminiServer;
/** Every ModelError message a test saw, checked for the key at the end. */
const seenMessages: string[] = [];

/** A new client each time, as the extension builds one for every request. */
function client(options: Partial<ProviderClientOptions> = {}, memory?: GeminiTurnMemory): ModelClient {
  return createGeminiClient(
    { apiKey, baseUrl: server.url, modelId: 'gemini-3.1-pro-preview', displayName: 'Gemini 3.1 Pro', requestTimeoutMs: 60_000, ...options },
    memory,
  );
}

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return { purpose: 'implement', system: 'You are the Coder.', messages: [user('Hello')], thinking: 'high', maxOutputTokens: 1000, ...overrides };
}

async function collect(model: ModelClient, modelRequest: ModelRequest = request(), signal = new AbortController().signal): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of model.stream(modelRequest, signal)) events.push(event);
  return events;
}

/** The ModelError a stream ends with, plus the events it yielded before. */
async function failure(model: ModelClient, modelRequest: ModelRequest = request(), signal = new AbortController().signal): Promise<{ error: ModelError; events: ModelEvent[] }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of model.stream(modelRequest, signal)) events.push(event);
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    seenMessages.push(error.message);
    return { error, events };
  }
  assert.fail('the stream should have failed');
}

/** The assistant message the engine keeps of an answer (as core/coder/toolLoop.ts builds it). */
function asEngineMessage(events: ModelEvent[]): ChatMessage {
  const content: ContentPart[] = [];
  let text = '';
  for (const event of events) {
    if (event.type === 'text') text += event.text;
    else if (event.type === 'tool-call') content.push({ type: 'tool-call', id: event.id, name: event.name, input: event.input });
  }
  if (text) content.unshift({ type: 'text', text });
  return { role: 'assistant', content };
}

function record(value: unknown, what: string): Record<string, unknown> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${what} is not an object`);
  return Object.fromEntries(Object.entries(value));
}

/** The JSON body of the index-th request the fake received. */
function body(index: number): Record<string, unknown> {
  const recorded = server.requests[index];
  assert.ok(recorded, `request ${index} was not made`);
  return record(recorded.body, `request ${index}`);
}

function generationConfig(index: number): Record<string, unknown> {
  return record(body(index).generationConfig, 'generationConfig');
}

function contents(index: number): unknown[] {
  const value = body(index).contents;
  assert.ok(Array.isArray(value), 'contents is not a list');
  return value;
}

const answer = (...parts: FakeGeminiPart[]): FakeGeminiAnswer => ({ kind: 'answer', parts });

describe('Gemini provider (real SDK, fake server)', () => {
  before(async () => {
    server = await startFakeGeminiServer();
  });
  beforeEach(() => server.reset());
  after(async () => {
    await server.close();
    for (const message of seenMessages) assert.ok(!message.includes(apiKey), `the key leaked into: ${message}`);
  });

  describe('the request', () => {
    it('streams from v1beta with alt=sse and sends the key only in x-goog-api-key', async () => {
      server.enqueue(answer({ text: 'Hi' }));
      await collect(client());
      const [recorded] = server.requests;
      assert.ok(recorded);
      assert.equal(recorded.method, 'POST');
      assert.equal(recorded.path, '/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent?alt=sse');
      assert.equal(recorded.headers['x-goog-api-key'], apiKey);
      assert.ok(!recorded.path.includes(apiKey));
      assert.ok(!JSON.stringify(recorded.body).includes(apiKey));
    });

    it('sends the system prompt, the history as user/model contents, and the output limit', async () => {
      server.enqueue(answer({ text: 'Hi' }));
      await collect(client(), request({ messages: [user('One'), { role: 'assistant', content: [{ type: 'text', text: 'Two' }] }, user('Three')] }));
      assert.deepEqual(body(0).systemInstruction, { parts: [{ text: 'You are the Coder.' }] });
      assert.deepEqual(contents(0), [
        { role: 'user', parts: [{ text: 'One' }] },
        { role: 'model', parts: [{ text: 'Two' }] },
        { role: 'user', parts: [{ text: 'Three' }] },
      ]);
      assert.equal(generationConfig(0).maxOutputTokens, 1000);
      // Transport options stay out of the body.
      assert.deepEqual(Object.keys(body(0)).sort(), ['contents', 'generationConfig', 'systemInstruction']);
    });

    it('sends the caller\'s temperature in generationConfig, and none when the caller chose none', async () => {
      server.enqueue(answer({ text: 'a' }), answer({ text: 'b' }));
      await collect(client(), request({ temperature: 0.2 }));
      await collect(client(), request());
      assert.equal(generationConfig(0).temperature, 0.2);
      assert.equal('temperature' in generationConfig(1), false);
    });

    it('maps each thinking level to thinkingLevel with includeThoughts, never with a budget', async () => {
      const cases: [string, ModelRequest['thinking'], string][] = [
        ['gemini-3-flash-preview', 'none', 'MINIMAL'],
        ['gemini-3-flash-preview', 'low', 'LOW'],
        ['gemini-3-flash-preview', 'medium', 'MEDIUM'],
        ['gemini-3-flash-preview', 'high', 'HIGH'],
        // The Pro models cannot stop thinking and refuse MINIMAL.
        ['gemini-3.1-pro-preview', 'none', 'LOW'],
        ['gemini-3.1-pro-preview', 'high', 'HIGH'],
      ];
      for (const [index, [modelId, thinking, level]] of cases.entries()) {
        server.enqueue(answer({ text: 'ok' }));
        await collect(client({ modelId }), request({ thinking }));
        assert.deepEqual(generationConfig(index).thinkingConfig, { thinkingLevel: level, includeThoughts: true }, `${modelId} ${thinking}`);
      }
    });

    it('gives Gemini 2.x a thinking budget instead, as it has no levels', async () => {
      server.enqueue(answer({ text: 'ok' }), answer({ text: 'ok' }));
      await collect(client({ modelId: 'gemini-2.5-flash-lite' }), request({ thinking: 'none' }));
      await collect(client({ modelId: 'gemini-2.5-flash-lite' }), request({ thinking: 'high' }));
      assert.deepEqual(generationConfig(0).thinkingConfig, { thinkingBudget: 0, includeThoughts: false });
      assert.deepEqual(generationConfig(1).thinkingConfig, { thinkingBudget: -1, includeThoughts: true });
    });

    it('declares tools as functionDeclarations with parametersJsonSchema', async () => {
      const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
      server.enqueue(answer({ text: 'ok' }));
      await collect(client(), request({ tools: [{ name: 'read_file', description: 'Read a file.', inputSchema: schema }], jsonSchema: { type: 'object' } }));
      assert.deepEqual(body(0).tools, [{ functionDeclarations: [{ name: 'read_file', description: 'Read a file.', parametersJsonSchema: schema }] }]);
      // Not together with tools.
      assert.equal(generationConfig(0).responseJsonSchema, undefined);
      assert.equal(generationConfig(0).responseMimeType, undefined);
    });

    it('asks for JSON with responseMimeType and responseJsonSchema when there are no tools', async () => {
      const schema = { type: 'object', properties: { outcome: { type: 'string', enum: ['approved', 'revisions-needed'] } }, required: ['outcome'] };
      server.enqueue(answer({ text: '{"outcome":"approved"}' }));
      const events = await collect(client(), request({ purpose: 'review', jsonSchema: schema }));
      assert.equal(generationConfig(0).responseMimeType, 'application/json');
      assert.deepEqual(generationConfig(0).responseJsonSchema, schema);
      assert.deepEqual(events[0], { type: 'text', text: '{"outcome":"approved"}' });
    });

    it('keeps a version that the base URL already names', async () => {
      server.enqueue(answer({ text: 'ok' }));
      await collect(client({ baseUrl: `${server.url}/v1/` }));
      assert.equal(server.requests[0]?.path, '/v1/models/gemini-3.1-pro-preview:streamGenerateContent?alt=sse');
    });
  });

  describe('the answer', () => {
    it('streams thought parts as thinking and text parts as text, then usage and done', async () => {
      server.enqueue({
        kind: 'answer',
        parts: [{ text: 'Considering the file.', thought: true }, { text: 'Hello ' }, { text: 'world', thoughtSignature: 'c2lnLTE=' }],
        usage: { promptTokenCount: 120, cachedContentTokenCount: 20, candidatesTokenCount: 7, thoughtsTokenCount: 30, totalTokenCount: 157 },
      });
      assert.deepEqual(await collect(client()), [
        { type: 'thinking', text: 'Considering the file.' },
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'world' },
        { type: 'usage', usage: { inputTokens: 100, outputTokens: 7, cacheReadTokens: 20, cacheWriteTokens: 0, thinkingTokens: 30 } },
        { type: 'done', stopReason: 'end' },
      ]);
    });

    it('turns function calls into tool-call events, with Gemini\'s id or a fresh one of ours', async () => {
      server.enqueue(
        answer(
          { text: 'Reading both.' },
          { functionCall: { id: 'fc-1', name: 'read_file', args: { path: 'a.txt' } }, thoughtSignature: 'U0lH' },
          { functionCall: { name: 'list_directory', args: { path: '.' } } },
          { functionCall: { name: 'run_verification' } },
        ),
      );
      const events = await collect(client());
      const calls = events.filter((event): event is Extract<ModelEvent, { type: 'tool-call' }> => event.type === 'tool-call');
      assert.deepEqual(calls[0], { type: 'tool-call', id: 'fc-1', name: 'read_file', input: { path: 'a.txt' } });
      assert.equal(calls[1]?.name, 'list_directory');
      assert.deepEqual(calls[2]?.input, {});
      assert.ok(calls[1]?.id && calls[2]?.id && calls[1].id !== calls[2].id, 'generated ids are unique');
      assert.deepEqual(events.at(-1), { type: 'done', stopReason: 'tool-use' });
    });

    it('reports MAX_TOKENS as a max-tokens stop', async () => {
      server.enqueue({ kind: 'answer', parts: [{ text: 'Half an ans' }], finishReason: 'MAX_TOKENS' });
      assert.deepEqual((await collect(client())).at(-1), { type: 'done', stopReason: 'max-tokens' });
    });

    it('refuses a blocked answer or prompt as a bad request that says why', async () => {
      server.enqueue({ kind: 'answer', parts: [{ text: 'Some' }], finishReason: 'SAFETY' }, { kind: 'answer', parts: [], promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } });
      const safety = await failure(client());
      assert.equal(safety.error.kind, 'bad-request');
      assert.match(safety.error.message, /safety filter/);
      const prompt = await failure(client());
      assert.equal(prompt.error.kind, 'bad-request');
      assert.match(prompt.error.message, /refused the prompt.*PROHIBITED_CONTENT/);
    });
  });

  describe('a tool loop', () => {
    it('sends the model\'s Content back unchanged, signatures and thoughts included, then the function responses', async () => {
      const firstParts: FakeGeminiPart[] = [
        { text: 'Which file first?', thought: true, thoughtSignature: 'dGhvdWdodA==' },
        { text: 'Reading the two files.' },
        { functionCall: { id: 'fc-1', name: 'read_file', args: { path: 'a.txt' } }, thoughtSignature: 'U0lHLTE=' },
        { functionCall: { id: 'fc-2', name: 'read_file', args: { path: 'b.txt' } } },
      ];
      server.enqueue(answer(...firstParts), answer({ text: 'Done.' }));
      const messages: ChatMessage[] = [user('Implement the spec.')];
      const tools = [{ name: 'read_file', description: 'Read a file.', inputSchema: { type: 'object' } }];
      messages.push(asEngineMessage(await collect(client(), request({ messages, tools }))));
      messages.push({
        role: 'user',
        content: [
          { type: 'tool-result', callId: 'fc-1', name: 'read_file', output: 'A', isError: false },
          { type: 'tool-result', callId: 'fc-2', name: 'read_file', output: 'No such file: b.txt', isError: true },
        ],
      });
      const second = await collect(client(), request({ messages, tools }));
      assert.deepEqual(second.at(-1), { type: 'done', stopReason: 'end' });
      assert.deepEqual(contents(1), [
        { role: 'user', parts: [{ text: 'Implement the spec.' }] },
        { role: 'model', parts: firstParts },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'fc-1', name: 'read_file', response: { output: 'A' } } },
            { functionResponse: { id: 'fc-2', name: 'read_file', response: { error: 'No such file: b.txt' } } },
          ],
        },
      ]);
    });

    it('sends no id of ours to Gemini when it gave none', async () => {
      const firstParts: FakeGeminiPart[] = [{ functionCall: { name: 'read_file', args: { path: 'a.txt' } }, thoughtSignature: 'U0lH' }];
      server.enqueue(answer(...firstParts), answer({ text: 'Done.' }));
      const messages: ChatMessage[] = [user('Go.')];
      const first = await collect(client(), request({ messages }));
      const call = first.find((event) => event.type === 'tool-call');
      assert.ok(call?.type === 'tool-call');
      messages.push(asEngineMessage(first), { role: 'user', content: [{ type: 'tool-result', callId: call.id, name: 'read_file', output: 'A', isError: false }] });
      await collect(client(), request({ messages }));
      assert.deepEqual(contents(1)[1], { role: 'model', parts: firstParts });
      assert.deepEqual(contents(1)[2], { role: 'user', parts: [{ functionResponse: { name: 'read_file', response: { output: 'A' } } }] });
    });

    it('rebuilds a turn it never saw with Google\'s stand-in signature on the first call', async () => {
      server.enqueue(answer({ text: 'Done.' }));
      const messages: ChatMessage[] = [
        user('Go.'),
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading.' },
            { type: 'tool-call', id: 'fc-9', name: 'read_file', input: { path: 'a.txt' } },
            { type: 'tool-call', id: 'fc-10', name: 'read_file', input: { path: 'b.txt' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool-result', callId: 'fc-9', name: 'read_file', output: 'A', isError: false }] },
      ];
      await collect(client({}, new GeminiTurnMemory()), request({ messages }));
      assert.deepEqual(contents(0)[1], {
        role: 'model',
        parts: [
          { text: 'Reading.' },
          { functionCall: { id: 'fc-9', name: 'read_file', args: { path: 'a.txt' } }, thoughtSignature: missingSignature },
          { functionCall: { id: 'fc-10', name: 'read_file', args: { path: 'b.txt' } } },
        ],
      });
    });

    it('does not hand one model\'s signatures to another', async () => {
      const firstParts: FakeGeminiPart[] = [{ functionCall: { id: 'fc-flash', name: 'read_file', args: { path: 'a.txt' } }, thoughtSignature: 'Rkxhc2g=' }];
      server.enqueue(answer(...firstParts), answer({ text: 'Done.' }));
      const messages: ChatMessage[] = [user('Go.')];
      messages.push(asEngineMessage(await collect(client({ modelId: 'gemini-3-flash-preview' }), request({ messages }))));
      messages.push({ role: 'user', content: [{ type: 'tool-result', callId: 'fc-flash', name: 'read_file', output: 'A', isError: false }] });
      // The fallback model carries on the same conversation.
      await collect(client(), request({ messages }));
      assert.deepEqual(contents(1)[1], {
        role: 'model',
        parts: [{ functionCall: { id: 'fc-flash', name: 'read_file', args: { path: 'a.txt' } }, thoughtSignature: missingSignature }],
      });
    });
  });

  describe('failures', () => {
    it('429 with retry-after is rate-limited with the server\'s delay', async () => {
      server.enqueue({ kind: 'http-error', status: 429, headers: { 'retry-after': '7' } });
      const { error } = await failure(client());
      assert.equal(error.kind, 'rate-limited');
      assert.equal(error.details.retryAfterMs, 7000);
      assert.equal(error.details.status, 429);
      assert.ok(error.retryable);
    });

    it('429 takes the delay from Google\'s RetryInfo when there is no header', async () => {
      server.enqueue({ kind: 'http-error', status: 429, body: errorBody(429, 'Resource has been exhausted (e.g. check quota).', [retryInfo('12s')]) });
      const { error } = await failure(client());
      assert.equal(error.kind, 'rate-limited');
      assert.equal(error.details.retryAfterMs, 12_000);
      assert.match(error.message, /Resource has been exhausted/);
    });

    it('withRetries waits as told after a 429 and succeeds on the second request', async () => {
      server.enqueue({ kind: 'http-error', status: 429, headers: { 'retry-after-ms': '1' } }, answer({ text: 'At last.' }));
      const notices: number[] = [];
      const events = await collect(withRetries(client(), { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 }, (notice) => notices.push(notice.delayMs)));
      assert.equal(server.requests.length, 2);
      assert.deepEqual(notices, [1]);
      assert.deepEqual(events[0], { type: 'text', text: 'At last.' });
    });

    it('maps HTTP statuses to kinds, with advice', async () => {
      const cases: [number, ModelError['kind']][] = [
        [503, 'overloaded'],
        [500, 'server'],
        [401, 'auth'],
        [403, 'auth'],
        [400, 'bad-request'],
      ];
      for (const [status, kind] of cases) {
        server.enqueue({ kind: 'http-error', status, body: errorBody(status, `Scripted failure ${status}.`) });
        const { error } = await failure(client());
        assert.equal(error.kind, kind, `HTTP ${status}`);
        assert.equal(error.details.status, status);
        assert.match(error.message, new RegExp(`HTTP ${status}.*Scripted failure ${status}`));
      }
      const auth = seenMessages.find((message) => message.includes('HTTP 401'));
      assert.match(auth ?? '', /API key/);
    });

    it('treats Google\'s 400 for a wrong key as an auth failure', async () => {
      server.enqueue({
        kind: 'http-error',
        status: 400,
        body: errorBody(400, 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }]),
      });
      assert.equal((await failure(client())).error.kind, 'auth');
    });

    it('404 for a retired model says so and names its successor', async () => {
      server.enqueue({ kind: 'http-error', status: 404, body: errorBody(404, 'models/gemini-3-pro-preview is not found for API version v1beta.') });
      const { error } = await failure(client({ modelId: 'gemini-3-pro-preview' }));
      assert.equal(error.kind, 'not-found');
      assert.match(error.message, /gemini-3-pro-preview.*retired/);
      assert.match(error.message, /gemini-3\.1-pro-preview/);
      assert.equal(error.retryable, false);
    });

    it('404 for a model we do not know says it may be misspelt', async () => {
      server.enqueue({ kind: 'http-error', status: 404 });
      const { error } = await failure(client({ modelId: 'gemini-9-ultra' }));
      assert.equal(error.kind, 'not-found');
      assert.match(error.message, /"gemini-9-ultra".*misspelt/);
    });

    it('a stream that ends without a finishReason is cut, after what did arrive', async () => {
      server.enqueue({ kind: 'answer', parts: [{ text: 'One ' }, { text: 'two ' }, { text: 'three' }], interrupt: { afterChunks: 2, how: 'end' } });
      const { error, events } = await failure(client());
      assert.equal(error.kind, 'stream-cut');
      assert.ok(error.retryable);
      assert.deepEqual(events, [
        { type: 'text', text: 'One ' },
        { type: 'text', text: 'two ' },
      ]);
    });

    it('a dropped connection mid-answer is a cut stream', async () => {
      server.enqueue({ kind: 'answer', parts: [{ text: 'One ' }, { text: 'two' }], interrupt: { afterChunks: 1, how: 'destroy' } });
      const { error, events } = await failure(client());
      // Whether the first chunk got through depends on the client's reading pace; either way the
      // failure is retryable, and a cut only once part of the answer had arrived.
      assert.equal(error.kind, events.length > 0 ? 'stream-cut' : 'network');
      assert.ok(error.retryable);
    });

    it('an error chunk mid-stream keeps its status', async () => {
      server.enqueue({ kind: 'answer', parts: [{ text: 'One ' }, { text: 'two' }], interrupt: { afterChunks: 1, how: { code: 503, message: 'The model is overloaded.' } } });
      const { error } = await failure(client());
      assert.equal(error.kind, 'overloaded');
      assert.match(error.message, /overloaded/);
    });

    it('malformed JSON is malformed', async () => {
      server.enqueue({ kind: 'answer', parts: [{ text: 'One ' }], interrupt: { afterChunks: 1, how: 'malformed' } });
      const { error } = await failure(client());
      assert.equal(error.kind, 'malformed');
      assert.equal(error.retryable, false);
    });

    it('a server that never answers times out after requestTimeoutMs', async () => {
      server.enqueue({ kind: 'hang' });
      const { error } = await failure(client({ requestTimeoutMs: 200 }));
      assert.equal(error.kind, 'timeout');
      assert.ok(error.retryable);
    });

    it('a stream that stalls times out too', async () => {
      server.enqueue({ kind: 'answer', parts: [{ text: 'One ' }, { text: 'two' }], interrupt: { afterChunks: 1, how: 'stall' } });
      const { error, events } = await failure(client({ requestTimeoutMs: 300 }));
      assert.equal(error.kind, 'timeout');
      assert.deepEqual(events, [{ type: 'text', text: 'One ' }]);
    });

    it('cancelling mid-stream ends the stream as cancelled', async () => {
      // The timeout is far beyond the test's own, so only the cancel can end this stream.
      server.enqueue({ kind: 'answer', parts: [{ text: 'One ' }, { text: 'two' }], interrupt: { afterChunks: 1, how: 'stall' } });
      const controller = new AbortController();
      const events: ModelEvent[] = [];
      const outcome = await (async () => {
        try {
          for await (const event of client().stream(request(), controller.signal)) {
            events.push(event);
            controller.abort();
          }
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      assert.ok(outcome instanceof ModelError);
      assert.equal(outcome.kind, 'cancelled');
      assert.deepEqual(events, [{ type: 'text', text: 'One ' }]);
    });

    it('an already cancelled signal makes no request', async () => {
      const controller = new AbortController();
      controller.abort();
      assert.equal((await failure(client(), request(), controller.signal)).error.kind, 'cancelled');
      assert.equal(server.requests.length, 0);
    });

    it('a refused connection is a network failure', async () => {
      const port = await closedPort();
      const { error } = await failure(client({ baseUrl: `http://127.0.0.1:${port}` }));
      assert.equal(error.kind, 'network');
      assert.ok(error.retryable);
    });

    it('never shows the key, even when the server echoes it', async () => {
      const echo = (recorded: { headers: Record<string, unknown>; path: string }) =>
        errorBody(400, `API key not valid: ${String(recorded.headers['x-goog-api-key'])} (sent to ${recorded.path})`);
      server.enqueue(
        { kind: 'http-error', status: 400, bodyFrom: echo },
        { kind: 'http-error', status: 429, bodyFrom: (recorded) => errorBody(429, `Quota exceeded for key ${String(recorded.headers['x-goog-api-key'])}`) },
        { kind: 'http-error', status: 500, headers: { 'content-type': 'text/plain' }, bodyFrom: (recorded) => `x-goog-api-key: ${String(recorded.headers['x-goog-api-key'])}` },
      );
      for (let index = 0; index < 3; index += 1) {
        const { error } = await failure(client());
        assert.ok(!error.message.includes(apiKey), error.message);
        assert.match(error.message, /\[redacted\]/);
      }
    });

    it('never leaves part of the key behind when it shortens a long server message', async () => {
      server.enqueue({ kind: 'http-error', status: 400, bodyFrom: (recorded) => errorBody(400, `${'x'.repeat(494)}${String(recorded.headers['x-goog-api-key'])}`) });
      const { error } = await failure(client());
      assert.ok(!error.message.includes(apiKey.slice(0, 6)), error.message);
    });
  });
});

describe('the fake Gemini server', () => {
  it('also answers a non-streamed generateContent, merged into one response', async () => {
    const fake = await startFakeGeminiServer();
    try {
      fake.enqueue({ kind: 'answer', parts: [{ text: 'Hel' }, { text: 'lo' }], usage: { promptTokenCount: 3, candidatesTokenCount: 2 } });
      const ai = new GoogleGenAI({ apiKey, vertexai: false, httpOptions: { baseUrl: fake.url, apiVersion: 'v1beta' } });
      const response = await ai.models.generateContent({ model: 'gemini-3-flash-preview', contents: 'Hi' });
      assert.equal(fake.requests[0]?.path, '/v1beta/models/gemini-3-flash-preview:generateContent');
      assert.equal(response.text, 'Hello');
      assert.equal(response.candidates?.[0]?.finishReason, 'STOP');
      assert.equal(response.usageMetadata?.candidatesTokenCount, 2);
    } finally {
      await fake.close();
    }
  });
});

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}
