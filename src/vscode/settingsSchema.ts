// The dualModel.* settings as one zod schema, read from whatever source hands out raw values
// (VS Code's configuration in the extension, a plain object in tests). Every value is checked:
// an invalid one becomes its default and is reported once, by its full setting name. Base URLs
// and the artifacts root are not here: they are read per level (user vs workspace) in settings.ts.
import * as z from 'zod';
import { builtInRegistry } from '../core/models/builtInRegistry.js';
import type { ThinkingLevel } from '../core/models/modelClient.js';
import type { ModelEntry, ModelPrice, ModelRegistry, ProviderId } from '../core/models/registry.js';
import { modelTiers, priceTable } from '../core/models/registry.js';
import type { ModelEntryPatch } from '../core/models/registryOverlay.js';
import { overlayPrices, overlayRegistry } from '../core/models/registryOverlay.js';
import type { SpendCaps } from '../core/models/spendCaps.js';
import type { RoleConfig, RoleName } from '../core/models/roles.js';
import { defaultRoles } from '../core/models/roles.js';
import type { EngineSettings } from '../core/workflow/phaseContext.js';
import type { RunModeName } from '../core/workflow/runMode.js';
import { MAX_PARALLEL_CODERS, runModeNames } from '../core/workflow/runMode.js';
import type { SandboxChoice } from '../node/sandbox.js';

export const SECTION = 'dualModel';

const providers = ['anthropic', 'google', 'openai-compatible', 'vscode-lm', 'demo'] as const satisfies readonly ProviderId[];
const ProviderSchema = z.enum(providers);
const ThinkingSchema = z.enum(['none', 'low', 'medium', 'high'] satisfies ThinkingLevel[]);
/** Any text: an empty fallback means "no fallback", and core's validateRole judges the ids. */
const ModelIdSchema = z.string();
const atLeast = (minimum: number) => z.number().finite().min(minimum);

const CustomModelSchema = z.object({ provider: ProviderSchema, id: z.string().trim().min(1), displayName: z.string().optional() });
const perMillion = z.number().finite().min(0);
const PriceSchema = z.object({ input: perMillion, output: perMillion, reasoning: perMillion.optional(), cacheRead: perMillion.default(0), cacheWrite: perMillion.default(0) });
const tokenCount = z.number().int().positive();
const TimeZoneSchema = z.string().refine(isTimeZone, { message: 'not an IANA time zone (e.g. "America/Los_Angeles")' });
const RegistryEntrySchema = z
  .object({
    provider: ProviderSchema.optional(),
    id: z.string().trim().min(1),
    displayName: z.string().trim().min(1).optional(),
    tier: z.enum(modelTiers).optional(),
    contextWindow: tokenCount.optional(),
    maxOutput: tokenCount.optional(),
    price: PriceSchema.optional(),
    capabilities: z.object({ tools: z.boolean().optional(), thinking: z.boolean().optional(), json: z.boolean().optional() }).strict().optional(),
    limits: z.object({ rpm: tokenCount.optional(), tpm: tokenCount.optional(), rpd: tokenCount.optional() }).strict().optional(),
    dailyResetTimeZone: TimeZoneSchema.optional(),
  })
  .strict();
/** A cap in US dollars; 0 is a cap too (nothing may be spent). */
const CapSchema = z.number().finite().min(0);

/** One Coder of a competitive or division run, as dualModel.run.coders names it. */
export interface CoderChoice {
  provider: ProviderId;
  model: string;
  /** Absent: the Coder role's thinking level. */
  thinking?: ThinkingLevel;
}

/** dualModel.run.*: how a new run shares out the Coder work. */
export interface RunModeSettings {
  mode: RunModeName;
  /** Absent: the Coder role, `candidates` times. */
  coders: CoderChoice[] | undefined;
  candidates: number;
  /** Whether starting a run from the palette or the panel asks for the mode. */
  askMode: boolean;
}

/** "provider/model" (the model id may itself hold slashes) or the object form. */
const CoderChoiceSchema = z.union([
  z
    .string()
    .regex(/^[^/]+\/.+$/, 'expected "provider/model"')
    .transform((text, context) => {
      const slash = text.indexOf('/');
      const provider = ProviderSchema.safeParse(text.slice(0, slash));
      if (!provider.success) {
        context.addIssue({ code: 'custom', message: `unknown provider "${text.slice(0, Math.min(slash, 40))}"; use one of ${providers.join(', ')}` });
        return z.NEVER;
      }
      return { provider: provider.data, model: text.slice(slash + 1) };
    }),
  z.object({ provider: ProviderSchema, model: z.string().trim().min(1), thinking: ThinkingSchema.optional() }).strict(),
]);

export interface RoleSettings extends RoleConfig {
  provider: ProviderId;
}

