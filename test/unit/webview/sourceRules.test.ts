// The webview's security rules, checked on its source: the CSP forbids inline handlers and
// styles, model markdown may only reach the page through the sanitizer, and VS Code allows one
// acquireVsCodeApi() call.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..', 'webview-ui', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sources(root).map((path) => ({ name: relative(root, path).replace(/\\/g, '/'), text: readFileSync(path, 'utf8') }));

describe('webview source rules', () => {
  it('finds the sources', () => {
    assert.ok(files.some((f) => f.name === 'main.ts'));
    assert.ok(files.length > 10);
  });

  it('never parses HTML strings into the page', () => {
    for (const file of files) {
      assert.doesNotMatch(file.text, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/, file.name);
    }
  });

  it('sets no inline styles and no inline handlers', () => {
    for (const file of files) {
      assert.doesNotMatch(file.text, /\.style\.|setAttribute\(\s*'style'|\bstyle:\s*'|setAttribute\(\s*'on[a-z]+'|\.on(click|input|change|keydown|load)\s*=/, file.name);
    }
  });

  it('calls acquireVsCodeApi() in vscodeApi.ts only, once', () => {
    // Calls only: not comments, not the `declare function` that types it.
    const call = /^(?!\s*\/\/).*(?<!function )acquireVsCodeApi\(\)/gm;
    const calls = files.flatMap((file) => (file.text.match(call) ?? []).map(() => file.name));
    assert.deepEqual(calls, ['vscodeApi.ts']);
  });

  it('turns zod\'s JIT off before any schema is built (its eval probe would break the CSP)', () => {
    const main = files.find((file) => file.name === 'main.ts');
    const firstImport = main?.text.split('\n').find((line) => line.startsWith('import '));
    assert.equal(firstImport, "import './zodConfig';");
    assert.match(files.find((file) => file.name === 'zodConfig.ts')?.text ?? '', /z\.config\(\{ jitless: true \}\)/);
  });

  it('sanitizes markdown in one place', () => {
    const users = files.filter((file) => /from 'dompurify'/.test(file.text)).map((file) => file.name);
    assert.deepEqual(users, ['markdown.ts']);
    const rendered = files.filter((file) => /\brenderMarkdown\(/.test(file.text)).map((file) => file.name).sort();
    assert.deepEqual(rendered, ['markdown.ts', 'render/markdownBlock.ts']);
  });
});
