// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) over one request body: single calls and
// batches, notifications (no answer), and the spec's error codes. Transport-free: the server
// hands it the body text and sends back whatever it returns. Each method declares whether it
// needs the bearer token and how its params parse; its answer is checked on the way out.
import * as z from 'zod';
import { kvErrorCodes, kvLimits } from '../core/keyvault/kvProtocol.js';
import type { AnswerScrubber } from './answerScrubber.js';
import { callFailureOf } from './callFailures.js';

export interface RpcMethod {
  needsToken: boolean;
  /** Parses `params` (absent when the call has none) and runs the call. */
  call(params: unknown, signal: AbortSignal): Promise<unknown>;
}

/** A method whose params parse with `params` and whose answer must parse with `answer`. */
export function rpcMethod<P, A>(needsToken: boolean, params: z.ZodType<P>, answer: z.ZodType<A>, run: (params: P, signal: AbortSignal) => Promise<A>): RpcMethod {
  return {
    needsToken,
    async call(raw, signal) {
      const parsed = params.safeParse(raw);
      if (!parsed.success) throw new InvalidParams(z.prettifyError(parsed.error));
      // The answer is parsed too: fields the schema does not know are dropped, so nothing the
      // service adds by mistake (a key, a key's hash) reaches a caller.
      return answer.parse(await run(parsed.data, signal));
    },
  };
}

export interface CallContext {
  /** The token from the Authorization header, if any (a call's own `auth` member wins). */
  headerToken: string | undefined;
  acceptsToken(candidate: string | undefined): Promise<boolean>;
  signal: AbortSignal;
  scrubber: AnswerScrubber;
  /** Failures the caller was told less about than happened. */
  logFailure(method: string, detail: string): void;
  /** Each known method called, for the log (unknown names are the caller's text: never logged). */
  noteCall(method: string): void;
}

export type RpcId = string | number | null;
export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}
export type RpcAnswer = { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId; error: RpcError };

const RequestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string(),
  params: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  /** The seed's way to send the bearer token, beside the Authorization header. */
  auth: z.string().optional(),
});

class InvalidParams extends Error {}

export const failed = (id: RpcId, code: number, message: string): RpcAnswer => ({ jsonrpc: '2.0', id, error: { code, message } });

/** The answer to one body: one answer, a batch's answers, or undefined when nothing is owed. */
export async function answerBody(body: string, methods: ReadonlyMap<string, RpcMethod>, context: CallContext): Promise<RpcAnswer | RpcAnswer[] | undefined> {
  let message: unknown;
  try {
    message = JSON.parse(body) as unknown;
  } catch {
    return failed(null, kvErrorCodes.parseError, 'Parse error: the body is not JSON.');
  }
  if (!Array.isArray(message)) return answerOne(message, methods, context);
  if (message.length === 0) return failed(null, kvErrorCodes.invalidRequest, 'Invalid Request: an empty batch.');
  if (message.length > kvLimits.maxBatchCalls) return failed(null, kvErrorCodes.invalidRequest, `Invalid Request: a batch holds at most ${kvLimits.maxBatchCalls} calls.`);
  const answers = await Promise.all(message.map((entry) => answerOne(entry, methods, context)));
  const owed = answers.filter((answer): answer is RpcAnswer => answer !== undefined);
  return owed.length > 0 ? owed : undefined;
}

async function answerOne(entry: unknown, methods: ReadonlyMap<string, RpcMethod>, context: CallContext): Promise<RpcAnswer | undefined> {
  const parsed = RequestSchema.safeParse(entry);
  if (!parsed.success) return failed(null, kvErrorCodes.invalidRequest, 'Invalid Request: not a JSON-RPC 2.0 request object.');
  const request = parsed.data;
  const isNotification = !Object.prototype.hasOwnProperty.call(entry, 'id');
  const id = request.id ?? null;
  const answer = await run(request, id, methods, context);
  return isNotification ? undefined : answer;
}

async function run(request: z.infer<typeof RequestSchema>, id: RpcId, methods: ReadonlyMap<string, RpcMethod>, context: CallContext): Promise<RpcAnswer> {
  const method = methods.get(request.method);
  if (!method) return failed(id, kvErrorCodes.methodNotFound, `Method not found: ${JSON.stringify(request.method.slice(0, 100))}.`);
  context.noteCall(request.method);
  if (method.needsToken && !(await context.acceptsToken(request.auth ?? context.headerToken))) {
    return failed(id, kvErrorCodes.unauthorized, `${request.method} needs the key vault's bearer token (Authorization: Bearer …, or "auth").`);
  }
  try {
    return { jsonrpc: '2.0', id, result: await untilAborted(method.call(request.params, context.signal), context.signal) };
  } catch (error) {
    if (error instanceof InvalidParams) return failed(id, kvErrorCodes.invalidParams, `Invalid params: ${error.message}`);
    const failure = callFailureOf(error, context.scrubber);
    if (failure.detail !== undefined) context.logFailure(request.method, failure.detail);
    return failed(id, failure.rpcCode, failure.message);
  }
}

/** Settles as `promise` does, or rejects with the signal's reason as soon as it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
