// The webview's HTML document: a strict Content Security Policy (nothing but our own script,
// with a fresh nonce, and our own stylesheets), no inline code or style. Pure, without `vscode`,
// so the policy is unit-tested; the panel passes webview.cspSource and the asWebviewUri()s.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  /** From createNonce(), new for every document. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri?: string;
  title?: string;
}

/** 128 random bits, base64: a CSP nonce no page script can guess. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function buildContentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    // Our own media only: markdown images are stripped, and a remote one would phone home.
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // Not covered by default-src: no <base> rewriting of relative URLs, no form submissions.
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderWebviewHtml(input: WebviewHtmlInput): string {
  if (!/^[A-Za-z0-9+/_=-]{16,}$/.test(input.nonce)) throw new Error('The CSP nonce must be at least 16 base64 characters.');
  // A ';' would let the source smuggle in a directive of its own.
  if (/[;,"<>\r\n]/.test(input.cspSource) || input.cspSource.trim() === '') {
    throw new Error(`Refusing a CSP source that is empty or holds a separator: ${input.cspSource}`);
  }
  const csp = escapeAttribute(buildContentSecurityPolicy(input.cspSource, input.nonce));
  const codicons = input.codiconUri === undefined ? '' : `\n    <link rel="stylesheet" href="${escapeAttribute(input.codiconUri)}">`;
  const title = escapeAttribute(input.title ?? 'Dual-Model Orchestration');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">${codicons}
    <link rel="stylesheet" href="${escapeAttribute(input.styleUri)}">
    <title>${title}</title>
  </head>
  <body>
    <main id="app" aria-label="${title}"></main>
    <script nonce="${escapeAttribute(input.nonce)}" src="${escapeAttribute(input.scriptUri)}"></script>
  </body>
</html>
`;
}
