import assert from 'node:assert/strict';
import { KeyRing, maskKey } from '../../../src/core/keyvault/apiKeys.js';

// The port's contract as VS Code's SecretStorage fulfils it (a string per key); the real one is
// exercised in the extension host by test/integration/apiKeys.test.ts.
class MapSecrets {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

describe('API key ring', () => {
  let ids = 0;
  const ring = (secrets: MapSecrets, env: Record<string, string> = {}) => new KeyRing(secrets, env, () => new Date('2026-11-25T00:00:00Z'), () => `k${++ids}`);

  it('keeps several keys per provider, stored first, then the environment', async () => {
    const secrets = new MapSecrets();
    const keys = ring(secrets, { GEMINI_API_KEY: 'AIza-env-key-000000001234', GOOGLE_API_KEY: '' });
    await keys.add('google', 'AIza-first-key-0000000000aaaa');
    await keys.add('google', 'AIza-second-key-000000000bbbb', 'project B');
    const usable = await keys.usable('google');
    assert.deepEqual(usable.map((k) => k.key), ['AIza-first-key-0000000000aaaa', 'AIza-second-key-000000000bbbb', 'AIza-env-key-000000001234']);
    const listed = await keys.list('google');
    assert.deepEqual(listed.map((l) => [l.label, l.masked, l.source]), [
      ['google key 1', '••••aaaa', 'secret-storage'],
      ['project B', '••••bbbb', 'secret-storage'],
      ['env:GEMINI_API_KEY', '••••1234', 'environment'],
    ]);
    assert.ok(await keys.remove('google', listed[0]?.id ?? ''));
    assert.equal((await keys.usable('google')).length, 2);
    assert.equal(await keys.remove('google', 'nope'), false);
  });

  it('never shows more than the last four characters, and nothing of a short key', () => {
    assert.equal(maskKey('sk-ant-0123456789abcdef'), '••••cdef');
    assert.equal(maskKey('short-key'), '••••');
  });

  it('survives a damaged secret by treating it as empty', async () => {
    const secrets = new MapSecrets();
    secrets.values.set('dualModel.apiKeys.anthropic', '{not json');
    assert.deepEqual(await ring(secrets).usable('anthropic'), []);
  });

  it('lists every key text it knows, stored and environment, of every provider, for redaction', async () => {
    const secrets = new MapSecrets();
    const keys = ring(secrets, {
      ANTHROPIC_API_KEY: ' sk-ant-env-key-00000000001 ',
      GOOGLE_API_KEY: 'AIza-env-google-000000002',
      OPENAI_API_KEY: 'sk-openai-env-00000000003',
      UNRELATED_TOKEN: 'not-a-provider-key-000004',
    });
    await keys.add('anthropic', 'sk-ant-stored-0000000005');
    await keys.add('openai-compatible', 'sk-openai-stored-00000006');
    assert.deepEqual(new Set(await keys.knownSecrets()), new Set([
      'sk-ant-stored-0000000005',
      'sk-ant-env-key-00000000001',
      ' sk-ant-env-key-00000000001 ',
      'AIza-env-google-000000002',
      'sk-openai-stored-00000006',
      'sk-openai-env-00000000003',
    ]));
  });
  it('reads keys stored before quota groups existed, each its own group', async () => {
    const secrets = new MapSecrets();
    secrets.values.set('dualModel.apiKeys.google', JSON.stringify([{ id: 'old', label: 'old key', key: 'AIza-old-key-00000000000000', addedAt: '2026-01-01T00:00:00Z' }]));
    const keys = ring(secrets);
    assert.deepEqual(await keys.usable('google'), [{ id: 'old', key: 'AIza-old-key-00000000000000', label: 'old key' }]);
    assert.equal((await keys.list('google'))[0]?.group, undefined);
  });

  it('puts keys of one Google Cloud project in one quota group, and takes them out again', async () => {
    const secrets = new MapSecrets();
    const keys = ring(secrets);
    const first = await keys.add('google', 'AIza-first-key-0000000000aaaa', 'a', '  project-a ');
    const second = await keys.add('google', 'AIza-second-key-000000000bbbb', 'b');
    assert.equal(first.group, 'project-a');
    assert.equal(await keys.setGroup('google', second.id, 'project-a'), true);
    assert.deepEqual((await keys.usable('google')).map((key) => key.group), ['project-a', 'project-a']);
    assert.equal(await keys.setGroup('google', first.id, ''), true);
    assert.deepEqual((await keys.list('google')).map((key) => key.group), [undefined, 'project-a']);
    assert.equal(await keys.setGroup('google', 'no-such-key', 'x'), false);
    await assert.rejects(keys.setGroup('google', second.id, 'bad\u0007name'), /control characters/);
    assert.deepEqual((await keys.list('google')).map((key) => key.group), [undefined, 'project-a'], 'a refused name changes nothing');
  });
});
