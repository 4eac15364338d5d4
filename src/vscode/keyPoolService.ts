// The window's key pool, made on first use (activation stays light): keys from the key ring,
// counters in the extension's global storage, so every window of this machine shares them and a
// reload keeps them. Limits and daily resets are asked of the caller on each decision (the
// registry and each group's plan, see quotaPlans.ts), so a change of settings or plan applies at
// once; with none known the pool balances keys by load and honours the providers' 429s and headers.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { KeyProvider, KeyRing } from '../core/keyvault/apiKeys.js';
import { KeyPool, type LimitsFor } from '../core/keyvault/keyPool.js';
import type { DailyReset } from '../core/keyvault/quota.js';
import { UsageDirectory } from '../node/usageDirectory.js';

export function lazyKeyPool(context: vscode.ExtensionContext, keyRing: KeyRing, limitsFor: LimitsFor = () => ({}), dailyReset?: (provider: KeyProvider) => DailyReset): () => KeyPool {
  let pool: KeyPool | undefined;
  context.subscriptions.push({ dispose: () => pool?.dispose() });
  return () => {
    pool ??= new KeyPool({
      keys: (provider) => keyRing.usable(provider),
      limitsFor,
      ...(dailyReset ? { dailyReset } : {}),
      store: new UsageDirectory(path.join(context.globalStorageUri.fsPath, 'keyvault-usage')),
    });
    return pool;
  };
}
