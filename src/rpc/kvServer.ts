// The key vault's local server: JSON-RPC 2.0 at POST /rpc (the seed's kv.* methods) and the
// OpenAI-compatible face under /v1, on 127.0.0.1 only. Every request passes the same gates
// before anything is parsed: Host and Origin must be this server's own, a POST body must say it
// is JSON and stay under the size limit. Each call gets a signal that aborts when the client
// hangs up or the time limit passes; every answer and log line has the service's keys removed.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { kvErrorCodes } from '../core/keyvault/kvProtocol.js';
import type { KeyVaultService } from '../core/keyvault/kvProtocol.js';
import { AnswerScrubber } from './answerScrubber.js';
import { callFailureOf, CallTimedOut } from './callFailures.js';
import { isJsonContent, readBodyWithin, sendJson } from './httpExchange.js';
import { answerBody, failed, untilAborted } from './jsonRpc.js';
import type { RpcAnswer, RpcMethod } from './jsonRpc.js';
import { kvMethods } from './kvMethods.js';
import { foreignOriginReason } from './localOrigin.js';
import { answerChatCompletion, modelsAnswer, openAiError, sendOpenAiError } from './openAiFace.js';
import { bearerOf } from './rpcToken.js';

/** Where the server says what it did: the extension's output channel. Never given a body or a token. */
export interface RpcLog {
  info(line: string): void;
  warn(line: string): void;
}

/** Checks a presented bearer token (RpcToken does). */
export interface TokenCheck {
  accepts(candidate: string | undefined): Promise<boolean>;
}

export interface KvServerOptions {
  service: KeyVaultService;
  token: TokenCheck;
  /** 0 (the default) picks a free port. */
  port?: number;
  log?: RpcLog;
  /** Bodies over this are refused with 413 unread. Default 1 MiB. */
  maxBodyBytes?: number;
  /** A call still running after this is aborted and answered as timed out. Default 10 minutes. */
  callTimeLimitMs?: number;
}

export interface KvServer {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Stops listening, aborts the calls in flight and closes every connection. */
  close(): Promise<void>;
}

export const defaultMaxBodyBytes = 1024 * 1024;
export const defaultCallTimeLimitMs = 10 * 60 * 1000;

const silentLog: RpcLog = { info: () => undefined, warn: () => undefined };

export async function startKvServer(options: KvServerOptions): Promise<KvServer> {
  const settings = {
    service: options.service,
    token: options.token,
    log: options.log ?? silentLog,
    maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
    callTimeLimitMs: options.callTimeLimitMs ?? defaultCallTimeLimitMs,
    methods: kvMethods(options.service),
  };
  const inFlight = new Set<AbortController>();
  let port = 0;
  const server = createServer({ keepAliveTimeout: 5_000, headersTimeout: 10_000, requestTimeout: 60_000 }, (req, res) => {
    const controller = new AbortController();
    inFlight.add(controller);
    res.once('close', () => {
      inFlight.delete(controller);
      if (!res.writableFinished) controller.abort(new Error('the client went away'));
    });
    handle(req, res, port, controller, settings).catch(() => {
      // Only the known keys' lookup fails outside handle's own catch: with no keys to redact
      // with, its text is not logged.
      settings.log.warn('The key vault could not answer a request: its service could not list the keys to redact.');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(failed(null, kvErrorCodes.internalError, 'Internal error.')));
      else res.destroy();
    });
  });
  // Malformed HTTP never reaches the handler: answer 400 and close, never crash.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: Error) => reject(new Error(`The key vault could not listen on 127.0.0.1:${options.port ?? 0}: ${error.message}`)));
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  // After listening, a server error must not take the extension host down with it.
  server.on('error', (error) => settings.log.warn(`The key vault's server: ${error.message}`));
  port = (server.address() as AddressInfo).port;
  settings.log.info(`The key vault listens on http://127.0.0.1:${port} (POST /rpc, /v1/chat/completions, /v1/models).`);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => closeServer(server, inFlight),
  };
}

interface Settings {
  service: KeyVaultService;
  token: TokenCheck;
  log: RpcLog;
  maxBodyBytes: number;
  callTimeLimitMs: number;
  methods: ReadonlyMap<string, RpcMethod>;
}

type Route = 'rpc' | 'models' | 'chat';

function routeOf(method: string | undefined, url: string | undefined): { route?: Route; allowed?: string } {
  const path = (url ?? '').split('?')[0];
  if (path === '/rpc') return method === 'POST' ? { route: 'rpc' } : { allowed: 'POST' };
  if (path === '/v1/models') return method === 'GET' ? { route: 'models' } : { allowed: 'GET' };
  if (path === '/v1/chat/completions') return method === 'POST' ? { route: 'chat' } : { allowed: 'POST' };
  return {};
}

async function handle(req: IncomingMessage, res: ServerResponse, port: number, controller: AbortController, settings: Settings): Promise<void> {
  const scrubber = new AnswerScrubber(await settings.service.knownSecrets());
  try {
    await answer(req, res, port, controller, settings, scrubber);
  } catch (error) {
    // A service call outside the faces' own handling (listing models) failed: told as they would.
    const failure = callFailureOf(error, scrubber);
    settings.log.warn(scrubber.scrub(`${req.method ?? '?'} ${loggablePath(req)} failed: ${failure.detail ?? failure.message}`));
    if ((req.url ?? '').startsWith('/v1/')) sendOpenAiError(res, openAiError(failure.httpStatus, failure.message, failure.openAiType, failure.openAiCode), scrubber, true);
    else sendJson(res, 500, failed(null, failure.rpcCode, failure.message), scrubber, true);
  }
}

