// A fake Anthropic Messages API on 127.0.0.1, scriptable per test: the real SDK talks to it over
// real HTTP, so tests see what the SDK really sends and how it really reacts to answers, errors,
// broken streams and silence. Wire format as observed with @anthropic-ai/sdk 1.x (see
// /work/shared/PROVIDERS.md): every SSE event carries an `event:` line, or the SDK drops it.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arrivals } from './arrivals.js';
import { parseJsonOrText, readBody } from './httpBody.js';
import { delay, type FakeAutoMode } from './fakeLimits.js';

export type FakeAnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface FakeAnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  thinking_tokens: number;
}

/** How a streamed answer goes wrong after `afterEvents` SSE events have been sent. */
export type FakeAnthropicInterruption =
  /** The socket is destroyed mid-body: the client sees the connection drop. */
  | 'cut'
  /** The body ends cleanly, but before message_stop. */
  | 'end'
  /** A data line that is not JSON, then the body ends. */
  | 'malformed'
  /** Nothing more is sent and the response stays open (for cancel and timeout tests). */
  | 'stall'
  /** An in-stream `event: error`, as the API sends for overload mid-answer. */
  | { errorType: string; message: string };

export interface FakeAnthropicAnswer {
  kind: 'answer';
  blocks: FakeAnthropicBlock[];
  /** Defaults to 'tool_use' when a tool_use block is scripted, else 'end_turn'. */
  stopReason?: string;
  usage?: Partial<FakeAnthropicUsage>;
  /** Characters per text/thinking/input_json delta, so tests see assembly from several chunks. */
  chunkSize?: number;
  interrupt?: { afterEvents: number; how: FakeAnthropicInterruption };
  /** Pause between events, so a stream is paced like a real model's (the latency benchmark). */
  eventIntervalMs?: number;
  /** The answer starts only when this settles (the benchmark waits for its observer first). */
  startGate?: Promise<void>;
  /** Called as each text delta is written, with the text and the wall-clock time it left. */
  onTextSent?: (text: string, sentAtMs: number) => void;
  /** Extra response headers (the rate-limit headers of auto mode). */
  headers?: Record<string, string>;
}

export interface FakeAnthropicHttpError {
  kind: 'http-error';
  status: number;
  /** JSON body; a function sees the request, e.g. to echo a header back like a careless proxy. */
  body?: unknown | ((request: RecordedAnthropicRequest) => unknown);
  headers?: Record<string, string>;
}

/** Accepts the request and never answers, not even with headers. */
export interface FakeAnthropicHang {
  kind: 'hang';
}

export type FakeAnthropicReply = FakeAnthropicAnswer | FakeAnthropicHttpError | FakeAnthropicHang;

export interface RecordedAnthropicRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

export interface FakeAnthropicServer {
  /** Base URL to hand to the SDK as `baseURL`. */
  url: string;
  requests: RecordedAnthropicRequest[];
  /** Resolves once `count` requests have arrived (and been logged in `requests`). */
  received(count: number): Promise<void>;
  enqueue(...replies: FakeAnthropicReply[]): void;
  /** Auto mode: every request gets a small answer within the limits, or what a provider says past them. */
  auto(mode: FakeAutoMode | undefined): void;
  /** Requests whose client hung up before the answer was complete. */
  hangUps(): number;
  close(): Promise<void>;
}

type SseEvent = { event: string; data: unknown };

