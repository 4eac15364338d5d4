// Call metering: every model call a phase makes becomes a record for run.json (the model that
// really answered, its tokens and cost, the time spent waiting on it, how it ended), and each
// automatic phase's wall time is split into model time, verification time and our own overhead.
import type { ModelClient, ModelInfo, TokenUsage } from '../models/modelClient.js';
import { addUsage, zeroUsage } from '../models/modelClient.js';
import { isModelError } from '../models/modelErrors.js';
import type { ModelPrice } from '../models/registry.js';
import { costOf } from '../models/cost.js';
import type { Clock, VerificationRunner } from '../ports.js';
import { messageOf } from './errorMessage.js';
import type { ModelCall, RunRecord } from './runRecord.js';

export type PhaseTiming = RunRecord['timings'][number];

/** The automatic phase in progress and the time it spent waiting on others. */
interface PhaseTimer {
  phase: string;
  started: number;
  modelMs: number;
  verificationMs: number;
}

/** A model call as a metered client saw it end. */
interface FinishedCall {
  at: string;
  phase: string;
  purpose: string;
  answeredBy: ModelInfo;
  usage: TokenUsage;
  waitedMs: number;
  failure: { error: unknown; aborted: boolean } | undefined;
  /** Where the request went, when the client said (the last route: a retry may change key). */
  route: { host: string; key?: string } | undefined;
  /** Competitive mode: the candidate ("A"); division: the spec's copy ("spec-02"). */
  candidate: string | undefined;
  seat: string | undefined;
}

export class CallMeter {
  private readonly timers = new Map<string, PhaseTimer>();

  constructor(
    private readonly clock: Clock,
    /** The price table in force now, to price each call as it is made. */
    private readonly prices: () => Readonly<Record<string, ModelPrice>>,
    /** Hears each call as it ends, to keep it in run.json. */
    private readonly onCall: (runId: string, call: ModelCall) => void,
    /** Wraps the client inside the meter, so a call it refuses is recorded as a failed call. */
    private readonly guard: (runId: string, client: ModelClient) => ModelClient = (_runId, client) => client,
  ) {}

  /** An automatic phase begins: its wall time counts from now. */
  startPhase(runId: string, phase: string): void {
    this.timers.set(runId, { phase, started: performance.now(), modelMs: 0, verificationMs: 0 });
  }

  /** The phase's work is done: its timing, once (undefined when no phase was timed). */
  closePhase(runId: string): PhaseTiming | undefined {
    const timer = this.timers.get(runId);
    this.timers.delete(runId);
    if (!timer) return undefined;
    const round = (value: number): number => Math.round(value * 100) / 100;
    return { phase: timer.phase, at: this.clock.now().toISOString(), wallMs: round(performance.now() - timer.started), modelMs: round(timer.modelMs), verificationMs: round(timer.verificationMs) };
  }

  /**
   * The client as a phase uses it: each answer becomes a call in run.json, its tokens count
   * toward the phase, and its waiting time toward the phase's model time.
   */
  client(runId: string, phase: string, unguarded: ModelClient, who: { candidate?: string; seat?: string } = {}): ModelClient {
    const { candidate, seat } = who;
    const client = this.guard(runId, unguarded);
    const now = (): string => this.clock.now().toISOString();
    const record = (call: FinishedCall): void => this.record(runId, call);
    return {
      // Read when asked: after a fall-over (withFallback) the role's client answers as its fallback.
      get info() {
        return client.info;
      },
      async *stream(request, signal) {
        const started = { at: now(), phase, purpose: request.purpose };
        let usage = zeroUsage();
        let waitedMs = 0;
        let failure: unknown;
        let route: FinishedCall['route'];
        try {
          const iterator = client.stream(request, signal)[Symbol.asyncIterator]();
          for (;;) {
            const waitFrom = performance.now();
            const next = await iterator.next().finally(() => {
              waitedMs += performance.now() - waitFrom;
            });
            if (next.done) return;
            if (next.value.type === 'usage') usage = addUsage(usage, next.value.usage);
            if (next.value.type === 'route') {
              route = { host: next.value.host, ...(next.value.key ? { key: next.value.key } : {}) };
              continue;
            }
            // For the key pool, which has read it already; nothing a phase acts on.
            if (next.value.type === 'rate-limits') continue;
            yield next.value;
          }
        } catch (error) {
          failure = error;
          throw error;
        } finally {
          // Read after the answer: the model that gave it, not the one first asked.
          record({ ...started, answeredBy: client.info, usage, waitedMs, route, candidate, seat, failure: failure === undefined ? undefined : { error: failure, aborted: signal.aborted } });
        }
      },
    };
  }

  /** The verification with its time counted toward the phase's verification time. */
  verifier(runId: string, verifier: VerificationRunner): VerificationRunner {
    return {
      run: async (request) => {
        const started = performance.now();
        try {
          return await verifier.run(request);
        } finally {
          const timer = this.timers.get(runId);
          if (timer) timer.verificationMs += performance.now() - started;
        }
      },
    };
  }

  private record(runId: string, call: FinishedCall): void {
    const timer = this.timers.get(runId);
    if (timer) timer.modelMs += call.waitedMs;
    const { provider, modelId, displayName } = call.answeredBy;
    const price = this.prices()[modelId];
    this.onCall(runId, {
      at: call.at,
      phase: call.phase,
      purpose: call.purpose,
      provider,
      modelId,
      displayName,
      usage: call.usage,
      durationMs: Math.round(call.waitedMs * 100) / 100,
      ...outcomeOf(call.failure),
      ...(price ? { costUsd: costOf(provider, call.usage, price) } : {}),
      ...(call.route ? { host: call.route.host, ...(call.route.key ? { key: call.route.key } : {}) } : {}),
      ...(call.candidate ? { candidate: call.candidate } : {}),
      ...(call.seat ? { seat: call.seat } : {}),
    });
  }
}

/** How a call ended, in run.json's words: 'ok', or the provider-neutral kind of its error. */
function outcomeOf(failure: FinishedCall['failure']): Pick<ModelCall, 'outcome' | 'error'> {
  if (!failure) return { outcome: 'ok' };
  const outcome = isModelError(failure.error) ? failure.error.kind : failure.aborted ? 'cancelled' : 'error';
  return { outcome, error: (messageOf(failure.error).split('\n')[0] ?? '').slice(0, 300) };
}
