import * as assert from 'node:assert/strict';
import { buildContentSecurityPolicy, createNonce, renderWebviewHtml } from '../../../src/vscode/webviewHtml';

const input = {
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'abcdefghijklmnopqrstuv==',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/panel.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
};

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the document has a CSP meta tag');
  return (match[1] ?? '').replace(/&#39;|&apos;/g, "'");
}

describe('webview HTML', () => {
  it('carries the strict policy: nothing by default, our script by nonce, our styles and fonts', () => {
    const csp = cspOf(renderWebviewHtml(input));
    assert.equal(
      csp,
      "default-src 'none'; img-src https://*.vscode-cdn.net; style-src https://*.vscode-cdn.net; " +
        "font-src https://*.vscode-cdn.net; script-src 'nonce-abcdefghijklmnopqrstuv=='; base-uri 'none'; form-action 'none'",
    );
    assert.equal(csp, buildContentSecurityPolicy(input.cspSource, input.nonce));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*;|'self'/);
    // The renderer shows no remote or inline images (markdown <img> is stripped), so none may load:
    // a remote image would tell a server when the panel showed a model's text.
    assert.doesNotMatch(csp, /\bhttps:(?!\/\/)|\bdata:/);
  });

  it('loads exactly one script, with the nonce, and no inline code or style', () => {
    const html = renderWebviewHtml(input);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${input.nonce}" src="${input.scriptUri}">`]);
    assert.match(html, /<\/script>/);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${input.styleUri.replace(/[.+*]/g, '\\$&')}">`));
    assert.match(html, /<main id="app"/);
  });

  it('adds the codicon stylesheet only when given', () => {
    assert.doesNotMatch(renderWebviewHtml(input), /codicon/);
    assert.match(renderWebviewHtml({ ...input, codiconUri: 'https://x/codicon.css' }), /<link rel="stylesheet" href="https:\/\/x\/codicon.css">/);
  });

  it('escapes URIs into attributes', () => {
    const html = renderWebviewHtml({ ...input, styleUri: 'https://x/a.css"><script>alert(1)</script>' });
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /a.css&quot;&gt;&lt;script&gt;/);
  });

  it('refuses a CSP source that would add a directive, and a weak nonce', () => {
    assert.throws(() => renderWebviewHtml({ ...input, cspSource: "https://x; script-src 'unsafe-inline'" }));
    assert.throws(() => renderWebviewHtml({ ...input, cspSource: ' ' }));
    assert.throws(() => renderWebviewHtml({ ...input, nonce: 'short' }));
    assert.throws(() => renderWebviewHtml({ ...input, nonce: `${input.nonce}' 'unsafe-inline` }));
  });

  it('makes a fresh base64 nonce of 128 bits every time', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) {
      assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
      assert.equal(Buffer.from(nonce, 'base64').length, 16);
    }
  });
});
