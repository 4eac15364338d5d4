import assert from 'node:assert/strict';
import type { ModelClient, ModelEvent } from '../../../src/core/models/modelClient.js';
import { kindForStatus, ModelError, scrubSecrets } from '../../../src/core/models/modelErrors.js';
import type { RetryNotice } from '../../../src/core/models/retry.js';
import { retryDelay, withRetries } from '../../../src/core/models/retry.js';
import { within } from '../../support/waitUntil.js';

const info = { provider: 'test', modelId: 'm', displayName: 'M', isDemo: false };
const request = { purpose: 'spec' as const, system: '', messages: [], thinking: 'none' as const, maxOutputTokens: 10 };
const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 };

function scriptedClient(outcomes: (Error | ModelEvent[])[]): ModelClient & { calls: number } {
  const client = {
    info,
    calls: 0,
    async *stream(): AsyncIterable<ModelEvent> {
      const outcome = outcomes[Math.min(client.calls, outcomes.length - 1)];
      client.calls += 1;
      if (outcome instanceof Error) throw outcome;
      for (const event of outcome ?? []) yield event;
    },
  };
  return client;
}

async function collect(client: ModelClient, signal = new AbortController().signal): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of client.stream(request, signal)) events.push(event);
  return events;
}

describe('model errors and retries', () => {
  it('maps HTTP statuses the same way for every provider', () => {
    assert.deepEqual([429, 529, 503, 500, 502, 401, 403, 404, 400, 422, 408].map(kindForStatus), [
      'rate-limited', 'overloaded', 'overloaded', 'server', 'server', 'auth', 'auth', 'not-found', 'bad-request', 'bad-request', 'timeout',
    ]);
  });

  it('retries 429 and 529, honouring retry-after, then succeeds', async () => {
    const notices: number[] = [];
    const inner = scriptedClient([
      new ModelError('rate-limited', 'slow down', { provider: 'test', status: 429, retryAfterMs: 3 }),
      new ModelError('overloaded', 'busy', { provider: 'test', status: 529 }),
      [{ type: 'text', text: 'ok' }],
    ]);
    const events = await collect(withRetries(inner, fast, (notice) => notices.push(notice.delayMs)));
    assert.deepEqual(events, [{ type: 'text', text: 'ok' }]);
    assert.equal(inner.calls, 3);
    assert.equal(notices[0], 3, 'the server asked for 3 ms');
  });

  it('retries a 429 that came after the client said where the request went: a route is not part of the answer', async () => {
    let calls = 0;
    const inner: ModelClient = {
      info,
      async *stream(): AsyncIterable<ModelEvent> {
        calls += 1;
        yield { type: 'route', host: 'api.example.test', key: '••••3f9a' };
        if (calls === 1) throw new ModelError('rate-limited', 'slow down', { provider: 'test', status: 429 });
        yield { type: 'text', text: 'ok' };
      },
    };
    const events = await collect(withRetries({ ...inner, info }, fast));
    assert.equal(calls, 2, 'asked again');
    assert.deepEqual(events.filter((event) => event.type !== 'route'), [{ type: 'text', text: 'ok' }], 'no restart: nothing of the answer had streamed');
  });

  it('does not retry auth or bad-request errors', async () => {
    for (const kind of ['auth', 'bad-request', 'not-found'] as const) {
      const inner = scriptedClient([new ModelError(kind, kind, { provider: 'test' }), [{ type: 'text', text: 'never' }]]);
      await assert.rejects(collect(withRetries(inner, fast)), (error: unknown) => error instanceof ModelError && error.kind === kind);
      assert.equal(inner.calls, 1);
    }
  });

  it('gives up after the policy allows, with the last error', async () => {
    const inner = scriptedClient([new ModelError('server', 'boom', { provider: 'test', status: 500 })]);
    await assert.rejects(collect(withRetries(inner, fast)), /boom/);
    assert.equal(inner.calls, 4);
  });

  it('recognises a ModelError from another bundle (another copy of the class) by its shape', async () => {
    class ForeignModelError extends Error {
      readonly kind = 'overloaded';
      readonly details = { provider: 'other-bundle' };
      constructor() {
        super('busy');
        this.name = 'ModelError';
      }
    }
    const inner = scriptedClient([new ForeignModelError(), [{ type: 'text', text: 'ok' }]]);
    assert.deepEqual(await collect(withRetries(inner, fast)), [{ type: 'text', text: 'ok' }]);
    assert.equal(inner.calls, 2);
  });

  it("never retries a Coder turn after part of its answer was streamed: its tool calls may have been acted on", async () => {
    let calls = 0;
    const inner: ModelClient = {
      info,
      async *stream() {
        calls += 1;
        yield { type: 'text', text: 'half' };
        throw new ModelError('stream-cut', 'cut', { provider: 'test' });
      },
    };
    const seen: ModelEvent[] = [];
    await assert.rejects(async () => {
      for await (const event of withRetries(inner, fast).stream({ ...request, purpose: 'implement' }, new AbortController().signal)) seen.push(event);
    }, /cut/);
    assert.equal(calls, 1);
    assert.deepEqual(seen, [{ type: 'text', text: 'half' }]);
  });

  it("asks again for a spec, a review, an identity check, a judge's pick or an acceptance cut mid-answer, after telling the consumer to drop the part", async () => {
    // The judge's and the acceptance's answers are text read whole once ended, like a review's.
    for (const purpose of ['spec', 'review', 'identity', 'judge', 'accept'] as const) {
      const inner = scriptedClient([]);
      let calls = 0;
      const cutOnce: ModelClient = {
        info,
        async *stream() {
          calls += 1;
          if (calls === 1) {
            yield { type: 'text', text: '# Code Spec — hal' };
            throw new ModelError('stream-cut', 'the stream ended before the answer was complete', { provider: 'test' });
          }
          yield { type: 'text', text: '# Code Spec — whole' };
        },
      };
      const seen: ModelEvent[] = [];
      for await (const event of withRetries(cutOnce, fast).stream({ ...request, purpose }, new AbortController().signal)) seen.push(event);
      assert.equal(calls, 2, purpose);
      assert.deepEqual(seen, [
        { type: 'text', text: '# Code Spec — hal' },
        { type: 'restart', reason: 'the stream ended before the answer was complete' },
        { type: 'text', text: '# Code Spec — whole' },
      ], purpose);
      assert.equal(inner.calls, 0);
    }
  });

  it('gives up on a cut spec after the policy\'s retries, with the cut as the error', async () => {
    let calls = 0;
    const alwaysCut: ModelClient = {
      info,
      async *stream() {
        calls += 1;
        yield { type: 'text', text: 'part' };
        throw new ModelError('stream-cut', 'cut again', { provider: 'test' });
      },
    };
    await assert.rejects(async () => {
      for await (const event of withRetries(alwaysCut, fast).stream(request, new AbortController().signal)) void event;
    }, /cut again/);
    assert.equal(calls, fast.maxRetries + 1);
  });

  it('a cancel during the backoff stops at once', async () => {
    const controller = new AbortController();
    const inner = scriptedClient([new ModelError('overloaded', 'busy', { provider: 'test', retryAfterMs: 60_000 })]);
    const notices: RetryNotice[] = [];
    // The notice comes just before the 60 s backoff starts; the abort lands once it has started.
    const onRetry = (notice: RetryNotice): void => {
      notices.push(notice);
      queueMicrotask(() => controller.abort());
    };
    const pending = collect(withRetries(inner, { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 60_000 }, onRetry), controller.signal);
    const outcome = await within(pending.then(() => 'finished', (error: unknown) => error), 'the cancel never ended the 60 s backoff', 5_000);
    assert.ok(outcome instanceof ModelError && outcome.kind === 'cancelled', `ended with ${String(outcome)}`);
    assert.deepEqual(notices.map((notice) => [notice.attempt, notice.delayMs]), [[1, 60_000]], 'it was in the backoff the server asked for');
    assert.equal(inner.calls, 1, 'no retry after the cancel');
  });

  it('backs off exponentially within the cap', () => {
    const error = new ModelError('server', 'x', { provider: 't' });
    const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    assert.deepEqual([1, 2, 3, 4, 5].map((attempt) => retryDelay(policy, attempt, error, () => 1)), [100, 200, 400, 800, 1_000]);
    assert.equal(retryDelay(policy, 1, error, () => 0), 50);
  });

  it('scrubs keys out of text from servers and SDKs', () => {
    const canary = 'sk-ant-canary-0123456789abcdef';
    const text = `401 for key ${canary}; headers {"x-api-key":"${canary}","authorization":"Bearer abc.def"} AIzaSyA1234567890123456789012345`;
    const scrubbed = scrubSecrets(text, [canary]);
    assert.doesNotMatch(scrubbed, /canary|abc\.def|AIzaSy/);
  });
});
