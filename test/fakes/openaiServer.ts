// A hand-written OpenAI-compatible server for tests: node:http on 127.0.0.1:0 speaking
// `POST {prefix}/chat/completions`, streamed (SSE `data:` chunks ending `data: [DONE]`) or not.
// Each test queues the replies it wants — answers built from text, reasoning and tool-call
// fragments, HTTP errors, raw bytes (malformed chunks, odd framing), cut streams, hangs — and
// asserts on the log of requests it received. An empty queue answers 500 so a test that expects
// fewer requests than the client makes fails loudly.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arrivals } from './arrivals.js';
import { parseJsonOrText, readBody } from './httpBody.js';
import { delay, type FakeAutoMode } from './fakeLimits.js';

export interface RecordedRequest {
  method: string;
  /** The path with any query string, e.g. '/gateway/v1/chat/completions'. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: Record<string, unknown> | undefined;
  rawBody: string;
  /** Settles when the connection of this request's response closes (a client hanging up ends it). */
  closed: Promise<void>;
}

export interface FakeToolCall {
  id?: string;
  name: string;
  /** The arguments' JSON text in the pieces to stream it in (joined for a non-streamed answer). */
  argumentFragments: string[];
}

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
}

export interface FakeAnswer {
  kind: 'answer';
  /** Content deltas, one chunk each. */
  text?: string[];
  /** Reasoning deltas, streamed before the text. */
  reasoning?: string[];
  /** The delta field the reasoning is sent in: vLLM/DeepSeek use the first, Ollama the second. */
  reasoningField?: 'reasoning_content' | 'reasoning';
  toolCalls?: FakeToolCall[];
  /** Alternate the calls' fragments chunk by chunk instead of one call after the other. */
  interleaveToolCalls?: boolean;
  /** Default: 'tool_calls' when there are tool calls, else 'stop'. */
  finishReason?: string;
  /** Sent as the final chunk when the request asked for stream_options.include_usage. */
  usage?: FakeUsage;
  /**
   * How the stream ends: 'done' (finish chunk, usage, [DONE]); 'cut' (no finish chunk, no
   * [DONE], the response ends cleanly); 'destroy' (the same, then the socket is torn down);
   * 'hang' (stays open after the content chunks).
   */
  ending?: 'done' | 'cut' | 'destroy' | 'hang';
  lineEnding?: '\n' | '\r\n';
  /** Put `: keep-alive` comment lines between the chunks, as some gateways do. */
  keepAliveComments?: boolean;
  headers?: Record<string, string>;
  /**
   * The answer starts (headers included) only when this settles: a test holds the model "still
   * thinking" at a point of its choosing, e.g. a Coder turn in flight while the window reloads.
   */
  startGate?: Promise<void>;
}

export interface FakeError {
  kind: 'error';
  status: number;
  /** The error text; a function can echo parts of the request (say, its Authorization header). */
  message: string | ((request: RecordedRequest) => string);
  type?: string;
  code?: string | null;
  param?: string | null;
  headers?: Record<string, string>;
  /** Sent instead of the OpenAI-style JSON body. */
  rawBody?: string;
}

export interface FakeRaw {
  kind: 'raw';
  status?: number;
  headers?: Record<string, string>;
  /** Written one by one, each as its own network chunk. */
  pieces: string[];
  /** After the pieces: end the response (default), tear the socket down, or stay open. */
  ending?: 'end' | 'destroy' | 'hang';
}

/** Reads the request, then never answers. */
export interface FakeHang {
  kind: 'hang';
}

export type FakeReply = FakeAnswer | FakeError | FakeRaw | FakeHang;

export interface FakeOpenAiServer {
  /** e.g. 'http://127.0.0.1:PORT/v1' — what a client takes as its base URL. */
  readonly baseUrl: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Resolves once `count` requests have arrived (and been logged in `requests`) since the last reset. */
  received(count: number): Promise<void>;
  enqueue(...replies: FakeReply[]): void;
  /** Forgets queued replies and recorded requests (between tests). */
  reset(): void;
  /** Auto mode: every request gets a small answer within the limits, or what OpenAI says past them. */
  auto(mode: FakeAutoMode | undefined): void;
  close(): Promise<void>;
}

export const sseData = (payload: unknown, lineEnding = '\n'): string =>
  `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}${lineEnding}${lineEnding}`;

