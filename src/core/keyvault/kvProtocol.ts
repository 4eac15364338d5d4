// The key vault's four kv.* methods as the seed gives them ("API Reference", "kv.swarmGenerate",
// "Swarm Fields", "kv.modelRegistry"): their params and answers as zod schemas, the errors a
// service may throw, and the KeyVaultService port the RPC and OpenAI faces call. Wire names stay
// the seed's (snake_case); bounds keep one call from exhausting the machine.
import * as z from 'zod';
import type { ModelEvent } from '../models/modelClient.js';

/** Bounds on one call: a caller needing more makes more calls. */
export const kvLimits = {
  /** Requests in one kv.parallelGenerate. */
  maxParallelRequests: 32,
  /** Calls in one JSON-RPC batch. */
  maxBatchCalls: 64,
  /** Tasks in one kv.swarmGenerate. */
  maxSwarmTasks: 64,
  /** Messages in one request's conversation. */
  maxMessages: 256,
  /** Characters in one message, prompt or system prompt (the HTTP body limit caps the total). */
  maxTextLength: 512 * 1024,
  /** The largest max_tokens anyone may ask for. */
  maxOutputTokens: 1_000_000,
  /** Characters in a provider, model, label or caller name. */
  maxNameLength: 200,
} as const;

/** The seed's complexity levels, cheapest first. */
export const complexityLevels = ['trivial', 'simple', 'medium', 'complex', 'expert'] as const;
export type Complexity = (typeof complexityLevels)[number];

const name = (what: string) => z.string().min(1, `${what} must not be empty`).max(kvLimits.maxNameLength, `${what} is longer than ${kvLimits.maxNameLength} characters`);
const text = (what: string) => z.string().max(kvLimits.maxTextLength, `${what} is longer than ${kvLimits.maxTextLength} characters`);
const temperature = z.number().min(0).max(2);
const maxTokens = z.number().int().min(1).max(kvLimits.maxOutputTokens);

// ---- kv.activeModels -------------------------------------------------------------------------

export const ActiveModelsParamsSchema = z.union([z.strictObject({}), z.tuple([])]).optional();

/**
 * One provider with at least one usable key. Deliberately closed: a count and model ids, never a
 * key, a key's hash, a label or anything else derived from one (extra fields are dropped).
 */
export const ActiveProviderSchema = z.object({
  provider: name('provider'),
  active_keys: z.number().int().min(0),
  models: z.array(name('model')),
});
export const ActiveModelsAnswerSchema = z.object({
  providers: z.array(ActiveProviderSchema),
  total_active_keys: z.number().int().min(0),
});
export type ActiveModelsAnswer = z.infer<typeof ActiveModelsAnswerSchema>;

// ---- kv.modelRegistry ------------------------------------------------------------------------

export const ModelRegistryParamsSchema = ActiveModelsParamsSchema;

/**
 * One registry entry. Loose on purpose: the registry fills it (tier, context_window, prices,
 * capabilities, limits and whatever it adds later); the face only insists on an id and provider.
 */
export const RegistryModelSchema = z.looseObject({
  id: name('id'),
  provider: name('provider'),
  display_name: z.string().optional(),
  tier: z.enum(complexityLevels).optional(),
  context_window: z.number().int().min(0).optional(),
  max_output_tokens: z.number().int().min(0).optional(),
  /** US$ per million tokens. */
  prices: z.looseObject({ input: z.number().optional(), output: z.number().optional(), reasoning: z.number().optional(), cached: z.number().optional() }).optional(),
  capabilities: z.looseObject({ tools: z.boolean().optional(), thinking: z.boolean().optional(), json: z.boolean().optional() }).optional(),
  limits: z.looseObject({ rpm: z.number().optional(), tpm: z.number().optional(), rpd: z.number().optional() }).optional(),
});
export const ModelRegistryAnswerSchema = z.looseObject({
  models: z.array(RegistryModelSchema),
  /** When the built-in table was last checked, e.g. "2026-11". */
  dated: z.string().optional(),
});
export type ModelRegistryAnswer = z.infer<typeof ModelRegistryAnswerSchema>;

