// A fake Gemini API (generativelanguage) on 127.0.0.1, scriptable per test: the real
// @google/genai SDK talks to it over real HTTP, so tests see what the SDK really sends and how it
// really reacts to answers, errors, cut streams and silence. Wire format as observed with
// @google/genai 3.x (see /work/shared/PROVIDERS.md): `POST /{v1|v1beta}/models/{model}:
// streamGenerateContent?alt=sse` answers with bare `data: {json}` lines, one
// GenerateContentResponse chunk each; a stream that ends without a finishReason makes the SDK
// throw nothing, which is exactly what the client under test has to notice.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJsonOrText, readBody } from './httpBody.js';
import { delay, type FakeAutoMode } from './fakeLimits.js';

export type FakeGeminiPart =
  | { text: string; thought?: boolean; thoughtSignature?: string }
  | { functionCall: { id?: string; name: string; args?: Record<string, unknown> }; thoughtSignature?: string };

export interface FakeGeminiUsage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount?: number;
}

/** How a streamed answer goes wrong after `afterChunks` chunks (none of which carries a finishReason). */
export type FakeGeminiInterruption =
  /** The body ends cleanly: the SDK throws nothing, only the missing finishReason tells. */
  | 'end'
  /** The socket is destroyed mid-body: the client sees the connection drop. */
  | 'destroy'
  /** A data line that is not JSON, then the body ends. */
  | 'malformed'
  /** Nothing more is sent and the response stays open (for cancel and timeout tests). */
  | 'stall'
  /** An in-stream error chunk, as the API sends when it fails mid-answer. */
  | { code: number; message: string };

export interface FakeGeminiAnswer {
  kind: 'answer';
  /** Streamed one part per chunk, in order, so tests see an answer assembled from several chunks. */
  parts: FakeGeminiPart[];
  /** Sent on the last chunk; defaults to 'STOP'. */
  finishReason?: string;
  usage?: FakeGeminiUsage;
  /** Sent on the last chunk, e.g. { blockReason: 'SAFETY' } for a refused prompt (then with no parts). */
  promptFeedback?: Record<string, unknown>;
  interrupt?: { afterChunks: number; how: FakeGeminiInterruption };
  /** Extra response headers, e.g. the x-ratelimit-* a gateway in front of Gemini adds. */
  headers?: Record<string, string>;
}

export interface FakeGeminiHttpError {
  kind: 'http-error';
  status: number;
  /** JSON body; defaults to Google's {error:{code,message,status}}. */
  body?: unknown;
  /** Builds the body from the request instead, e.g. to echo the key back like a careless proxy. */
  bodyFrom?: (request: RecordedGeminiRequest) => unknown;
  headers?: Record<string, string>;
}

/** Accepts the request and never answers, not even with headers. */
export interface FakeGeminiHang {
  kind: 'hang';
}

export type FakeGeminiReply = FakeGeminiAnswer | FakeGeminiHttpError | FakeGeminiHang;

export interface RecordedGeminiRequest {
  method: string;
  /** Path and query, e.g. /v1beta/models/gemini-3.1-pro-preview:streamGenerateContent?alt=sse */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** Parsed from the path when it is a generate route. */
  apiVersion?: string;
  model?: string;
  action?: 'generateContent' | 'streamGenerateContent';
}

export interface FakeGeminiServer {
  /** Base URL to hand to the SDK as `httpOptions.baseUrl`. */
  url: string;
  requests: RecordedGeminiRequest[];
  enqueue(...replies: FakeGeminiReply[]): void;
  /** Forgets recorded requests and unused replies, between tests. */
  reset(): void;
  /** Auto mode: every request gets a small answer within the limits, or what Google says past them. */
  auto(mode: FakeAutoMode | undefined): void;
  /** Requests whose client hung up before the answer was complete. */
  hangUps(): number;
  close(): Promise<void>;
}

const route = /^\/(v1|v1beta|v1alpha)\/models\/([^/:?]+):(generateContent|streamGenerateContent)(?:\?|$)/;

