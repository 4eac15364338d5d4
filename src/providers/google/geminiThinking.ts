// How our four thinking levels become Gemini's thinkingConfig. Gemini 3 and later take a
// thinkingLevel; Gemini 2.x rejects that and takes a token budget instead. The API refuses a
// request that carries both, so exactly one is ever sent.
import type { ThinkingLevel } from '../../core/models/modelClient.js';

export type GeminiThinkingLevelName = 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH';

export type GeminiThinking =
  | { thinkingLevel: GeminiThinkingLevelName; includeThoughts: true }
  | { thinkingBudget: number; includeThoughts: boolean };

/** Budgets for Gemini 2.x, which has no levels: -1 lets the model decide (its own "high"). */
const budgets: Record<ThinkingLevel, number> = { none: 0, low: 1_024, medium: 8_192, high: -1 };

export function geminiThinking(modelId: string, level: ThinkingLevel): GeminiThinking {
  const id = modelId.replace(/^models\//, '');
  if (/^gemini-2\./.test(id)) {
    // 2.5 Pro cannot turn thinking off; 128 tokens is the least it accepts.
    const budget = level === 'none' && /^gemini-2\.5-pro/.test(id) ? 128 : budgets[level];
    return { thinkingBudget: budget, includeThoughts: budget !== 0 };
  }
  return { thinkingLevel: levelFor(id, level), includeThoughts: true };
}

function levelFor(id: string, level: ThinkingLevel): GeminiThinkingLevelName {
  switch (level) {
    case 'none':
      // MINIMAL is the closest to "no thinking", but the Pro models refuse it (their thinking
      // cannot be turned off); LOW is the least they accept.
      return /-pro\b/.test(id) ? 'LOW' : 'MINIMAL';
    case 'low':
      return 'LOW';
    case 'medium':
      return 'MEDIUM';
    case 'high':
      return 'HIGH';
  }
}
