// The key texts the faces redact with are read once per short while, not once per answer, and
// read again at once when a key is added or removed (the extension calls forgetSecrets).
import assert from 'node:assert/strict';
import { KeyVault } from '../../../src/core/keyvault/keyVault.js';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import { SpendLedger } from '../../../src/core/models/spendLedger.js';

function vaultWith(secrets: () => Promise<readonly string[]>, now: () => number): KeyVault {
  const ledger = new SpendLedger({ read: async () => undefined, write: async () => undefined }, () => ({}), { now: () => new Date() });
  return new KeyVault({
    pool: () => {
      throw new Error('no pool in this test');
    },
    registry: () => builtInRegistry,
    clientFor: () => {
      throw new Error('no client in this test');
    },
    ledger,
    secrets,
    now,
    secretsMaxAgeMs: 1000,
  });
}

describe('the key texts the key vault redacts with', () => {
  it('are read once per while, again after a key changed, and a failed read is not kept', async () => {
    let clock = 0;
    let reads = 0;
    let fail = false;
    let keys = ['key-one-000000000000'];
    const vault = vaultWith(async () => {
      reads += 1;
      if (fail) throw new Error('SecretStorage is not available');
      return keys;
    }, () => clock);
    assert.deepEqual(await vault.knownSecrets(), ['key-one-000000000000']);
    await vault.knownSecrets();
    assert.equal(reads, 1, 'cached within the while');

    keys = ['key-one-000000000000', 'key-two-000000000000'];
    vault.forgetSecrets();
    assert.deepEqual(await vault.knownSecrets(), keys, 'a key just added is known at once');
    assert.equal(reads, 2);

    clock += 1001;
    fail = true;
    await assert.rejects(vault.knownSecrets(), /not available/);
    fail = false;
    assert.deepEqual(await vault.knownSecrets(), keys, 'the failure was not cached');
    assert.equal(reads, 4);
  });
});
