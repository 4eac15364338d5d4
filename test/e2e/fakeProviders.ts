// The two local fakes most journeys on real providers use, started around a suite: the
// Architect on the Anthropic fake (key from the environment, as a user would set it) and the
// Coder on the OpenAI-compatible fake, with the settings that point the roles at them.
import type { Settings } from '../host/codeServer';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/anthropicServer';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openaiServer';

export const e2eAnthropicKey = 'sk-ant-e2e-0123456789abcdef';

export interface FakeProviders {
  anthropic: FakeAnthropicServer;
  openai: FakeOpenAiServer;
  /** User settings: Claude Opus as the Architect, qwen3-coder (no fallback) as the Coder, no demo. */
  settings(): Settings;
  env: Record<string, string>;
}

/** Registers before/after hooks in the calling suite; read the fields inside its tests. */
export function useFakeProviders(): FakeProviders {
  let anthropic: FakeAnthropicServer | undefined;
  let openai: FakeOpenAiServer | undefined;
  before(async () => {
    anthropic = await startFakeAnthropicServer();
    openai = await startFakeOpenAiServer();
  });
  after(async () => {
    await anthropic?.close();
    await openai?.close();
  });
  const started = <T>(server: T | undefined): T => {
    if (!server) throw new Error("the fakes start in the suite's before hook: read them inside a test");
    return server;
  };
  return {
    get anthropic() {
      return started(anthropic);
    },
    get openai() {
      return started(openai);
    },
    env: { ANTHROPIC_API_KEY: e2eAnthropicKey },
    settings() {
      return {
        'dualModel.architect.provider': 'anthropic',
        'dualModel.architect.model': 'claude-opus-4-6',
        'dualModel.anthropic.baseUrl': this.anthropic.url,
        'dualModel.coder.provider': 'openai-compatible',
        'dualModel.coder.model': 'qwen3-coder',
        'dualModel.coder.thinking': 'none',
        'dualModel.coder.fallbackModel': '',
        'dualModel.openaiCompatible.baseUrl': this.openai.baseUrl,
        'dualModel.demoModels': 'never',
      };
    },
  };
}
