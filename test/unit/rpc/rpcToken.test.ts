// The bearer token: random and long enough, kept through its store across a reload, rotated so
// the old one stops working at once, and never matched by nothing.
import assert from 'node:assert/strict';
import { bearerOf, newToken, RpcToken, tokensMatch } from '../../../src/rpc/rpcToken.js';

function memoryStore(): { get(): Promise<string | undefined>; store(token: string): Promise<void>; value: string | undefined } {
  const box = {
    value: undefined as string | undefined,
    get: async () => box.value,
    store: async (token: string) => {
      box.value = token;
    },
  };
  return box;
}

describe('the key vault bearer token', () => {
  it('is 32 random bytes in base64url, a new one each time', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newToken()));
    assert.equal(tokens.size, 100);
    for (const token of tokens) assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  });

  it('is generated and stored on first use, and the stored one is used after a reload', async () => {
    const store = memoryStore();
    const first = await new RpcToken(store).current();
    assert.equal(store.value, first);
    const reloaded = new RpcToken(store);
    assert.equal(await reloaded.current(), first);
    assert.equal(await reloaded.accepts(first), true);
  });

  it('rotates: the old token stops working at once, the new one is stored', async () => {
    const store = memoryStore();
    const token = new RpcToken(store);
    const old = await token.current();
    const rotated = await token.rotate();
    assert.notEqual(rotated, old);
    assert.equal(store.value, rotated);
    assert.equal(await token.accepts(old), false);
    assert.equal(await token.accepts(rotated), true);
  });

  it('accepts nothing but the token: not absent, empty, a prefix, a longer text or a case change', async () => {
    const token = new RpcToken(memoryStore());
    const value = await token.current();
    for (const candidate of [undefined, '', value.slice(0, -1), `${value}x`, value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase()]) {
      assert.equal(await token.accepts(candidate), false, String(candidate));
    }
  });

  it('replaces a stored value too short to be one of ours', async () => {
    const store = memoryStore();
    store.value = 'short';
    const token = await new RpcToken(store).current();
    assert.notEqual(token, 'short');
    assert.equal(store.value, token);
  });

  it('compares texts of any length without throwing', () => {
    assert.equal(tokensMatch('a', 'a'), true);
    assert.equal(tokensMatch('a', 'ab'), false);
    assert.equal(tokensMatch('', 'x'.repeat(1000)), false);
  });

  it('reads the token from an Authorization header', () => {
    assert.equal(bearerOf('Bearer abc-123'), 'abc-123');
    assert.equal(bearerOf('bearer   abc'), 'abc');
    assert.equal(bearerOf('Basic abc'), undefined);
    assert.equal(bearerOf('Bearer'), undefined);
    assert.equal(bearerOf('Bearer a b'), undefined);
    assert.equal(bearerOf(undefined), undefined);
  });
});
