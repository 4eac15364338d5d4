// Entry point of dist/providers/openai.js, loaded on first use; every provider bundle exposes the
// same `createClient`.
import type { ModelClient } from '../../core/models/modelClient.js';
import type { ProviderClientOptions } from '../providerOptions.js';
import { createOpenAiCompatibleClient } from './openaiModelClient.js';

export function createClient(options: ProviderClientOptions): ModelClient {
  return createOpenAiCompatibleClient(options);
}
