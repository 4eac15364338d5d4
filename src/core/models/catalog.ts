// Known models, kept as data: ids change faster than code. Checked against the providers'
// published ids in late 2026 (see shared/PROVIDERS.md). Users add others with the
// `dualModel.customModels` setting; OpenAI-compatible servers accept any id.

export type ProviderId = 'demo' | 'anthropic' | 'google' | 'openai-compatible' | 'vscode-lm';

export interface CatalogModel {
  provider: ProviderId;
  id: string;
  displayName: string;
  /** Retired models stay listed so a setting naming one fails with the successor's name. */
  retired?: { on: string; successor?: string };
  supportsThinking: boolean;
}

export const providerNames: Record<ProviderId, string> = {
  demo: 'Demo (offline replay)',
  anthropic: 'Anthropic',
  google: 'Google Gemini',
  'openai-compatible': 'OpenAI-compatible',
  'vscode-lm': 'VS Code language models',
};

export const builtInModels: readonly CatalogModel[] = [
  { provider: 'anthropic', id: 'claude-opus-4-6', displayName: 'Claude Opus 4.6', supportsThinking: true },
  { provider: 'anthropic', id: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', supportsThinking: true },
  { provider: 'anthropic', id: 'claude-opus-5', displayName: 'Claude Opus 5', supportsThinking: true },
  { provider: 'anthropic', id: 'claude-opus-5-5', displayName: 'Claude Opus 5.5', supportsThinking: true },
  { provider: 'anthropic', id: 'claude-sonnet-5-5', displayName: 'Claude Sonnet 5.5', supportsThinking: true },
  {
    provider: 'google',
    id: 'gemini-3-pro-preview',
    displayName: 'Gemini 3 Pro',
    retired: { on: '2026-03-09', successor: 'gemini-3.1-pro-preview' },
    supportsThinking: true,
  },
  { provider: 'google', id: 'gemini-3.1-pro-preview', displayName: 'Gemini 3.1 Pro', supportsThinking: true },
  { provider: 'google', id: 'gemini-3-flash-preview', displayName: 'Gemini 3 Flash', supportsThinking: true },
  { provider: 'google', id: 'gemini-2.5-flash-lite', displayName: 'Gemini 2.5 Flash-Lite', supportsThinking: true },
  { provider: 'demo', id: 'demo-architect', displayName: 'Demo Architect (offline replay)', supportsThinking: false },
  { provider: 'demo', id: 'demo-coder', displayName: 'Demo Coder (offline replay)', supportsThinking: false },
];

export function findModel(models: readonly CatalogModel[], provider: string, id: string): CatalogModel | undefined {
  return models.find((model) => model.provider === provider && model.id === id);
}