// ---- kv.parallelGenerate ---------------------------------------------------------------------

export const KvMessageSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: text('a message'),
});
export type KvMessage = z.infer<typeof KvMessageSchema>;

export const GenerateRequestSchema = z.strictObject({
  provider: name('provider'),
  model: name('model'),
  messages: z.array(KvMessageSchema).min(1, 'messages must hold at least one message').max(kvLimits.maxMessages, `at most ${kvLimits.maxMessages} messages per request`),
  system_prompt: text('system_prompt').optional(),
  temperature: temperature.optional(),
  max_tokens: maxTokens.optional(),
});
export type GenerateRequest = z.infer<typeof GenerateRequestSchema>;

export const ParallelGenerateParamsSchema = z.strictObject({
  caller: name('caller').optional(),
  requests: z.array(GenerateRequestSchema).min(1, 'requests must hold at least one request').max(kvLimits.maxParallelRequests, `at most ${kvLimits.maxParallelRequests} requests per call`),
});
export type ParallelGenerateParams = z.infer<typeof ParallelGenerateParamsSchema>;

export const KvUsageSchema = z.object({
  input_tokens: z.number().int().min(0),
  output_tokens: z.number().int().min(0),
  reasoning_tokens: z.number().int().min(0).optional(),
  cached_tokens: z.number().int().min(0).optional(),
});

/** Why one request or task failed; the others' results stand. */
export const KvFailureSchema = z.object({
  /** A short machine word: 'rate-limited', 'auth', 'cap-exceeded', 'timeout', 'server', … */
  code: z.string(),
  message: z.string(),
});
export type KvFailure = z.infer<typeof KvFailureSchema>;

export const GenerateResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    response: z.looseObject({
      text: z.string(),
      model: z.string(),
      provider: z.string(),
      usage: KvUsageSchema.optional(),
      cost_usd: z.number().min(0).optional(),
    }),
  }),
  z.object({ ok: z.literal(false), error: KvFailureSchema.extend({ provider: z.string().optional(), model: z.string().optional() }) }),
]);
export type GenerateResult = z.infer<typeof GenerateResultSchema>;

export const ParallelGenerateAnswerSchema = z.object({ results: z.array(GenerateResultSchema) });
export type ParallelGenerateAnswer = z.infer<typeof ParallelGenerateAnswerSchema>;

// ---- kv.swarmGenerate ------------------------------------------------------------------------

/** The seed's "Swarm Fields". */
export const SwarmTaskSchema = z.strictObject({
  prompt: text('prompt').min(1, 'prompt must not be empty'),
  label: name('label').optional(),
  complexity: z.enum(complexityLevels).optional(),
  model: name('model').optional(),
  system_prompt: text('system_prompt').optional(),
  /** The seed's default is 0.2; the service applies it. */
  temperature: temperature.optional(),
  /** The seed's default is the model's max output; the service applies it. */
  max_tokens: maxTokens.optional(),
});
export type SwarmTask = z.infer<typeof SwarmTaskSchema>;

export const SwarmGenerateParamsSchema = z.strictObject({
  caller: name('caller').optional(),
  tasks: z.array(SwarmTaskSchema).min(1, 'tasks must hold at least one task').max(kvLimits.maxSwarmTasks, `at most ${kvLimits.maxSwarmTasks} tasks per call`),
});
export type SwarmGenerateParams = z.infer<typeof SwarmGenerateParamsSchema>;

const swarmResultCommon = {
  label: z.string().optional(),
  model: z.string(),
  complexity: z.enum(complexityLevels),
  /** True when the first tier's answer was empty, refused or invalid and one tier up answered. */
  escalated: z.boolean().optional(),
  costUsd: z.number().min(0).optional(),
};
export const SwarmResultSchema = z.discriminatedUnion('ok', [
  z.object({ ...swarmResultCommon, ok: z.literal(true), text: z.string() }),
  z.object({ ...swarmResultCommon, ok: z.literal(false), error: KvFailureSchema }),
]);
export type SwarmResult = z.infer<typeof SwarmResultSchema>;

