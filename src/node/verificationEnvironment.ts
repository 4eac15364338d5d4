// The environment a verification command starts with: the extension host's, minus every variable
// the extension reads API keys from. A test the Coder wrote could otherwise print them, or send them.
import { environmentVariables, keyProviders } from '../core/keyvault/apiKeys.js';

/** Every variable that may hold a provider key, whichever provider reads it. */
export const KEY_VARIABLES: readonly string[] = keyProviders.flatMap((provider) => environmentVariables[provider]);

export function verificationEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const removed = new Set(KEY_VARIABLES.map(normalised));
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    // Windows treats names case-insensitively, so `anthropic_api_key` is the same variable there.
    if (value !== undefined && !removed.has(normalised(name))) {
      environment[name] = value;
    }
  }
  return { ...environment, ...extra };
}

function normalised(name: string): string {
  return process.platform === 'win32' ? name.toUpperCase() : name;
}
