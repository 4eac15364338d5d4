// A caught value is not always an Error: the host and the webview turn it into text through one
// helper, so a rejected string or plain object still says what went wrong.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { messageOf } from '../../../src/vscode/errorMessage.js';

const repo = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('error messages in the host and the webview', () => {
  it('says what a non-Error rejection was', () => {
    assert.equal(messageOf(new Error('disk full')), 'disk full');
    assert.equal(messageOf('quota exceeded'), 'quota exceeded');
    assert.equal(messageOf(undefined), 'undefined');
  });

  it('never casts a caught value to Error to read its message', () => {
    const files = [...sources(join(repo, 'src', 'vscode')), ...sources(join(repo, 'webview-ui', 'src')), join(repo, 'src', 'extension.ts')];
    const offenders = files.filter((file) => /as Error\)\.message/.test(readFileSync(file, 'utf8'))).map((file) => relative(repo, file));
    assert.deepEqual(offenders, []);
  });
});
