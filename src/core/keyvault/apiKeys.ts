// API keys: several per provider, kept in the host's secret storage (VS Code's SecretStorage,
// encrypted by the OS keychain), with the usual environment variables as a fallback. Nothing
// here ever returns a key to be shown: listings carry a masked form only.
import * as z from 'zod';

/** The host's secret storage: VS Code's SecretStorage in the extension. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined> | Promise<string | undefined>;
  store(key: string, value: string): Thenable<void> | Promise<void>;
  delete(key: string): Thenable<void> | Promise<void>;
}

type Thenable<T> = PromiseLike<T>;

export type KeyProvider = 'anthropic' | 'google' | 'openai-compatible';
export const keyProviders: readonly KeyProvider[] = ['anthropic', 'google', 'openai-compatible'];

/** The variables each provider's own tools read, in order of preference. */
export const environmentVariables: Record<KeyProvider, readonly string[]> = {
  anthropic: ['ANTHROPIC_API_KEY'],
  google: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  'openai-compatible': ['OPENAI_API_KEY'],
};

// `group` came later: keys stored before it have none and are each their own quota group.
const StoredKeysSchema = z.array(z.object({ id: z.string(), label: z.string(), key: z.string(), addedAt: z.string(), group: z.string().optional() }));
type StoredKey = z.infer<typeof StoredKeysSchema>[number];

export interface KeyListing {
  id: string;
  label: string;
  /** "••••3f9a": enough to tell keys apart, never enough to use one. */
  masked: string;
  source: 'secret-storage' | 'environment';
  addedAt?: string;
  /** The quota group this key shares limits with (a Google Cloud project); absent: its own. */
  group?: string;
}

/** The key to send with a request; `id` lets a key pool track limits without holding text. */
export interface UsableKey {
  id: string;
  key: string;
  label?: string;
  /** Keys of one quota group share its limits; absent: the key is its own group. */
  group?: string;
}

/** A group name as people type it: trimmed; empty means "no group" (the key is its own). */
export function cleanGroup(group: string | undefined): string | undefined {
  const trimmed = group?.trim() ?? '';
  if (trimmed.length > 100 || [...trimmed].some((char) => char.charCodeAt(0) < 0x20)) throw new Error('A quota group name is at most 100 characters, with no control characters.');
  return trimmed || undefined;
}

export function maskKey(key: string): string {
  const tail = key.length >= 12 ? key.slice(-4) : '';
  return `••••${tail}`;
}

export class KeyRing {
  constructor(
    private readonly secrets: SecretStore,
    private readonly environment: Readonly<Record<string, string | undefined>>,
    private readonly now: () => Date,
    private readonly newId: () => string,
  ) {}

  private slot(provider: KeyProvider): string {
    return `dualModel.apiKeys.${provider}`;
  }

  private async stored(provider: KeyProvider): Promise<StoredKey[]> {
    const text = await this.secrets.get(this.slot(provider));
    if (!text) return [];
    try {
      const parsed = StoredKeysSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  async add(provider: KeyProvider, key: string, label?: string, group?: string): Promise<KeyListing> {
    const trimmed = key.trim();
    const quotaGroup = cleanGroup(group);
    if (trimmed.length < 8 || /\s/.test(trimmed)) throw new Error('That does not look like an API key (too short, or it contains spaces).');
    const keys = await this.stored(provider);
    if (keys.some((existing) => existing.key === trimmed)) throw new Error(`That ${provider} key is already stored.`);
    const entry: StoredKey = { id: this.newId(), label: label?.trim() || `${provider} key ${keys.length + 1}`, key: trimmed, addedAt: this.now().toISOString(), ...(quotaGroup ? { group: quotaGroup } : {}) };
    await this.secrets.store(this.slot(provider), JSON.stringify([...keys, entry]));
    return listing(entry);
  }

  /** Puts a stored key in a quota group (undefined or '': its own again); false if no such key. */
  async setGroup(provider: KeyProvider, id: string, group: string | undefined): Promise<boolean> {
    const quotaGroup = cleanGroup(group);
    const keys = await this.stored(provider);
    const entry = keys.find((candidate) => candidate.id === id);
    if (!entry) return false;
    if (quotaGroup) entry.group = quotaGroup;
    else delete entry.group;
    await this.secrets.store(this.slot(provider), JSON.stringify(keys));
    return true;
  }

  async remove(provider: KeyProvider, id: string): Promise<boolean> {
    const keys = await this.stored(provider);
    const rest = keys.filter((entry) => entry.id !== id);
    if (rest.length === keys.length) return false;
    if (rest.length === 0) await this.secrets.delete(this.slot(provider));
    else await this.secrets.store(this.slot(provider), JSON.stringify(rest));
    return true;
  }

  /** Stored keys first, then the environment's; masked. */
  async list(provider: KeyProvider): Promise<KeyListing[]> {
    const stored = (await this.stored(provider)).map(listing);
    return [...stored, ...this.fromEnvironment(provider).map((entry): KeyListing => ({ id: entry.id, label: entry.id, masked: maskKey(entry.key), source: 'environment' }))];
  }

  /** Every key a request may use, stored keys first. */
  async usable(provider: KeyProvider): Promise<UsableKey[]> {
    return [...(await this.stored(provider)).map((entry) => ({ id: entry.id, key: entry.key, label: entry.label, ...(entry.group ? { group: entry.group } : {}) })), ...this.fromEnvironment(provider)];
  }

  /**
   * Every key text this ring knows, of every provider, for redacting command output. Also the
   * environment's raw values, spaces and all, as a command that prints its variables would show
   * them. Never to be shown or sent anywhere.
   */
  async knownSecrets(): Promise<string[]> {
    const texts = new Set<string>();
    for (const provider of keyProviders) {
      for (const entry of await this.usable(provider)) texts.add(entry.key);
      for (const name of environmentVariables[provider]) {
        const raw = this.environment[name];
        if (raw) texts.add(raw);
      }
    }
    return [...texts];
  }

  private fromEnvironment(provider: KeyProvider): UsableKey[] {
    return environmentVariables[provider]
      .map((name) => ({ id: `env:${name}`, key: this.environment[name]?.trim() ?? '', label: name }))
      .filter((entry) => entry.key.length > 0);
  }
}

function listing(entry: StoredKey): KeyListing {
  return { id: entry.id, label: entry.label, masked: maskKey(entry.key), source: 'secret-storage', addedAt: entry.addedAt, ...(entry.group ? { group: entry.group } : {}) };
}
