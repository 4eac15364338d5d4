// Entry point of dist/providers/anthropic.js, the bundle the extension loads on first use so the
// SDK costs nothing at activation. Every provider bundle exposes the same `createClient`.
import type { ModelClient } from '../../core/models/modelClient.js';
import type { ProviderClientOptions } from '../providerOptions.js';
import { createAnthropicClient } from './anthropicModelClient.js';

export function createClient(options: ProviderClientOptions): ModelClient {
  return createAnthropicClient(options);
}
