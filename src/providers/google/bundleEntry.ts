// Entry point of dist/providers/google.js, loaded on first use; every provider bundle exposes the
// same `createClient`.
import type { ModelClient } from '../../core/models/modelClient.js';
import type { ProviderClientOptions } from '../providerOptions.js';
import { createGeminiClient } from './geminiModelClient.js';

export function createClient(options: ProviderClientOptions): ModelClient {
  return createGeminiClient(options);
}
