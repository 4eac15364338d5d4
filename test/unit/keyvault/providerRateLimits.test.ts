// Each provider client passes the response's rate-limit headers on as one `rate-limits` event,
// before the answer, with nothing but rate-limit headers in it.
import assert from 'node:assert/strict';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import { createAnthropicClient } from '../../../src/providers/anthropic/anthropicModelClient.js';
import { createGeminiClient } from '../../../src/providers/google/geminiModelClient.js';
import { createOpenAiCompatibleClient } from '../../../src/providers/openai/openaiModelClient.js';
import { startFakeAnthropicServer } from '../../fakes/anthropicServer.js';
import { startFakeGeminiServer } from '../../fakes/geminiServer.js';
import { startFakeOpenAiServer } from '../../fakes/openaiServer.js';

const request: ModelRequest = { purpose: 'implement', system: 's', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], thinking: 'none', maxOutputTokens: 16 };
const options = { apiKey: 'sk-test-key-0000000000000000', modelId: 'm', displayName: 'M', requestTimeoutMs: 10_000 };

async function events(client: ModelClient): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of client.stream(request, new AbortController().signal)) out.push(event);
  return out;
}

const limitHeaders = { 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s' };
const noise = { 'set-cookie': 'session=secret', 'x-request-id': 'req_1' };

function assertLimitsFirst(list: ModelEvent[], expected: Record<string, string>): void {
  const first = list.findIndex((event) => event.type === 'rate-limits');
  assert.ok(first >= 0, `no rate-limits event in ${JSON.stringify(list.map((event) => event.type))}`);
  assert.deepEqual(list[first], { type: 'rate-limits', headers: expected });
  assert.ok(list.slice(0, first).every((event) => event.type !== 'text'), 'before the answer');
  assert.equal(list.filter((event) => event.type === 'rate-limits').length, 1);
}

describe('providers pass on their rate-limit headers', () => {
  it('OpenAI-compatible (the hand-written client)', async () => {
    const server = await startFakeOpenAiServer();
    try {
      server.enqueue({ kind: 'answer', text: ['ok'], headers: { ...limitHeaders, ...noise } });
      assertLimitsFirst(await events(createOpenAiCompatibleClient({ ...options, baseUrl: server.baseUrl })), limitHeaders);
    } finally {
      await server.close();
    }
  });

  it('Anthropic (the SDK, through withResponse)', async () => {
    const server = await startFakeAnthropicServer();
    const anthropicHeaders = { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '49', 'anthropic-ratelimit-requests-reset': '2026-11-27T12:00:01Z' };
    try {
      server.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'ok' }], headers: { ...anthropicHeaders, ...noise } });
      assertLimitsFirst(await events(createAnthropicClient({ ...options, baseUrl: server.url })), anthropicHeaders);
    } finally {
      await server.close();
    }
  });

  it('Gemini (the SDK, through our fetch), e.g. from a gateway in front of it', async () => {
    const server = await startFakeGeminiServer();
    try {
      server.enqueue({ kind: 'answer', parts: [{ text: 'ok' }], headers: { ...limitHeaders, ...noise } });
      assertLimitsFirst(await events(createGeminiClient({ ...options, baseUrl: server.url })), limitHeaders);
    } finally {
      await server.close();
    }
  });

  it('sends no event when a response has no rate-limit headers', async () => {
    const server = await startFakeOpenAiServer();
    try {
      server.enqueue({ kind: 'answer', text: ['ok'], headers: noise });
      const list = await events(createOpenAiCompatibleClient({ ...options, baseUrl: server.baseUrl }));
      assert.ok(!list.some((event) => event.type === 'rate-limits'));
    } finally {
      await server.close();
    }
  });
});