export interface DualModelSettings {
  roles: Record<RoleName, RoleSettings>;
  demoModels: 'auto' | 'always' | 'never';
  demoLatencyMs: number;
  engine: EngineSettings;
  verificationSandbox: SandboxChoice;
  requestTimeoutMs: number;
  /**
   * The built-in registry with the valid entries of dualModel.customModels, dualModel.prices and
   * dualModel.modelRegistry over it, in that order.
   */
  registry: ModelRegistry;
  /** The registry's prices by model id, for the run's usage. */
  prices: Record<string, ModelPrice>;
  /** dualModel.spend.*: none unless set. */
  spendCaps: SpendCaps;
  run: RunModeSettings;
}

export interface ParsedSettings {
  settings: DualModelSettings;
  /** One line per invalid value, starting with the setting's full name. */
  problems: string[];
}

/** `read` returns the raw value of a key under dualModel (undefined when unset). */
export function parseSettings(read: (key: string) => unknown): ParsedSettings {
  const problems: string[] = [];
  const value = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = read(key);
    if (raw === undefined || raw === null) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`${SECTION}.${key}: ${describe(parsed.error)}; using ${JSON.stringify(fallback)} instead.`);
    return fallback;
  };
  const role = (name: RoleName): RoleSettings => {
    const defaults = defaultRoles[name];
    return {
      provider: value(`${name}.provider`, ProviderSchema, ProviderSchema.parse(defaults.provider)),
      model: value(`${name}.model`, ModelIdSchema, defaults.model),
      thinking: value(`${name}.thinking`, ThinkingSchema, defaults.thinking),
      fallbackModel: value(`${name}.fallbackModel`, ModelIdSchema, defaults.fallbackModel),
      fallbackThinking: value(`${name}.fallbackThinking`, ThinkingSchema, defaults.fallbackThinking),
    };
  };
  const registry = userRegistry(read, problems);
  const settings: DualModelSettings = {
    roles: { architect: role('architect'), coder: role('coder') },
    demoModels: value('demoModels', z.enum(['auto', 'always', 'never']), 'auto'),
    demoLatencyMs: value('demo.latencyMs', atLeast(0), 20),
    engine: {
      verificationTimeoutMs: value('verification.timeoutSeconds', atLeast(1), 300) * 1000,
      maxCoderTurns: value('coder.maxTurns', atLeast(1), 30),
      maxVerificationRuns: value('coder.maxVerificationRuns', atLeast(1), 5),
      maxOutputTokens: value('maxOutputTokens', atLeast(256), 16_000),
    },
    // Anything but the one word that turns it off keeps the sandbox on.
    verificationSandbox: value('verification.sandbox', z.enum(['sandboxed', 'unsandboxed']), 'sandboxed'),
    requestTimeoutMs: value('requestTimeoutSeconds', atLeast(5), 600) * 1000,
    registry,
    prices: priceTable(registry),
    spendCaps: spendCaps(read, problems),
    run: {
      mode: value('run.mode', z.enum(runModeNames), 'single'),
      candidates: value('run.candidates', z.number().int().min(2).max(MAX_PARALLEL_CODERS), 3),
      coders: runCoders(read('run.coders'), problems),
      askMode: value('run.askMode', z.boolean(), true),
    },
  };

  // Read per level in settings.ts (who set them matters); checked here so a value of the wrong
  // type is reported once per change like the others, and then read as unset.
  for (const key of levelledTextSettings) value(key, z.string(), '');
  return { settings, problems };
}

export const levelledTextSettings = ['artifactsRoot', 'anthropic.baseUrl', 'google.baseUrl', 'openaiCompatible.baseUrl'] as const;

/**
 * Settings read from the user's own level only (settings.ts): a repository must not raise or
 * remove a spending cap, nor lower the prices that decide whether one is crossed, nor choose how
 * many models a run sends its work to.
 */
export const userOnlySettings = ['spend.capPerRunUsd', 'spend.capPerDayUsd', 'prices', 'run.mode', 'run.coders', 'run.candidates', 'run.askMode'] as const;

/**
 * The reader parseSettings takes: merged values, except the user-only settings from the user's
 * level, and dualModel.modelRegistry with its prices from the user's level only (the rest of an
 * entry, such as a tier, may come from the workspace).
 */
export function levelledReader(merged: (key: string) => unknown, userLevel: (key: string) => unknown): (key: string) => unknown {
  const userOnly: readonly string[] = userOnlySettings;
  return (key) => {
    if (userOnly.includes(key)) return userLevel(key);
    if (key === 'modelRegistry') return registryWithUserPrices(merged(key), userLevel(key));
    return merged(key);
  };
}

/**
 * VS Code merges a list by replacing it, so the merged registry may be the workspace's: its
 * prices are dropped, and the user's own prices are laid over it again.
 */
