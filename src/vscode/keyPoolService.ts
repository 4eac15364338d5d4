// The window's key pool, made on first use (activation stays light): keys from the key ring,
// counters in the extension's global storage, so every window of this machine shares them and a
// reload keeps them. Limits come from the model registry once it exists; until then none are
// known, and the pool balances keys by load and honours the providers' 429s and headers.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { KeyRing } from '../core/keyvault/apiKeys.js';
import { KeyPool, type LimitsFor } from '../core/keyvault/keyPool.js';
import { UsageDirectory } from '../node/usageDirectory.js';

export function lazyKeyPool(context: vscode.ExtensionContext, keyRing: KeyRing, limitsFor: LimitsFor = () => ({})): () => KeyPool {
  let pool: KeyPool | undefined;
  context.subscriptions.push({ dispose: () => pool?.dispose() });
  return () => {
    pool ??= new KeyPool({
      keys: (provider) => keyRing.usable(provider),
      limitsFor,
      store: new UsageDirectory(path.join(context.globalStorageUri.fsPath, 'keyvault-usage')),
    });
    return pool;
  };
}
