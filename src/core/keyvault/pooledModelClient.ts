// A ModelClient over the key pool: each answer is asked with a key the pool leases, and the
// lease is settled with what really happened (tokens, the provider's rate-limit headers). A 429
// or a refused key before any of the answer arrived is the key's problem, not the request's: the
// group cools down or the key is revoked, and the request goes on with another key. Once part of
// the answer has been passed on, a failure is thrown as before and the retry layer decides.
import type { KeyProvider, UsableKey } from './apiKeys.js';
import type { KeyPool, Lease, LeaseOutcome } from './keyPool.js';
import type { ModelClient, ModelEvent, ModelInfo, ModelRequest } from '../models/modelClient.js';
import { isModelError, type ModelError } from '../models/modelErrors.js';

export interface PooledClientOptions {
  pool: KeyPool;
  provider: KeyProvider;
  info: ModelInfo;
  /** Where requests go, for the `route` event ("api.anthropic.com"). */
  host: string;
  /** The keys read for this request, if the caller has; otherwise the pool reads them. */
  keys?: readonly UsableKey[];
  /** The provider client for one key; kept per key by the caller (clients keep state). */
  clientFor: (key: UsableKey) => ModelClient;
  /** Input + output tokens a request may use; by default a rough count from its text. */
  estimateTokens?: (request: ModelRequest) => number;
  /** Keys tried for one request before its last refusal is thrown (a 429 storm must end). */
  maxKeyAttempts?: number;
  /** A refused attempt the pool answers by asking again (another key, or after the cooldown). */
  onRetry?: (notice: PoolRetryNotice) => void;
}

export interface PoolRetryNotice {
  attempt: number;
  /** The wait the server asked for; the pool may find another key sooner. */
  delayMs: number;
  error: ModelError;
  /** The key refused, masked. */
  key: string;
}

/** Events that are not part of the answer: passing them on does not commit to the key. */
const notAnswer: ReadonlySet<ModelEvent['type']> = new Set(['route', 'rate-limits', 'usage']);

export function pooledModelClient(options: PooledClientOptions): ModelClient {
  const estimate = options.estimateTokens ?? estimateRequestTokens;
  return {
    info: options.info,
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      const maxAttempts = options.maxKeyAttempts ?? 8;
      for (let attempt = 1; ; attempt += 1) {
        const lease = await options.pool.acquire({ provider: options.provider, model: options.info.modelId, estimatedTokens: estimate(request), ...(options.keys ? { keys: options.keys } : {}) }, signal);
        const outcome = new LeaseReport(lease);
        let answered = false;
        try {
          yield { type: 'route', host: options.host, key: lease.masked };
          for await (const event of options.clientFor(lease.key).stream(request, signal)) {
            outcome.see(event);
            if (!notAnswer.has(event.type)) answered = true;
            yield event;
          }
          outcome.settle({ kind: 'ok' });
          return;
        } catch (error) {
          const next = outcome.settleFailure(error);
          if (answered || !next || attempt >= maxAttempts || signal.aborted || !isModelError(error)) throw error;
          options.onRetry?.({ attempt, delayMs: error.details.retryAfterMs ?? 0, error, key: lease.masked });
        } finally {
          // A consumer that stopped reading early still sent the request.
          outcome.settle({ kind: 'failed' });
        }
      }
    },
  };
}

/** Collects what a lease is settled with while the answer streams. */
class LeaseReport {
  private headers: Record<string, string> | undefined;
  private tokens: number | undefined;

  constructor(private readonly lease: Lease) {}

  see(event: ModelEvent): void {
    if (event.type === 'rate-limits') this.headers = { ...this.headers, ...event.headers };
    if (event.type === 'usage') this.tokens = event.usage.inputTokens + event.usage.outputTokens + event.usage.cacheWriteTokens;
  }

  settle(outcome: LeaseOutcome): void {
    const extra = { ...(this.headers ? { headers: this.headers } : {}), ...(this.tokens !== undefined ? { tokens: this.tokens } : {}) };
    // A lease takes its first settlement only, so the `finally` above changes nothing after this.
    if (outcome.kind === 'ok' || outcome.kind === 'failed') this.lease.settle({ ...outcome, ...extra });
    else this.lease.settle(outcome);
  }

  /** Settles after a failure; true when another key may succeed where this one did not. */
  settleFailure(error: unknown): boolean {
    if (isModelError(error) && error.kind === 'rate-limited') {
      this.settle({ kind: 'rate-limited', ...(error.details.retryAfterMs !== undefined ? { retryAfterMs: error.details.retryAfterMs } : {}), ...(this.headers ? { headers: this.headers } : {}) });
      return true;
    }
    if (isModelError(error) && error.kind === 'auth') {
      this.settle({ kind: 'revoked', reason: firstLine(error.message) });
      return true;
    }
    this.settle({ kind: 'failed' });
    return false;
  }
}

/** About four characters a token, plus the answer's room (capped: most answers are far shorter). */
export function estimateRequestTokens(request: ModelRequest): number {
  let characters = request.system.length;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'text') characters += part.text.length;
      else if (part.type === 'tool-call') characters += JSON.stringify(part.input).length + part.name.length;
      else characters += part.output.length;
    }
  }
  for (const tool of request.tools ?? []) characters += tool.description.length + JSON.stringify(tool.inputSchema).length;
  return Math.ceil(characters / 4) + Math.min(request.maxOutputTokens, 4096);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 300);
}