async function answer(req: IncomingMessage, res: ServerResponse, port: number, controller: AbortController, settings: Settings, scrubber: AnswerScrubber): Promise<void> {
  const started = performance.now();
  const openAi = (req.url ?? '').startsWith('/v1/');
  // The same refusal in the shape the caller's face speaks.
  const refuse = (status: number, code: number, message: string, openAiCode: string, close = false): void => {
    if (openAi) sendOpenAiError(res, openAiError(status, message, 'invalid_request_error', openAiCode), scrubber, close);
    else sendJson(res, status, failed(null, code, message), scrubber, close);
  };
  const logLine = (what: string): void => settings.log.info(scrubber.scrub(`${req.method ?? '?'} ${loggablePath(req)} ${what} → ${res.statusCode} in ${(performance.now() - started).toFixed(1)} ms`));
  const logFailure = (what: string, detail: string): void => settings.log.warn(scrubber.scrub(`${what} failed: ${detail}`));

  const foreign = foreignOriginReason(req.headers.host, req.headers.origin, port);
  if (foreign) {
    refuse(403, kvErrorCodes.forbidden, foreign, 'forbidden');
    logLine('refused (host/origin)');
    return;
  }
  const { route, allowed } = routeOf(req.method, req.url);
  if (!route) {
    if (allowed) res.setHeader('allow', allowed);
    refuse(allowed ? 405 : 404, kvErrorCodes.invalidRequest, allowed ? `Use ${allowed} here.` : 'No such path: the key vault answers POST /rpc, GET /v1/models and POST /v1/chat/completions.', allowed ? 'method_not_allowed' : 'not_found');
    logLine('refused (route)');
    return;
  }

  const timer = setTimeout(() => controller.abort(new CallTimedOut(settings.callTimeLimitMs)), settings.callTimeLimitMs);
  try {
    if (route === 'models') {
      if (!(await settings.token.accepts(bearerOf(req.headers.authorization)))) {
        refuse(401, kvErrorCodes.unauthorized, 'The key vault needs its bearer token (Authorization: Bearer …).', 'invalid_api_key');
      } else {
        sendJson(res, 200, await untilAborted(modelsAnswer(settings.service), controller.signal), scrubber);
      }
      logLine('models');
      return;
    }
    if (!isJsonContent(req)) {
      refuse(415, kvErrorCodes.invalidRequest, 'The body must be JSON, sent with Content-Type: application/json.', 'unsupported_media_type', true);
      logLine('refused (content type)');
      return;
    }
    // The OpenAI face checks the token before reading anything; /rpc's read-only methods need none.
    if (route === 'chat' && !(await settings.token.accepts(bearerOf(req.headers.authorization)))) {
      refuse(401, kvErrorCodes.unauthorized, 'The key vault needs its bearer token (Authorization: Bearer …).', 'invalid_api_key', true);
      logLine('refused (token)');
      return;
    }
    const body = await readBodyWithin(req, settings.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'too-large') refuse(413, kvErrorCodes.tooLarge, `The body is larger than ${settings.maxBodyBytes} bytes.`, 'request_too_large', true);
      logLine(`refused (body ${body.reason})`);
      return;
    }
    if (route === 'chat') {
      await answerChatCompletion(res, body.text, { service: settings.service, signal: controller.signal, scrubber, logFailure: (detail) => logFailure('chat completion', detail) });
      logLine('chat completion');
      return;
    }
    const called: string[] = [];
    const answered = await answerBody(body.text, settings.methods, {
      headerToken: bearerOf(req.headers.authorization),
      acceptsToken: (candidate) => settings.token.accepts(candidate),
      signal: controller.signal,
      scrubber,
      logFailure,
      noteCall: (method) => called.push(method),
    });
    if (answered === undefined) {
      if (!res.destroyed) res.writeHead(204).end();
    } else {
      sendJson(res, 200, answered, scrubber);
    }
    logLine(`${[...new Set(called)].join(', ') || 'no known method'}: ${describe(answered)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The path is the caller's text: cut short, printable ASCII only, so it cannot forge a log line. */
function loggablePath(req: IncomingMessage): string {
  return (req.url ?? '').slice(0, 100).replace(/[^\x20-\x7e]/g, '?');
}

/** For the log: which calls, how they ended; never their params or results. */
function describe(answer: RpcAnswer | RpcAnswer[] | undefined): string {
  if (answer === undefined) return 'notifications';
  const one = (entry: RpcAnswer): string => ('error' in entry ? `error ${entry.error.code}` : 'ok');
  return Array.isArray(answer) ? `batch [${answer.map(one).join(', ')}]` : one(answer);
}

async function closeServer(server: Server, inFlight: Set<AbortController>): Promise<void> {
  for (const controller of inFlight) controller.abort(new Error('the key vault is shutting down'));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
