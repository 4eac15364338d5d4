import assert from 'node:assert/strict';
import type { ModelClient, ModelEvent } from '../../../src/core/models/modelClient.js';
import { atThinkingLevel, withFallback } from '../../../src/core/models/fallback.js';
import type { ModelRequest } from '../../../src/core/models/modelClient.js';
import { ModelError } from '../../../src/core/models/modelErrors.js';

const request = { purpose: 'spec' as const, system: '', messages: [], thinking: 'none' as const, maxOutputTokens: 10 };

/** A stream that fails before its first event, as a provider does after its retries. */
async function* failing(error: ModelError): AsyncIterable<ModelEvent> {
  yield* [];
  throw error;
}

function client(modelId: string, behaviour: () => AsyncIterable<ModelEvent>): ModelClient & { calls: number } {
  const made = {
    info: { provider: 'test', modelId, displayName: modelId, isDemo: false },
    calls: 0,
    stream() {
      made.calls += 1;
      return behaviour();
    },
  };
  return made;
}

async function texts(model: ModelClient): Promise<string[]> {
  const out: string[] = [];
  for await (const event of model.stream(request, new AbortController().signal)) if (event.type === 'text') out.push(event.text);
  return out;
}

describe('falling over to the fallback model', () => {
  it('falls over when the primary said where its request went and then failed: a route is not part of the answer', async () => {
    const primary = client('opus', async function* () {
      yield { type: 'route', host: 'api.example.test' };
      throw new ModelError('overloaded', 'still overloaded', { provider: 'test', status: 529 });
    });
    const fallback = client('sonnet', async function* () {
      yield { type: 'text', text: 'from sonnet' };
    });
    assert.deepEqual(await texts(withFallback(primary, fallback, () => undefined)), ['from sonnet']);
    assert.equal(fallback.calls, 1);
  });

  it('after repeated overload the role continues on its fallback, says so, and stays there', async () => {
    const primary = client('opus', () => failing(new ModelError('overloaded', 'still overloaded after 3 retries', { provider: 'test', status: 529 })));
    const fallback = client('sonnet', async function* () {
      yield { type: 'text', text: 'from sonnet' };
    });
    const notices: string[] = [];
    const role = withFallback(primary, fallback, (error, to) => notices.push(`${error.kind} → ${to.info.modelId}`));
    assert.equal(role.info.modelId, 'opus');
    assert.deepEqual(await texts(role), ['from sonnet']);
    assert.deepEqual(notices, ['overloaded → sonnet']);
    assert.equal(role.info.modelId, 'sonnet');
    await texts(role);
    assert.equal(primary.calls, 1, 'the failing model is not asked again');
    assert.equal(fallback.calls, 2);
  });

  it('does not hide errors another model would not fix', async () => {
    for (const kind of ['auth', 'bad-request', 'cancelled'] as const) {
      const primary = client('opus', () => failing(new ModelError(kind, kind, { provider: 'test' })));
      const fallback = client('sonnet', async function* () {
        yield { type: 'text', text: 'never' };
      });
      await assert.rejects(texts(withFallback(primary, fallback, () => undefined)), new RegExp(kind));
      assert.equal(fallback.calls, 0);
    }
  });
});

describe("a fallback model's own thinking level", () => {
  it('answers at its level, not at the level the role asked with', async () => {
    const seen: ModelRequest[] = [];
    const primary = client('pro-high', () => failing(new ModelError('overloaded', 'overloaded', { provider: 'test', status: 503 })));
    const fallback: ModelClient = {
      info: { provider: 'test', modelId: 'pro-low', displayName: 'Pro (Low)', isDemo: false },
      async *stream(asked) {
        seen.push(asked);
        yield { type: 'text', text: 'low' };
      },
    };
    const role = withFallback(primary, atThinkingLevel(fallback, 'low'), () => undefined);
    const out: string[] = [];
    for await (const event of role.stream({ ...request, thinking: 'high' }, new AbortController().signal)) if (event.type === 'text') out.push(event.text);
    assert.deepEqual(out, ['low']);
    assert.equal(seen[0]?.thinking, 'low');
    assert.equal(role.info.modelId, 'pro-low');
  });
});