function registryWithUserPrices(merged: unknown, user: unknown): unknown {
  if (!Array.isArray(merged) || JSON.stringify(merged) === JSON.stringify(user)) return merged;
  const withoutPrices = merged.map((entry: unknown) => (isRecord(entry) ? Object.fromEntries(Object.entries(entry).filter(([field]) => field !== 'price')) : entry));
  const userPrices = (Array.isArray(user) ? user : []).flatMap((entry: unknown) =>
    isRecord(entry) && entry.price !== undefined ? [{ ...(entry.provider !== undefined ? { provider: entry.provider } : {}), id: entry.id, price: entry.price }] : [],
  );
  return [...withoutPrices, ...userPrices];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The valid entries of dualModel.run.coders, at most MAX_PARALLEL_CODERS; undefined when unset or none is valid. */
function runCoders(raw: unknown, problems: string[]): CoderChoice[] | undefined {
  const entries = validEntries(raw, 'run.coders', CoderChoiceSchema, '"provider/model" or { provider, model, thinking }', 'using the Coder role instead', problems).map(({ value }) => value);
  if (entries.length > MAX_PARALLEL_CODERS) problems.push(`${SECTION}.run.coders: ${entries.length} Coders, but at most ${MAX_PARALLEL_CODERS} run at once; the first ${MAX_PARALLEL_CODERS} are used.`);
  return entries.length > 0 ? entries.slice(0, MAX_PARALLEL_CODERS) : undefined;
}

function spendCaps(read: (key: string) => unknown, problems: string[]): SpendCaps {
  const cap = (key: (typeof userOnlySettings)[number]): number | undefined => {
    const raw = read(key);
    if (raw === undefined || raw === null) return undefined;
    const parsed = CapSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`${SECTION}.${key}: ${describe(parsed.error)}; no cap is set from it.`);
    return undefined;
  };
  const perRunUsd = cap('spend.capPerRunUsd');
  const perDayUsd = cap('spend.capPerDayUsd');
  return { ...(perRunUsd !== undefined ? { perRunUsd } : {}), ...(perDayUsd !== undefined ? { perDayUsd } : {}) };
}

function userRegistry(read: (key: string) => unknown, problems: string[]): ModelRegistry {
  const withCustom: ModelRegistry = { ...builtInRegistry, models: [...builtInRegistry.models, ...customModels(read('customModels'), problems)] };
  const withPrices = overlayPrices(withCustom, priceOverrides(read('prices'), problems));
  const patches = registryPatches(read('modelRegistry'), problems);
  const { registry, unmatched } = overlayRegistry(withPrices, patches.map((entry) => entry.patch));
  for (const index of unmatched) {
    const entry = patches[index];
    if (entry) problems.push(`${SECTION}.modelRegistry[${entry.index}]: no listed model has the id "${entry.patch.id}"; give its provider to add it. This entry is ignored.`);
  }
  return registry;
}

/** Each entry stands alone, with its index in the setting for the problem lines. */
function registryPatches(raw: unknown, problems: string[]): { index: number; patch: ModelEntryPatch }[] {
  return validEntries(raw, 'modelRegistry', RegistryEntrySchema, '{ id, provider?, tier?, price?, limits?, … }', 'using the built-in registry instead', problems).map(({ index, value }) => {
    const { dailyResetTimeZone, ...rest } = value;
    return { index, patch: { ...rest, ...(dailyResetTimeZone !== undefined ? { dailyReset: { timeZone: dailyResetTimeZone } } : {}) } };
  });
}

/**
 * The valid entries of a list setting, each with its index. Each entry stands alone: one bad
 * entry costs the user that entry only, reported by its index; a value that is not a list at all
 * is reported and read as none.
 */
function validEntries<T>(raw: unknown, key: string, schema: z.ZodType<T>, expected: string, otherwise: string, problems: string[]): { index: number; value: T }[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${SECTION}.${key}: expected a list of ${expected}; ${otherwise}.`);
    return [];
  }
  return raw.flatMap((entry: unknown, index) => {
    const parsed = schema.safeParse(entry);
    if (!parsed.success) {
      problems.push(`${SECTION}.${key}[${index}]: ${describe(parsed.error)}; this entry is ignored.`);
      return [];
    }
    return [{ index, value: parsed.data }];
  });
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function customModels(raw: unknown, problems: string[]): ModelEntry[] {
  return validEntries(raw, 'customModels', CustomModelSchema, '{ provider, id, displayName }', 'using none instead', problems).map(({ value: { provider, id, displayName } }) => ({
    provider,
    id,
    displayName: displayName ?? id,
    capabilities: { tools: true, thinking: true, json: false },
  }));
}

function priceOverrides(raw: unknown, problems: string[]): Record<string, ModelPrice> {
  if (raw === undefined || raw === null) return {};
  const table = z.record(z.string(), z.unknown()).safeParse(raw);
  if (!table.success) {
    problems.push(`${SECTION}.prices: expected an object of model id to prices; using the built-in table instead.`);
    return {};
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [model, entry] of Object.entries(table.data)) {
    const parsed = PriceSchema.safeParse(entry);
    if (parsed.success) prices[model] = parsed.data;
    else problems.push(`${SECTION}.prices.${model}: ${describe(parsed.error)}; this entry is ignored.`);
  }
  return prices;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