export async function startFakeOpenAiServer(options: { pathPrefix?: string } = {}): Promise<FakeOpenAiServer> {
  const prefix = (options.pathPrefix ?? '/v1').replace(/\/+$/, '');
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const arrived = arrivals();
  let completionCount = 0;
  let autoMode: FakeAutoMode | undefined;

  /** The reply auto mode gives, with OpenAI's x-ratelimit-* headers. */
  async function autoReply(mode: FakeAutoMode, key: string): Promise<FakeReply> {
    const admission = mode.limits.admit(key);
    if (admission.kind === 'revoked') return { kind: 'error', status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' };
    if (admission.kind === 'rate-limited') {
      return {
        kind: 'error',
        status: 429,
        message: `Rate limit reached (${admission.what}). Please try again in ${admission.retryAfterMs}ms.`,
        code: 'rate_limit_exceeded',
        headers: { 'retry-after-ms': String(admission.retryAfterMs), 'retry-after': String(Math.ceil(admission.retryAfterMs / 1000)) },
      };
    }
    await delay(mode.latencyMs ?? 0);
    const headers: Record<string, string> = {};
    if (admission.limit.rpm !== undefined) {
      headers['x-ratelimit-limit-requests'] = String(admission.limit.rpm);
      headers['x-ratelimit-remaining-requests'] = String(admission.remaining.requests ?? 0);
      headers['x-ratelimit-reset-requests'] = `${Math.max(0, Math.ceil(admission.resetMs.requests))}ms`;
    }
    if (admission.limit.tpm !== undefined) {
      headers['x-ratelimit-limit-tokens'] = String(admission.limit.tpm);
      headers['x-ratelimit-remaining-tokens'] = String(admission.remaining.tokens ?? 0);
      headers['x-ratelimit-reset-tokens'] = `${Math.max(0, Math.ceil(admission.resetMs.tokens))}ms`;
    }
    const tokens = mode.limits.tokensPerRequest;
    return { kind: 'answer', text: [mode.text ?? 'ok'], usage: { prompt_tokens: Math.max(0, tokens - 2), completion_tokens: Math.min(2, tokens) }, headers };
  }

  const server = createServer((req, res) => {
    void (async () => {
      const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
      const recorded = await record(req, closed);
      requests.push(recorded);
      arrived.recorded();
      const pathname = new URL(recorded.path, 'http://fake').pathname;
      if (req.method !== 'POST' || pathname !== `${prefix}/chat/completions`) {
        sendError(res, recorded, { kind: 'error', status: 404, message: `Unknown route ${req.method ?? '?'} ${pathname}`, code: 'unknown_url' });
        return;
      }
      const key = (req.headers.authorization ?? '').replace(/^Bearer\s+/, '');
      const reply = (autoMode ? await autoReply(autoMode, key) : queue.shift()) ?? { kind: 'error', status: 500, message: 'fake server: no reply queued for this request' };
      completionCount += 1;
      await answer(res, recorded, reply, `chatcmpl-fake-${completionCount}`);
    })().catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}${prefix}`,
    origin,
    requests,
    received: (count) => arrived.received(count),
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      arrived.reset();
    },
    auto: (mode) => {
      autoMode = mode;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging replies keep their sockets open; close them or close() never returns.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function record(req: IncomingMessage, closed: Promise<void>): Promise<RecordedRequest> {
  const rawBody = await readBody(req);
  const parsed = parseJsonOrText(rawBody);
  const body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  return { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, rawBody, closed };
}

async function answer(res: ServerResponse, request: RecordedRequest, reply: FakeReply, id: string): Promise<void> {
  switch (reply.kind) {
    case 'hang':
      return; // the socket stays open until the client gives up or the server closes
    case 'error':
      return sendError(res, request, reply);
    case 'raw':
      return sendRaw(res, reply);
    case 'answer':
      await reply.startGate;
      if (request.body?.['stream'] === true) return streamAnswer(res, request, reply, id);
      return sendWholeAnswer(res, request, reply, id);
  }
}

function sendError(res: ServerResponse, request: RecordedRequest, reply: FakeError): void {
  const message = typeof reply.message === 'function' ? reply.message(request) : reply.message;
  const body =
    reply.rawBody ??
    JSON.stringify({ error: { message, type: reply.type ?? errorType(reply.status), param: reply.param ?? null, code: reply.code ?? null } });
  res.writeHead(reply.status, { 'content-type': reply.rawBody === undefined ? 'application/json' : 'text/plain', ...reply.headers });
  res.end(body);
}

async function sendRaw(res: ServerResponse, reply: FakeRaw): Promise<void> {
  res.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
  for (const piece of reply.pieces) await write(res, piece);
  finishResponse(res, reply.ending ?? 'end');
}

async function streamAnswer(res: ServerResponse, request: RecordedRequest, reply: FakeAnswer, id: string): Promise<void> {
  const eol = reply.lineEnding ?? '\n';
  const model = typeof request.body?.['model'] === 'string' ? request.body['model'] : 'fake-model';
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
    id,
    object: 'chat.completion.chunk',
    created: 1_800_000_000,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const chunks: unknown[] = [chunk({ role: 'assistant', content: '' })];
  const reasoningField = reply.reasoningField ?? 'reasoning_content';
  for (const text of reply.reasoning ?? []) chunks.push(chunk({ [reasoningField]: text }));
  for (const text of reply.text ?? []) chunks.push(chunk({ content: text }));
  for (const toolCallDelta of toolCallDeltas(reply.toolCalls ?? [], reply.interleaveToolCalls ?? false)) chunks.push(chunk({ tool_calls: [toolCallDelta] }));

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
  for (const payload of chunks) {
    if (reply.keepAliveComments) await write(res, `: keep-alive${eol}${eol}`);
    await write(res, sseData(payload, eol));
  }
  const ending = reply.ending ?? 'done';
  if (ending !== 'done') return finishResponse(res, ending === 'cut' ? 'end' : ending);
  await write(res, sseData(chunk({}, finishReasonOf(reply)), eol));
  const streamOptions = request.body?.['stream_options'];
  const includeUsage = typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as Record<string, unknown>)['include_usage'] === true;
  if (reply.usage && includeUsage) {
    await write(res, sseData({ id, object: 'chat.completion.chunk', created: 1_800_000_000, model, choices: [], usage: usageOf(reply.usage) }, eol));
  }
  await write(res, sseData('[DONE]', eol));
  res.end();
}

function sendWholeAnswer(res: ServerResponse, request: RecordedRequest, reply: FakeAnswer, id: string): void {
  const calls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_fake_${index}`,
    type: 'function',
    function: { name: call.name, arguments: call.argumentFragments.join('') },
  }));
  const message: Record<string, unknown> = { role: 'assistant', content: reply.text?.join('') ?? null };
  if (reply.reasoning) message[reply.reasoningField ?? 'reasoning_content'] = reply.reasoning.join('');
  if (calls.length > 0) message['tool_calls'] = calls;
  res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
  res.end(
    JSON.stringify({
      id,
      object: 'chat.completion',
      created: 1_800_000_000,
      model: request.body?.['model'] ?? 'fake-model',
      choices: [{ index: 0, message, finish_reason: finishReasonOf(reply) }],
      ...(reply.usage ? { usage: usageOf(reply.usage) } : {}),
    }),
  );
}

