// The dualModel.* settings as one zod schema, read from whatever source hands out raw values
// (VS Code's configuration in the extension, a plain object in tests). Every value is checked:
// an invalid one becomes its default and is reported once, by its full setting name. Base URLs
// and the artifacts root are not here: they are read per level (user vs workspace) in settings.ts.
import * as z from 'zod';
import type { CatalogModel, ProviderId } from '../core/models/catalog.js';
import { builtInModels } from '../core/models/catalog.js';
import type { ThinkingLevel } from '../core/models/modelClient.js';
import type { ModelPrice } from '../core/models/prices.js';
import { builtInPrices } from '../core/models/prices.js';
import type { RoleConfig, RoleName } from '../core/models/roles.js';
import { defaultRoles } from '../core/models/roles.js';
import type { EngineSettings } from '../core/workflow/phaseContext.js';
import type { SandboxChoice } from '../node/sandbox.js';

export const SECTION = 'dualModel';

const providers = ['anthropic', 'google', 'openai-compatible', 'vscode-lm', 'demo'] as const satisfies readonly ProviderId[];
const ProviderSchema = z.enum(providers);
const ThinkingSchema = z.enum(['none', 'low', 'medium', 'high'] satisfies ThinkingLevel[]);
/** Any text: an empty fallback means "no fallback", and core's validateRole judges the ids. */
const ModelIdSchema = z.string();
const atLeast = (minimum: number) => z.number().finite().min(minimum);

const CustomModelSchema = z.object({ provider: ProviderSchema, id: z.string().trim().min(1), displayName: z.string().optional() });
const PriceSchema = z.object({
  input: z.number().finite().min(0),
  output: z.number().finite().min(0),
  cacheRead: z.number().finite().min(0).default(0),
  cacheWrite: z.number().finite().min(0).default(0),
});

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
  /** Built-in models plus the valid entries of dualModel.customModels. */
  catalog: CatalogModel[];
  /** The built-in price table with the valid dualModel.prices entries over it. */
  prices: Record<string, ModelPrice>;
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
    catalog: [...builtInModels, ...customModels(read('customModels'), problems)],
    prices: { ...builtInPrices, ...priceOverrides(read('prices'), problems) },
  };
  // Read per level in settings.ts (who set them matters); checked here so a value of the wrong
  // type is reported once per change like the others, and then read as unset.
  for (const key of levelledTextSettings) value(key, z.string(), '');
  return { settings, problems };
}

export const levelledTextSettings = ['artifactsRoot', 'anthropic.baseUrl', 'google.baseUrl', 'openaiCompatible.baseUrl'] as const;

/** Each entry stands alone: one bad entry does not cost the user the others. */
function customModels(raw: unknown, problems: string[]): CatalogModel[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${SECTION}.customModels: expected a list of { provider, id, displayName }; using none instead.`);
    return [];
  }
  return raw.flatMap((entry: unknown, index) => {
    const parsed = CustomModelSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(`${SECTION}.customModels[${index}]: ${describe(parsed.error)}; this entry is ignored.`);
      return [];
    }
    const { provider, id, displayName } = parsed.data;
    return [{ provider, id, displayName: displayName ?? id, supportsThinking: true }];
  });
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
