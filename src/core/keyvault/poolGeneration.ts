// One kv.* request sent through the pool and collected to text: the registry's model on a pooled
// client with the shared retry policy (the pool itself moves 429s and refused keys to another
// key), usage and cost from the registry, and the spend reservation settled with what it cost.
// A failure is an answer (`ok: false`), never a throw, so one request never loses the others.
import type { KeyProvider } from './apiKeys.js';
import { isKeyVaultError, KeyVaultError } from './kvProtocol.js';
import type { KvFailure, KvMessage } from './kvProtocol.js';
import { costOf } from '../models/cost.js';
import type { FanOutRequest } from '../models/costEstimate.js';
import { estimateFanOut } from '../models/costEstimate.js';
import type { ModelClient, ModelEvent, ModelRequest, TokenUsage } from '../models/modelClient.js';
import { zeroUsage } from '../models/modelClient.js';
import { isModelError } from '../models/modelErrors.js';
import type { ModelEntry, ModelRegistry } from '../models/registry.js';
import { modelPrice } from '../models/registry.js';
import type { RetryPolicy } from '../models/retry.js';
import { settlingSpend } from '../models/settledSpend.js';
import { withRetries } from '../models/retry.js';
import type { Reservation, SpendLedger } from '../models/spendLedger.js';
import { isCapError } from '../models/spendCaps.js';

/** A pooled client for one registry model (the extension's ModelClientFactory, or the tests' fakes). */
export type PooledClientFor = (provider: KeyProvider, model: ModelEntry) => ModelClient;

/** When neither the request nor the registry gives an output ceiling. */
const fallbackMaxTokens = 8192;

export interface PoolCall {
  model: ModelEntry;
  system?: string;
  messages: readonly KvMessage[];
  maxTokens?: number;
  temperature?: number;
}

export type PoolCallOutcome =
  | { ok: true; text: string; stopReason: 'end' | 'tool-use' | 'max-tokens'; usage: TokenUsage; costUsd?: number }
  | { ok: false; failure: KvFailure; usage: TokenUsage; costUsd?: number };

export interface GenerationDeps {
  registry: ModelRegistry;
  clientFor: PooledClientFor;
  ledger: SpendLedger;
  retryPolicy: RetryPolicy;
}

export function fanOutRequest(call: PoolCall): FanOutRequest {
  return {
    provider: call.model.provider,
    model: call.model.id,
    ...(call.system !== undefined ? { system: call.system } : {}),
    messages: call.messages,
    ...(call.maxTokens !== undefined ? { maxTokens: call.maxTokens } : {}),
  };
}

/**
 * Holds every call's most against the caps, all or nothing: one that would cross a cap frees
 * those already held and the whole fan-out is refused as `cap-exceeded`, nothing sent.
 */
export async function reserveAll(ledger: SpendLedger, runId: string, calls: readonly PoolCall[], registry: ModelRegistry): Promise<Reservation[]> {
  const held: Reservation[] = [];
  try {
    for (const call of calls) held.push(await ledger.reserve(runId, estimateFanOut([fanOutRequest(call)], registry)));
    return held;
  } catch (error) {
    await Promise.all(held.map((reservation) => ledger.release(reservation)));
    throw asVaultError(error);
  }
}

/** A CapError as the faces know it (cap-exceeded); anything else unchanged. */
export function asVaultError(error: unknown): unknown {
  return isCapError(error) ? new KeyVaultError('cap-exceeded', error.message) : error;
}

/**
 * Streams one call already reserved, and settles the reservation with what it cost once the
 * stream ends, however it ends. `spent` is told the usage so far: every attempt's, since a cut
 * attempt's reported tokens were billed too.
 */
export function streamPoolCall(call: PoolCall, reservation: Reservation, deps: GenerationDeps, signal: AbortSignal, spent: (usage: TokenUsage, costUsd: number | undefined) => void = () => undefined): AsyncIterable<ModelEvent> {
  const provider = call.model.provider as KeyProvider;
  const price = modelPrice(deps.registry, call.model.provider, call.model.id);
  return settlingSpend(() => withRetries(deps.clientFor(provider, call.model), deps.retryPolicy).stream(modelRequestOf(call), signal), {
    ledger: deps.ledger,
    reservation,
    priced: (usage) => (price ? costOf(provider, usage, price) : undefined),
    heard: spent,
  });
}

/** Sends one call already reserved, collects its answer and settles the reservation with its cost. */
export async function runPoolCall(call: PoolCall, reservation: Reservation, deps: GenerationDeps, signal: AbortSignal): Promise<PoolCallOutcome> {
  let usage = zeroUsage();
  let costUsd: number | undefined;
  const spent = (so: TokenUsage, far: number | undefined): void => {
    usage = so;
    costUsd = far;
  };
  const priced = (): { costUsd?: number } => (costUsd !== undefined ? { costUsd } : {});
  try {
    let text = '';
    let stopReason: 'end' | 'tool-use' | 'max-tokens' = 'end';
    for await (const event of streamPoolCall(call, reservation, deps, signal, spent)) {
      if (event.type === 'text') text += event.text;
      else if (event.type === 'restart') text = '';
      else if (event.type === 'done') stopReason = event.stopReason;
    }
    return { ok: true, text, stopReason, usage, ...priced() };
  } catch (error) {
    return { ok: false, failure: failureOf(error, signal), usage, ...priced() };
  }
}

export function modelRequestOf(call: PoolCall): ModelRequest {
  return {
    // Restartable: the answer is collected whole, so a cut stream may be asked again.
    purpose: 'question',
    system: call.system ?? '',
    messages: call.messages.map((message) => ({ role: message.role, content: [{ type: 'text', text: message.content }] })),
    thinking: 'none',
    maxOutputTokens: maxTokensOf(call),
    ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
  };
}

export function maxTokensOf(call: PoolCall): number {
  const ceiling = call.model.maxOutput;
  const asked = call.maxTokens ?? ceiling ?? fallbackMaxTokens;
  return ceiling === undefined ? asked : Math.min(asked, ceiling);
}

/** A failure in words a caller can act on, with a short machine code. */
export function failureOf(error: unknown, signal?: AbortSignal): KvFailure {
  if (signal?.aborted) return { code: 'cancelled', message: 'The call was cancelled before this request finished.' };
  if (isKeyVaultError(error)) return { code: error.kind, message: error.message };
  if (isCapError(error)) return { code: 'cap-exceeded', message: error.message };
  if (isModelError(error)) return { code: error.kind, message: `${error.details.provider}: ${firstLine(error.message)}` };
  return { code: 'internal', message: 'The key vault failed this request; its log has the details.' };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 500);
}