export async function startFakeAnthropicServer(): Promise<FakeAnthropicServer> {
  const queue: FakeAnthropicReply[] = [];
  const requests: RecordedAnthropicRequest[] = [];
  const arrived = arrivals();
  let autoMode: FakeAutoMode | undefined;
  let hangUps = 0;
  const server = createServer((req, res) => {
    // A client that closed before the answer ended (a cancel reaching the provider).
    res.once('close', () => {
      if (!res.writableFinished) hangUps += 1;
    });
    handle(req, res).catch(() => res.destroy());
  });

  /** The reply auto mode gives: what the limits allow, as Anthropic words it. */
  async function autoReply(mode: FakeAutoMode, key: string): Promise<FakeAnthropicReply> {
    const admission = mode.limits.admit(key);
    if (admission.kind === 'revoked') return { kind: 'http-error', status: 401, body: errorBody('authentication_error', 'invalid x-api-key') };
    if (admission.kind === 'rate-limited') {
      return {
        kind: 'http-error',
        status: 429,
        body: errorBody('rate_limit_error', `This request would exceed the rate limit for your organization of ${admission.what}.`),
        headers: { 'retry-after': String(Math.ceil(admission.retryAfterMs / 1000)), 'retry-after-ms': String(admission.retryAfterMs) },
      };
    }
    await delay(mode.latencyMs ?? 0);
    const headers: Record<string, string> = {};
    const resetAt = (ms: number): string => new Date(Date.now() + ms).toISOString();
    if (admission.limit.rpm !== undefined) {
      headers['anthropic-ratelimit-requests-limit'] = String(admission.limit.rpm);
      headers['anthropic-ratelimit-requests-remaining'] = String(admission.remaining.requests ?? 0);
      headers['anthropic-ratelimit-requests-reset'] = resetAt(admission.resetMs.requests);
    }
    if (admission.limit.tpm !== undefined) {
      headers['anthropic-ratelimit-tokens-limit'] = String(admission.limit.tpm);
      headers['anthropic-ratelimit-tokens-remaining'] = String(admission.remaining.tokens ?? 0);
      headers['anthropic-ratelimit-tokens-reset'] = resetAt(admission.resetMs.tokens);
    }
    const tokens = mode.limits.tokensPerRequest;
    return { kind: 'answer', blocks: [{ type: 'text', text: mode.text ?? 'ok' }], usage: { input_tokens: Math.max(0, tokens - 2), output_tokens: Math.min(2, tokens) }, headers };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const recorded: RecordedAnthropicRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: parseJsonOrText(text) };
    requests.push(recorded);
    arrived.recorded();
    if (req.method !== 'POST' || !recorded.path.split('?')[0]?.endsWith('/v1/messages')) {
      return sendJson(res, 404, errorBody('not_found_error', `No route for ${req.method} ${recorded.path}`));
    }
    // 1.x sends a bearer token, 0.x sent x-api-key: accept either, refuse neither being there.
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '') && !req.headers['x-api-key']) {
      return sendJson(res, 401, errorBody('authentication_error', 'No API key was sent.'));
    }
    const key = (req.headers.authorization ?? '').replace(/^Bearer\s+/, '') || String(req.headers['x-api-key'] ?? '');
    const reply = autoMode ? await autoReply(autoMode, key) : queue.shift();
    if (!reply) return sendJson(res, 500, errorBody('api_error', 'The fake Anthropic server has no scripted reply left.'));
    switch (reply.kind) {
      case 'hang':
        return; // closed by close(), which drops every open connection
      case 'http-error': {
        const body = typeof reply.body === 'function' ? (reply.body as (request: RecordedAnthropicRequest) => unknown)(recorded) : reply.body;
        return sendJson(res, reply.status, body ?? errorBody('api_error', `Scripted ${reply.status}`), reply.headers);
      }
      case 'answer': {
        const streaming = isRecord(recorded.body) && recorded.body.stream === true;
        const model = isRecord(recorded.body) && typeof recorded.body.model === 'string' ? recorded.body.model : 'claude-fake';
        if (!streaming) return sendJson(res, 200, wholeMessage(reply, model));
        return streamAnswer(res, reply, model);
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hangUps: () => hangUps,
    url: `http://127.0.0.1:${port}`,
    requests,
    received: (count) => arrived.received(count),
    enqueue: (...replies) => queue.push(...replies),
    auto: (mode) => {
      autoMode = mode;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function streamAnswer(res: ServerResponse, answer: FakeAnthropicAnswer, model: string): Promise<void> {
  await answer.startGate;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_fake', ...answer.headers });
  const events = streamEvents(answer, model);
  const stopAt = answer.interrupt?.afterEvents ?? Infinity;
  for (const [index, event] of events.entries()) {
    if (index >= stopAt) break;
    if (answer.eventIntervalMs) await new Promise((resolve) => setTimeout(resolve, answer.eventIntervalMs));
    await write(res, `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
    const delta = (event.data as { delta?: { type?: string; text?: string } }).delta;
    if (delta?.type === 'text_delta' && delta.text !== undefined) answer.onTextSent?.(delta.text, Date.now());
  }
  const how = answer.interrupt?.how;
  if (how === undefined) return void res.end();
  if (how === 'cut') return void res.socket?.destroy();
  if (how === 'end') return void res.end();
  if (how === 'stall') return;
  if (how === 'malformed') {
    await write(res, 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\n\n');
    return void res.end();
  }
  await write(res, `event: error\ndata: ${JSON.stringify(errorBody(how.errorType, how.message))}\n\n`);
  res.end();
}

/** The SSE events of one answer, in the order the API sends them. */
function streamEvents(answer: FakeAnthropicAnswer, model: string): SseEvent[] {
  const usage = fullUsage(answer.usage);
  const size = Math.max(1, answer.chunkSize ?? 8);
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...messageShell(model),
          content: [],
          stop_reason: null,
          usage: {
            input_tokens: usage.input_tokens,
            output_tokens: 1,
            cache_creation_input_tokens: usage.cache_creation_input_tokens,
            cache_read_input_tokens: usage.cache_read_input_tokens,
          },
        },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  answer.blocks.forEach((block, index) => {
    const delta = (payload: Record<string, unknown>): SseEvent => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: payload } });
    const start = (content_block: Record<string, unknown>): SseEvent => ({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block } });
    switch (block.type) {
      case 'text':
        events.push(start({ type: 'text', text: '', citations: null }));
        for (const piece of chunks(block.text, size)) events.push(delta({ type: 'text_delta', text: piece }));
        break;
      case 'thinking':
        events.push(start({ type: 'thinking', thinking: '', signature: '' }));
        for (const piece of chunks(block.thinking, size)) events.push(delta({ type: 'thinking_delta', thinking: piece }));
        events.push(delta({ type: 'signature_delta', signature: block.signature }));
        break;
      case 'redacted_thinking':
        events.push(start({ type: 'redacted_thinking', data: block.data }));
        break;
      case 'tool_use':
        events.push(start({ type: 'tool_use', id: block.id, name: block.name, input: {} }));
        for (const piece of chunks(JSON.stringify(block.input), size)) events.push(delta({ type: 'input_json_delta', partial_json: piece }));
        break;
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: stopReasonOf(answer), stop_sequence: null },
        usage: wireUsage(usage),
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

/** Usage as the Messages API sends it, streamed (message_delta) or whole. */
function wireUsage(usage: FakeAnthropicUsage): Record<string, unknown> {
  return {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens,
    cache_read_input_tokens: usage.cache_read_input_tokens,
    output_tokens_details: { thinking_tokens: usage.thinking_tokens },
  };
}

function wholeMessage(answer: FakeAnthropicAnswer, model: string): Record<string, unknown> {
  const usage = fullUsage(answer.usage);
  return {
    ...messageShell(model),
    content: answer.blocks.map((block) => (block.type === 'text' ? { ...block, citations: null } : block)),
    stop_reason: stopReasonOf(answer),
    usage: wireUsage(usage),
  };
}

function messageShell(model: string): Record<string, unknown> {
  return { id: 'msg_fake', type: 'message', role: 'assistant', model, stop_sequence: null, container: null, diagnostics: null, stop_details: null };
}

function stopReasonOf(answer: FakeAnthropicAnswer): string {
  return answer.stopReason ?? (answer.blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
}

function fullUsage(usage: Partial<FakeAnthropicUsage> = {}): FakeAnthropicUsage {
  return { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, thinking_tokens: 0, ...usage };
}

function chunks(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

function errorBody(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake', ...headers });
  res.end(JSON.stringify(body));
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => res.write(chunk, () => resolve()));
}



function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