export const SwarmGenerateAnswerSchema = z.object({
  results: z.array(SwarmResultSchema),
  summary: z.object({ total: z.number().int().min(0), succeeded: z.number().int().min(0), failed: z.number().int().min(0) }),
});
export type SwarmGenerateAnswer = z.infer<typeof SwarmGenerateAnswerSchema>;

// ---- the service behind the faces ------------------------------------------------------------

/** One chat completion through the pool, as the OpenAI face asks for it. */
export interface PoolChatRequest {
  /** Who is asking, for the spend ledger and logs (the OpenAI face says 'openai-compatible'). */
  caller: string;
  /** Absent when the model id alone names it. */
  provider?: string;
  model: string;
  system?: string;
  messages: KvMessage[];
  temperature?: number;
  maxTokens?: number;
}

/** A model the OpenAI face lists under /v1/models. */
export interface PoolModel {
  id: string;
  provider: string;
}

export interface KeyVaultService {
  activeModels(): Promise<ActiveModelsAnswer>;
  modelRegistry(): Promise<ModelRegistryAnswer>;
  /** Never rejects for one request's failure: that request's result says `ok: false`. */
  parallelGenerate(params: ParallelGenerateParams, signal: AbortSignal): Promise<ParallelGenerateAnswer>;
  /** Never rejects for one task's failure: that task's result says `ok: false`. */
  swarmGenerate(params: SwarmGenerateParams, signal: AbortSignal): Promise<SwarmGenerateAnswer>;
  /** One chat completion through the pool (the OpenAI face), streamed as ModelEvents. */
  chat(request: PoolChatRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
  /** Models the OpenAI face lists. */
  listModels(): Promise<PoolModel[]>;
  /**
   * Every key text the service could send (all providers), so the faces redact them from every
   * answer and log line. Called once per answer: keep it cheap.
   */
  knownSecrets(): Promise<readonly string[]>;
}

// ---- errors ----------------------------------------------------------------------------------

export type KeyVaultErrorKind =
  /** The call would cross a spend cap (per run or per day): refused whole, nothing spent. */
  | 'cap-exceeded'
  /** No key could take the call within the time the pool will wait. */
  | 'rate-limited'
  /** No usable key for the provider (none stored, or all revoked). */
  | 'no-key'
  /** The model (or provider) is not in the registry. */
  | 'unknown-model'
  /** The call is well-formed but cannot be served as asked (e.g. an option the model lacks). */
  | 'bad-request';

/** A failure the service means the caller to read; its message is shown (after redaction). */
export class KeyVaultError extends Error {
  constructor(
    readonly kind: KeyVaultErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'KeyVaultError';
  }
}

/** By shape, not class: bundles each carry their own copy of the class. */
export function isKeyVaultError(error: unknown): error is KeyVaultError {
  return error instanceof Error && error.name === 'KeyVaultError' && typeof (error as { kind?: unknown }).kind === 'string';
}

/**
 * JSON-RPC error codes: the spec's own, then ours in the server range (-32000..-32099).
 * Stable: callers branch on them.
 */
export const kvErrorCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** The call ran past the server's time limit and was stopped. */
  timedOut: -32000,
  /** No bearer token, or the wrong one, for a method that needs it. */
  unauthorized: -32001,
  /** The request's Host or Origin is not this server's own (DNS rebinding, a web page). */
  forbidden: -32002,
  /** The body is larger than the server accepts. */
  tooLarge: -32003,
  capExceeded: -32010,
  rateLimited: -32011,
  noKey: -32012,
  /** A provider refused or failed the whole call. */
  upstream: -32013,
} as const;
