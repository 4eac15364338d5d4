// The built-in model registry: the providers' published figures as data, dated, since ids,
// prices and limits change faster than code. Users lay their own entries over it
// (dualModel.modelRegistry, and the older dualModel.customModels and dualModel.prices).
//
// Sources and gaps, as of the date below:
// - Prices: the providers' price pages (US$/M tokens). Models without a published price here
//   (the Claude 5 family) have none, so their cost shows as "no price" rather than a guess.
// - Context and output: Gemini's model pages (1M in / 64K out); Claude's from the 4.5
//   generation's published 200K / 64K (the SDK's models.list() gives the live figure).
// - Limits: the seed's free-tier requests per day for Gemini (per Google Cloud project, reset at
//   midnight Pacific), mapped to today's ids (gemini-3-pro-preview is retired; its successor
//   keeps its 100/day). Google's free-tier RPM/TPM move often and the seed gives none, so they
//   are unset. Anthropic's limits depend on the organisation's usage tier and count input and
//   output tokens apart, which QuotaLimits does not model: none here; the key pool learns them
//   from the anthropic-ratelimit-* headers, and users may set their own.
import type { ModelEntry, ModelRegistry } from './registry.js';

/** When the built-in figures were taken. */
export const registryDate = '2026-11';

const allCapabilities = { tools: true, thinking: true, json: true } as const;
const pacific = { timeZone: 'America/Los_Angeles' } as const;
const geminiFree = (rpd: number) => ({ plan: 'Google AI Studio free tier (seed table)', limits: { rpd } });
const claudeWindow = { contextWindow: 200_000, maxOutput: 64_000 } as const;
const geminiWindow = { contextWindow: 1_048_576, maxOutput: 65_536 } as const;

export const builtInModels: readonly ModelEntry[] = [
  {
    provider: 'anthropic',
    id: 'claude-opus-4-6',
    displayName: 'Claude Opus 4.6',
    tier: 'expert',
    ...claudeWindow,
    price: { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
    capabilities: allCapabilities,
  },
  {
    provider: 'anthropic',
    id: 'claude-sonnet-4-6',
    displayName: 'Claude Sonnet 4.6',
    tier: 'complex',
    ...claudeWindow,
    price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    capabilities: allCapabilities,
  },
  {
    provider: 'anthropic',
    id: 'claude-haiku-4-5',
    displayName: 'Claude Haiku 4.5',
    tier: 'simple',
    ...claudeWindow,
    price: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
    capabilities: allCapabilities,
  },
  { provider: 'anthropic', id: 'claude-opus-5', displayName: 'Claude Opus 5', tier: 'expert', capabilities: allCapabilities },
  { provider: 'anthropic', id: 'claude-opus-5-5', displayName: 'Claude Opus 5.5', tier: 'expert', capabilities: allCapabilities },
  { provider: 'anthropic', id: 'claude-sonnet-5-5', displayName: 'Claude Sonnet 5.5', tier: 'complex', capabilities: allCapabilities },
  {
    provider: 'google',
    id: 'gemini-3-pro-preview',
    displayName: 'Gemini 3 Pro',
    retired: { on: '2026-03-09', successor: 'gemini-3.1-pro-preview' },
    capabilities: allCapabilities,
    dailyReset: pacific,
  },
  {
    provider: 'google',
    id: 'gemini-3.1-pro-preview',
    displayName: 'Gemini 3.1 Pro',
    tier: 'expert',
    ...geminiWindow,
    price: { input: 2, output: 12, cacheRead: 0.2, cacheWrite: 0 },
    capabilities: allCapabilities,
    limits: geminiFree(100),
    dailyReset: pacific,
  },
  {
    provider: 'google',
    id: 'gemini-3-flash-preview',
    displayName: 'Gemini 3 Flash',
    tier: 'medium',
    ...geminiWindow,
    price: { input: 0.5, output: 3, cacheRead: 0.05, cacheWrite: 0 },
    capabilities: allCapabilities,
    limits: geminiFree(250),
    dailyReset: pacific,
  },
  {
    provider: 'google',
    id: 'gemini-2.5-flash-lite',
    displayName: 'Gemini 2.5 Flash-Lite',
    tier: 'simple',
    ...geminiWindow,
    price: { input: 0.1, output: 0.4, cacheRead: 0.01, cacheWrite: 0 },
    capabilities: allCapabilities,
    limits: geminiFree(1000),
    dailyReset: pacific,
  },
  {
    provider: 'demo',
    id: 'demo-architect',
    displayName: 'Demo Architect (offline replay)',
    price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    capabilities: { tools: true, thinking: false, json: false },
  },
  {
    provider: 'demo',
    id: 'demo-coder',
    displayName: 'Demo Coder (offline replay)',
    price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    capabilities: { tools: true, thinking: false, json: false },
  },
];

export const builtInRegistry: ModelRegistry = { date: registryDate, models: builtInModels, pricesById: {} };