export async function startFakeGeminiServer(): Promise<FakeGeminiServer> {
  const queue: FakeGeminiReply[] = [];
  const requests: RecordedGeminiRequest[] = [];
  let autoMode: FakeAutoMode | undefined;
  let hangUps = 0;
  const server = createServer((req, res) => {
    // A client that closed before the answer ended (a cancel reaching the provider).
    res.once('close', () => {
      if (!res.writableFinished) hangUps += 1;
    });
    handle(req, res).catch(() => res.destroy());
  });

  /** The reply auto mode gives. Gemini sends no rate-limit headers; a 429 says when in RetryInfo. */
  async function autoReply(mode: FakeAutoMode, key: string, model: string): Promise<FakeGeminiReply> {
    const admission = mode.limits.admit(key);
    if (admission.kind === 'revoked') return { kind: 'http-error', status: 403, body: errorBody(403, 'Permission denied: Consumer has been suspended.') };
    if (admission.kind === 'rate-limited') {
      return {
        kind: 'http-error',
        status: 429,
        body: errorBody(429, `You exceeded your current quota (${admission.what}), please check your plan and billing details.`, [retryInfo(`${(admission.retryAfterMs / 1000).toFixed(3)}s`)]),
      };
    }
    await delay(mode.latencyMs ?? 0);
    const tokens = mode.limits.tokensPerRequest;
    return { kind: 'answer', parts: [{ text: mode.textFor?.(model) ?? mode.text ?? 'ok' }], usage: { promptTokenCount: Math.max(0, tokens - 2), candidatesTokenCount: Math.min(2, tokens), totalTokenCount: tokens } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = req.url ?? '';
    const recorded: RecordedGeminiRequest = { method: req.method ?? '', path, headers: req.headers, body: parseJsonOrText(text) };
    const match = route.exec(path);
    if (match) {
      recorded.apiVersion = match[1];
      recorded.model = decodeURIComponent(match[2] ?? '');
      recorded.action = match[3] === 'generateContent' ? 'generateContent' : 'streamGenerateContent';
    }
    requests.push(recorded);
    if (req.method !== 'POST' || !match) return sendJson(res, 404, errorBody(404, `No route for ${req.method} ${path}`));
    if (!req.headers['x-goog-api-key'] && !new URL(path, 'http://fake').searchParams.get('key')) {
      return sendJson(res, 403, errorBody(403, 'Method doesn\'t allow unregistered callers. Please use an API key.'));
    }
    const key = String(req.headers['x-goog-api-key'] ?? new URL(path, 'http://fake').searchParams.get('key') ?? '');
    const reply = autoMode ? await autoReply(autoMode, key, recorded.model ?? '') : queue.shift();
    if (!reply) return sendJson(res, 500, errorBody(500, 'The fake Gemini server has no scripted reply left.'));
    switch (reply.kind) {
      case 'hang':
        return; // closed by close(), which drops every open connection
      case 'http-error': {
        const body = reply.bodyFrom ? reply.bodyFrom(recorded) : reply.body;
        return sendJson(res, reply.status, body ?? errorBody(reply.status, `Scripted ${reply.status}`), reply.headers);
      }
      case 'answer':
        if (recorded.action === 'generateContent') return answerWhole(res, reply);
        return streamAnswer(res, reply);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hangUps: () => hangUps,
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
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

/** One streamed GenerateContentResponse, as the API sends it. */
export interface FakeGeminiChunk {
  candidates?: { content: { role: 'model'; parts: FakeGeminiPart[] }; index: number; finishReason?: string }[];
  usageMetadata?: FakeGeminiUsage;
  promptFeedback?: Record<string, unknown>;
  modelVersion: string;
}

/** The chunks of one streamed answer: one part each, the last with finishReason and usage. */
export function answerChunks(answer: FakeGeminiAnswer): FakeGeminiChunk[] {
  const chunkOf = (parts: FakeGeminiPart[]): FakeGeminiChunk => ({ candidates: [{ content: { role: 'model', parts }, index: 0 }], modelVersion: 'fake-gemini' });
  const chunks = answer.parts.length > 0 ? answer.parts.map((part) => chunkOf([part])) : [chunkOf([])];
  // An interrupted answer never gets as far as its finishReason.
  if (answer.interrupt) return chunks;
  const last = chunks[chunks.length - 1];
  if (!last) return chunks;
  const candidate = last.candidates?.[0];
  if (candidate) candidate.finishReason = answer.finishReason ?? 'STOP';
  if (answer.usage) last.usageMetadata = answer.usage;
  if (answer.promptFeedback) {
    last.promptFeedback = answer.promptFeedback;
    delete last.candidates;
  }
  return chunks;
}

async function streamAnswer(res: ServerResponse, answer: FakeGeminiAnswer): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...answer.headers });
  const chunks = answerChunks(answer);
  const stopAt = answer.interrupt?.afterChunks ?? Infinity;
  for (const [index, chunk] of chunks.entries()) {
    if (index >= stopAt) break;
    await write(res, `data: ${JSON.stringify(chunk)}\r\n\r\n`);
  }
  const how = answer.interrupt?.how;
  if (how === undefined || how === 'end') return void res.end();
  if (how === 'destroy') {
    // A moment first, so the client has read what was sent: a body that errors drops any chunk
    // still queued in it, and the test would see no answer at all.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return void res.socket?.destroy();
  }
  if (how === 'stall') return;
  if (how === 'malformed') {
    await write(res, 'data: {"candidates": [{"content": {"parts": [{"text": \r\n\r\n');
    return void res.end();
  }
  await write(res, `data: ${JSON.stringify(errorBody(how.code, how.message))}\r\n\r\n`);
  res.end();
}

/** A non-streamed generateContent answer: the chunks merged into one response. */
function answerWhole(res: ServerResponse, answer: FakeGeminiAnswer): void {
  const how = answer.interrupt?.how;
  if (how === 'stall') return;
  if (how === 'end' || how === 'destroy') return void res.socket?.destroy();
  if (how === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end('{"candidates": [');
  }
  if (how !== undefined) return sendJson(res, how.code, errorBody(how.code, how.message));
  const chunks = answerChunks(answer);
  const last = chunks[chunks.length - 1];
  const candidate = last?.candidates?.[0];
  const whole: FakeGeminiChunk = {
    ...last,
    modelVersion: 'fake-gemini',
    ...(candidate ? { candidates: [{ ...candidate, content: { role: 'model', parts: answer.parts } }] } : {}),
  };
  sendJson(res, 200, whole);
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's error envelope; `details` for RetryInfo, ErrorInfo and the like. */
export function errorBody(code: number, message: string, details?: unknown[]): { error: Record<string, unknown> } {
  return { error: { code, message, status: statusNames[code] ?? 'UNKNOWN', ...(details ? { details } : {}) } };
}

/** The RetryInfo detail Google puts in a 429 body, e.g. retryInfo('12s'). */
export function retryInfo(retryDelay: string): Record<string, unknown> {
  return { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

function write(res: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.write(text)) resolve();
    else res.once('drain', resolve);
  });
}


