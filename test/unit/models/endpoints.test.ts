import assert from 'node:assert/strict';
import { approvalKey, decideBaseUrl, foreignHost, originOf } from '../../../src/core/models/endpoints.js';

const none: ReadonlySet<string> = new Set();

describe('where a provider request goes (base URLs from the workspace)', () => {
  it("uses the user's own base URL, or the provider's endpoint when none is set", () => {
    assert.deepEqual(decideBaseUrl('anthropic', { user: undefined, workspace: undefined }, true, none), { kind: 'use', baseUrl: undefined });
    assert.deepEqual(decideBaseUrl('anthropic', { user: ' https://gw.corp.example/anthropic ', workspace: '' }, false, none), {
      kind: 'use',
      baseUrl: 'https://gw.corp.example/anthropic',
    });
  });

  it('never uses a workspace base URL in Restricted Mode, approved or not, and says why', () => {
    const approved = new Set([approvalKey('anthropic', 'https://evil.example')]);
    for (const set of [none, approved]) {
      const decision = decideBaseUrl('anthropic', { user: undefined, workspace: 'https://evil.example/v1' }, false, set);
      assert.equal(decision.kind, 'use');
      assert.equal(decision.kind === 'use' ? decision.baseUrl : 'x', undefined);
      assert.match(decision.kind === 'use' ? (decision.ignoredWorkspaceValue?.why ?? '') : '', /not trusted/);
    }
  });

  it('asks before sending a key to a host the workspace names, in a trusted workspace', () => {
    const decision = decideBaseUrl('google', { user: 'https://mine.example', workspace: 'https://evil.example:8443/v1beta' }, true, none);
    assert.deepEqual(decision, { kind: 'ask', origin: 'https://evil.example:8443', baseUrl: 'https://evil.example:8443/v1beta', otherwise: 'https://mine.example' });
  });

  it('an approval covers that exact origin for that provider only', () => {
    const approved = new Set([approvalKey('openai-compatible', 'http://127.0.0.1:11434')]);
    assert.deepEqual(decideBaseUrl('openai-compatible', { user: undefined, workspace: 'http://127.0.0.1:11434/v1' }, true, approved), {
      kind: 'use',
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    // Another port, another scheme, a look-alike host or another provider are asked again.
    for (const [provider, url] of [
      ['openai-compatible', 'http://127.0.0.1:11435/v1'],
      ['openai-compatible', 'https://127.0.0.1:11434/v1'],
      ['openai-compatible', 'http://127.0.0.1.evil.example:11434/v1'],
      ['openai-compatible', 'http://user@127.0.0.1:11434@evil.example/v1'],
      ['anthropic', 'http://127.0.0.1:11434/v1'],
    ] as const) {
      assert.equal(decideBaseUrl(provider, { user: undefined, workspace: url }, true, approved).kind, 'ask', `${provider} ${url}`);
    }
  });

  it('ignores a workspace value that is not an http(s) URL instead of sending anything there', () => {
    for (const value of ['file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'ftp://evil.example']) {
      const decision = decideBaseUrl('anthropic', { user: undefined, workspace: value }, true, none);
      assert.equal(decision.kind, 'use', value);
      assert.equal(decision.kind === 'use' ? decision.baseUrl : 'x', undefined);
      assert.match(decision.kind === 'use' ? (decision.ignoredWorkspaceValue?.why ?? '') : '', /not an http\(s\) URL/);
    }
  });

  it('a workspace value equal to the user\'s own needs no approval', () => {
    assert.deepEqual(decideBaseUrl('anthropic', { user: 'https://gw.example', workspace: 'https://gw.example' }, true, none), { kind: 'use', baseUrl: 'https://gw.example' });
  });

  it("names the host only when it is not the provider's own", () => {
    assert.equal(foreignHost('anthropic', undefined), undefined);
    assert.equal(foreignHost('anthropic', 'https://api.anthropic.com'), undefined);
    assert.equal(foreignHost('openai-compatible', 'https://api.openai.com/v1'), undefined);
    assert.equal(foreignHost('openai-compatible', 'http://localhost:11434/v1'), 'localhost:11434');
    assert.equal(foreignHost('google', 'https://gw.corp.example/gemini'), 'gw.corp.example');
    assert.equal(originOf('https://a.example:443/x'), 'https://a.example');
  });
});
