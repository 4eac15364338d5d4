// A small in-test KeyVaultService: a stand-in for the real service (built over the key pool and
// the registry next), scripted by model name so each test can ask for an answer, a failure, a
// cap, a crash or a call that waits until it is aborted. It knows a canary key and tries to leak
// it every way a real service might by mistake: in a provider's error text, an internal error,
// extra fields on activeModels, a model's answer.
import { createHash } from 'node:crypto';
import { KeyVaultError } from '../../../src/core/keyvault/kvProtocol.js';
import type {
  ActiveModelsAnswer,
  KeyVaultService,
  ModelRegistryAnswer,
  ParallelGenerateAnswer,
  ParallelGenerateParams,
  PoolChatRequest,
  PoolModel,
  SwarmGenerateAnswer,
  SwarmGenerateParams,
} from '../../../src/core/keyvault/kvProtocol.js';
import type { ModelEvent } from '../../../src/core/models/modelClient.js';
import { ModelError } from '../../../src/core/models/modelErrors.js';

export const CANARY = 'AIzaSy-CANARY-0123456789abcdefGHIJKLmnop';

export class KeyVaultDouble implements KeyVaultService {
  /** Calls the service saw, by method. */
  readonly calls: string[] = [];
  /** Signals of calls that waited ('hang'), to see them abort. */
  readonly waiting: AbortSignal[] = [];

  async activeModels(): Promise<ActiveModelsAnswer> {
    this.calls.push('activeModels');
    // Fields a careless service might add: the face must drop them.
    const leaky = {
      providers: [
        { provider: 'google', active_keys: 10, models: ['gemini-2.5-flash-lite', 'gemini-3-flash-preview'], keys: [CANARY], key_hash: createHash('sha256').update(CANARY).digest('hex') },
        { provider: 'anthropic', active_keys: 1, models: ['claude-sonnet-4-6'], first_key: CANARY.slice(0, 12) },
      ],
      total_active_keys: 11,
      pool: { keys: [CANARY] },
    };
    return leaky as ActiveModelsAnswer;
  }

  async modelRegistry(): Promise<ModelRegistryAnswer> {
    this.calls.push('modelRegistry');
    return {
      dated: '2026-11',
      models: [
        { id: 'gemini-2.5-flash-lite', provider: 'google', tier: 'trivial', context_window: 1_048_576, prices: { input: 0.1, output: 0.4 }, capabilities: { tools: true, thinking: true, json: true }, limits: { rpm: 15, rpd: 1000 } },
        { id: 'claude-sonnet-4-6', provider: 'anthropic', tier: 'complex', context_window: 200_000, prices: { input: 3, output: 15 } },
      ],
    };
  }

  async parallelGenerate(params: ParallelGenerateParams, signal: AbortSignal): Promise<ParallelGenerateAnswer> {
    this.calls.push('parallelGenerate');
    const results = await Promise.all(
      params.requests.map(async (request): Promise<ParallelGenerateAnswer['results'][number]> => {
        await this.script(request.model, signal);
        if (request.model === 'fails') return { ok: false, error: { code: 'auth', message: `google refused key ${CANARY}`, provider: request.provider, model: request.model } };
        const prompt = request.messages.map((message) => message.content).join('\n');
        return { ok: true, response: { text: `answer to: ${prompt}`, model: request.model, provider: request.provider, usage: { input_tokens: 12, output_tokens: 34 } } };
      }),
    );
    return { results };
  }

  async swarmGenerate(params: SwarmGenerateParams, signal: AbortSignal): Promise<SwarmGenerateAnswer> {
    this.calls.push('swarmGenerate');
    const results: SwarmGenerateAnswer['results'] = [];
    for (const task of params.tasks) {
      await this.script(task.model ?? '', signal);
      const complexity = task.complexity ?? (task.prompt.length > 40 ? 'complex' : 'trivial');
      const model = task.model ?? (complexity === 'trivial' ? 'gemini-2.5-flash-lite' : 'gemini-3.1-pro-preview');
      results.push({ label: task.label, model, complexity, ok: true, text: `done: ${task.prompt}`, costUsd: 0 });
    }
    return { results, summary: { total: results.length, succeeded: results.length, failed: 0 } };
  }

  async *chat(request: PoolChatRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    this.calls.push(`chat ${request.provider ?? '?'}/${request.model}`);
    await this.script(request.model, signal);
    yield { type: 'route', host: 'generativelanguage.googleapis.com', key: '••••mnop' };
    const prompt = request.messages.map((message) => message.content).join('\n');
    const answer = `${request.system ? `[${request.system}] ` : ''}answer to: ${prompt}`;
    // In three pieces, so a streamed answer has several chunks.
    const third = Math.ceil(answer.length / 3);
    for (let at = 0; at < answer.length; at += third) yield { type: 'text', text: answer.slice(at, at + third) };
    if (request.model === 'stream-fails') throw new ModelError('stream-cut', 'The stream ended early.', { provider: 'google' });
    yield { type: 'usage', usage: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 } };
    yield { type: 'done', stopReason: 'end' };
  }

  async listModels(): Promise<PoolModel[]> {
    return [
      { id: 'gemini-2.5-flash-lite', provider: 'google' },
      { id: 'claude-sonnet-4-6', provider: 'anthropic' },
      { id: 'shared-id', provider: 'google' },
      { id: 'shared-id', provider: 'openai-compatible' },
      ...['cap', 'no-key', 'crash', 'hang', 'deaf', 'fails', 'stream-fails', 'leaks'].map((id) => ({ id, provider: 'google' })),
    ];
  }

  async knownSecrets(): Promise<readonly string[]> {
    return [CANARY];
  }

  /** What a model name asks the double to do before answering. */
  private async script(model: string, signal: AbortSignal): Promise<void> {
    if (model === 'cap') throw new KeyVaultError('cap-exceeded', 'This call could cost up to $0.42, over the day cap of $1.00 ($0.80 spent today).');
    if (model === 'no-key') throw new KeyVaultError('no-key', 'No usable google key: add one with "Manage API Keys".');
    if (model === 'crash') throw new Error(`socket hang up while sending x-goog-api-key: ${CANARY}`);
    if (model === 'leaks') throw new KeyVaultError('bad-request', `The provider said: API key ${CANARY} is not valid for this model.`);
    if (model === 'deaf') {
      // A service that ignores its signal: only the server's own time limit can end the call.
      this.waiting.push(signal);
      await new Promise<never>(() => undefined);
    }
    if (model === 'hang') {
      this.waiting.push(signal);
      await new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    }
  }
}