/** First fragment: index, id, type, name and the first piece of arguments; then pieces alone. */
function toolCallDeltas(calls: FakeToolCall[], interleave: boolean): Record<string, unknown>[] {
  const perCall = calls.map((call, index) =>
    (call.argumentFragments.length > 0 ? call.argumentFragments : ['']).map((fragment, at) =>
      at === 0
        ? { index, id: call.id ?? `call_fake_${index}`, type: 'function', function: { name: call.name, arguments: fragment } }
        : { index, function: { arguments: fragment } },
    ),
  );
  if (!interleave) return perCall.flat();
  const deltas: Record<string, unknown>[] = [];
  for (let at = 0; perCall.some((fragments) => at < fragments.length); at += 1) {
    for (const fragments of perCall) {
      const delta = fragments[at];
      if (delta) deltas.push(delta);
    }
  }
  return deltas;
}

const finishReasonOf = (reply: FakeAnswer): string => reply.finishReason ?? ((reply.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop');

const usageOf = (usage: FakeUsage): Record<string, unknown> => ({
  prompt_tokens: usage.prompt_tokens,
  completion_tokens: usage.completion_tokens,
  total_tokens: usage.prompt_tokens + usage.completion_tokens,
  prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
  completion_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 0 },
});

function errorType(status: number): string {
  if (status === 401 || status === 403) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Writes one piece and waits until it is handed to the socket, so pieces arrive as separate chunks. */
function write(res: ServerResponse, piece: string): Promise<void> {
  return new Promise((resolve, reject) => {
    res.write(piece, (error) => (error ? reject(error) : setImmediate(resolve)));
  });
}

function finishResponse(res: ServerResponse, ending: 'end' | 'destroy' | 'hang'): void {
  if (ending === 'end') res.end();
  else if (ending === 'destroy') res.socket?.destroy();
  // 'hang': leave it open; close() tears it down.
}
