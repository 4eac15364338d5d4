// The streaming redactor on its own: whatever way a key is cut into pieces, its text never comes
// out, and ordinary output is not held back waiting for a key that never comes.
import assert from 'node:assert/strict';
import { redactSecrets, SecretRedactor } from '../../../src/node/secretRedactor.js';

const KEY = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx-1234';
const OTHER = 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';

function streamed(chunks: readonly string[], secrets: readonly string[] = [KEY, OTHER]): { pieces: string[]; text: string } {
  const redactor = new SecretRedactor(secrets);
  const pieces = chunks.map((chunk) => redactor.push(chunk));
  pieces.push(redactor.end());
  return { pieces, text: pieces.join('') };
}

function assertNoKey(text: string): void {
  for (const secret of [KEY, OTHER]) {
    assert.ok(!text.includes(secret), `the key leaked: ${text}`);
    // Not even most of it: a reader must not be able to piece the key together from what is left.
    assert.ok(!text.includes(secret.slice(0, secret.length - 4)), `most of the key leaked: ${text}`);
  }
}

describe('SecretRedactor', () => {
  it('replaces a whole key with its masked form', () => {
    const { text } = streamed([`token=${KEY}\n`]);
    assertNoKey(text);
    assert.equal(text, 'token=[redacted key ••••1234]\n');
  });

  it('replaces a key split across two chunks', () => {
    const { text } = streamed([`key is ${KEY.slice(0, 17)}`, `${KEY.slice(17)} (done)\n`]);
    assertNoKey(text);
    assert.equal(text, 'key is [redacted key ••••1234] (done)\n');
  });

  it('replaces a key written one character at a time', () => {
    const { text } = streamed([...`A${KEY}B`]);
    assertNoKey(text);
    assert.equal(text, 'A[redacted key ••••1234]B');
  });

  it('replaces every occurrence of every key, however many', () => {
    const { text } = streamed([`${KEY}${OTHER} ${KEY}`, `\n${OTHER}`]);
    assertNoKey(text);
    assert.equal((text.match(/\[redacted key/g) ?? []).length, 4);
  });

  it('lets ordinary output through at once, without holding it for the next chunk', () => {
    const redactor = new SecretRedactor([KEY]);
    assert.equal(redactor.push('running 3 tests\n'), 'running 3 tests\n');
    assert.equal(redactor.push('ok sk'), 'ok ');
    assert.equal(redactor.push('etch\n'), 'sketch\n');
    assert.equal(redactor.end(), '');
  });

  it('redacts the start of a key still held when the output ends', () => {
    const { text } = streamed(['last words: ', KEY.slice(0, KEY.length - 1)]);
    assertNoKey(text);
    assert.match(text, /^last words: \[redacted/);
  });

  it('ignores texts too short to be keys', () => {
    const { text } = streamed(['a b abc 1234567 ok\n'], ['a', 'abc', '1234567', '']);
    assert.equal(text, 'a b abc 1234567 ok\n');
  });

  it('prefers the longest key when one key starts another', () => {
    const longer = `${KEY}-extended`;
    const { text } = streamed([`x ${longer} y`], [KEY, longer]);
    assert.equal(text, 'x [redacted key ••••nded] y');
  });

  it('redacts a finished text in one go', () => {
    assert.equal(redactSecrets(`a ${KEY} b ${OTHER}`, [KEY, OTHER]), 'a [redacted key ••••1234] b [redacted key ••••MBWY]');
    assert.equal(redactSecrets('nothing here', []), 'nothing here');
  });
});
