// The port every model provider implements (demo replay now; Anthropic, Gemini,
// OpenAI-compatible and vscode.lm later). Provider-neutral on purpose: the engine speaks only
// these types, so any two models can play the two roles.

export type ThinkingLevel = 'none' | 'low' | 'medium' | 'high';

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
}

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool-result'; callId: string; name: string; output: string; isError: boolean };

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: ContentPart[];
}

/** Why the engine is calling; providers may ignore it, the demo replay keys its script on it. */
export type CallPurpose = 'spec' | 'implement' | 'review' | 'identity' | 'spec-question' | 'question' | 'judge' | 'accept';

export interface ModelRequest {
  purpose: CallPurpose;
  system: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  thinking: ThinkingLevel;
  maxOutputTokens: number;
  /**
   * Sampling temperature, when the caller chose one (the kv.* methods pass theirs on); otherwise
   * the provider's own default. Providers clamp it to their range; Anthropic's API takes none.
   */
  temperature?: number;
  /**
   * When set, the answer must be one JSON object matching this JSON Schema (the review verdict).
   * Providers with a structured-output mode use it; the engine validates the text either way.
   */
  jsonSchema?: Record<string, unknown>;
  /**
   * How many leading messages are a stable prefix worth caching (with the system prompt), e.g.
   * the spec the review phase sends again. Providers without prompt caching ignore it.
   */
  cacheablePrefix?: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  thinkingTokens: number;
}

export type ModelEvent =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'tool-call'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'usage'; usage: TokenUsage }
  /**
   * Where this request went: the host, and the key sent with it in masked form ("••••3f9a"), so
   * the run can say which key and endpoint served each call. Never the key's text.
   */
  | { type: 'route'; host: string; key?: string }
  /**
   * What the provider's response headers said about the key's limits (only the rate-limit
   * headers, names lower-cased), for the key pool to correct its counters. Not part of the answer.
   */
  | { type: 'rate-limits'; headers: Record<string, string> }
  | { type: 'done'; stopReason: 'end' | 'tool-use' | 'max-tokens' }
  /**
   * The answer streamed so far is void: it was cut, and the request is being asked again from the
   * start (only for answers with no side effects, see retry.ts). Drop the text received so far.
   */
  | { type: 'restart'; reason: string };

export interface ModelInfo {
  /** Provider id, e.g. 'demo', 'anthropic', 'google'. */
  provider: string;
  /** The id sent to the provider, e.g. 'claude-opus-4-6'. */
  modelId: string;
  /** What people call it, e.g. 'Claude Opus 4.6 (Thinking)'. */
  displayName: string;
  /** True for the offline replay, so the UI can label everything it made as a demo. */
  isDemo: boolean;
}

export interface ModelClient {
  readonly info: ModelInfo;
  /**
   * Streams one answer. Must stop promptly when `signal` aborts (real providers throw a
   * ModelError of kind 'cancelled'; the engine ignores any error once it has cancelled).
   */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}

export const zeroUsage = (): TokenUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  thinkingTokens: 0,
});

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    thinkingTokens: a.thinkingTokens + b.thinkingTokens,
  };
}
