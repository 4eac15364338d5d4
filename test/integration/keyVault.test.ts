// The key vault in the real extension host, on the fake Anthropic server: after a real run the
// Keys view shows the key's use today, its limits and the next reset; a key the provider refuses
// (401) is shown revoked with the reason while the run goes on with the other key, and the
// reinstate command brings it back; the fan-out modal answered Send and answered Cancel.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';
import { builtInRegistry } from '../../src/core/models/builtInRegistry';
import { estimateFanOut } from '../../src/core/models/costEstimate';
import { SpendLedger } from '../../src/core/models/spendLedger';
import { NodeSpendStore } from '../../src/node/nodeSpendStore';
import { confirmFanOut } from '../../src/vscode/confirmFanOut';
import type { KeysViewRow } from '../../src/vscode/keysView';
import { api, setSettings, useFakeProviderSettings, waitFor } from './support';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/anthropicServer';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openaiServer';
import { enqueueSpec } from '../fakes/scriptedLoop';

const firstKey = 'sk-ant-VAULTHOST-first-00000000aaa1';
const refusedKey = 'sk-ant-VAULTHOST-refused-000000bbb2';

function rowOf(rows: readonly KeysViewRow[], label: string): KeysViewRow {
  const row = rows.find((candidate) => candidate.label === label && candidate.depth > 0);
  assert.ok(row, `no row "${label}" in ${JSON.stringify(rows)}`);
  return row;
}

describe('the key vault after real runs (fake Anthropic, real host)', () => {
  let anthropic: FakeAnthropicServer;
  let openai: FakeOpenAiServer;
  let fakeSettings: Record<string, undefined> = {};
  const added: KeyListing[] = [];

  before(async () => {
    anthropic = await startFakeAnthropicServer();
    openai = await startFakeOpenAiServer();
    fakeSettings = await useFakeProviderSettings(anthropic.url, openai.baseUrl);
    // Limits of the user's own: they apply whatever the group's plan.
    await setSettings({ modelRegistry: [{ provider: 'anthropic', id: 'claude-opus-4-6', limits: { rpm: 50, rpd: 1000 } }] });
  });

  after(async () => {
    for (const listing of added) await vscode.commands.executeCommand('dualModel.removeApiKey', 'anthropic', listing.id);
    await setSettings({ ...fakeSettings, modelRegistry: undefined });
    await anthropic.close();
    await openai.close();
  });

  it("shows the key's use today, its limits and the next reset after a run", async () => {
    const dm = await api();
    added.push(await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'anthropic', firstKey, 'vault first'));
    enqueueSpec(anthropic);
    const runId = await dm.startRun('Add a greet helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.cancel(runId);

    const rows = await dm.keysView();
    assert.doesNotMatch(JSON.stringify(rows), /VAULTHOST/, 'no row carries a key');
    const row = rowOf(rows, 'vault first');
    const used = /(\d+) requests?, (\S+) tokens today/.exec(row.description);
    assert.ok(used && Number(used[1]) >= 1 && used[2] !== '0', `use today > 0: ${row.description}`);
    assert.match(row.tooltip, /^claude-opus-4-6: [1-9]\d* of 1000 today \(group\), [1-9]\d* in the last minute \(limits: 50 requests a minute, 1000 requests a day\)$/m);
    assert.match(row.tooltip, /^Daily counters reset at (\d{4}-\d\d-\d\d )?\d\d:\d\d$/m);
  });

  it('shows a key the provider refuses as revoked with the reason, goes on with the other key, and reinstates it', async () => {
    const dm = await api();
    added.push(await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'anthropic', refusedKey, 'vault refused'));
    const before = anthropic.requests.length;
    // Whichever key the pool leases first is refused; the request goes on with the other.
    anthropic.enqueue({ kind: 'http-error', status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } });
    enqueueSpec(anthropic);
    const runId = await dm.startRun('Add a greet helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.cancel(runId);
    const [refusedRequest, servedRequest] = anthropic.requests.slice(before);
    assert.ok(refusedRequest && servedRequest, 'the refused request and the one on the other key');
    const keyOf = (request: typeof refusedRequest): string => String(request.headers['x-api-key'] ?? request.headers.authorization ?? '');
    assert.notEqual(keyOf(refusedRequest), keyOf(servedRequest), 'asked again on the other key');
    const refusedLabel = keyOf(refusedRequest).includes(refusedKey) ? 'vault refused' : 'vault first';

    let row = rowOf(await dm.keysView(), refusedLabel);
    assert.match(row.description, /· revoked: .*invalid x-api-key/);
    assert.match(row.contextValue, /\.revoked$/);
    assert.match(row.tooltip, /^Revoked: .*invalid x-api-key/m);
    assert.match(row.accessibleLabel, /^Revoked key /);

    const id = added.find((listing) => listing.label === refusedLabel)?.id;
    assert.ok(id);
    assert.equal(await vscode.commands.executeCommand('dualModel.keys.reinstate', 'anthropic', id), true);
    row = rowOf(await dm.keysView(), refusedLabel);
    assert.doesNotMatch(row.description, /revoked/);
    assert.doesNotMatch(row.contextValue, /revoked/);
  });

  describe('the fan-out modal', () => {
    // The test workbench refuses to show dialogs ("DialogService: refused to show dialog in
    // tests"), so the modal is answered through confirmFanOut's `ask`, VS Code's own otherwise.
    const estimate = estimateFanOut(
      [1, 2, 3].map(() => ({ provider: 'anthropic', model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Write slugify.' }], maxTokens: 1000 })),
      builtInRegistry,
    );
    let folder = '';
    let spend: SpendLedger;
    before(async () => {
      folder = await fs.mkdtemp(path.join(os.tmpdir(), 'dual-model-fan-out-'));
      spend = new SpendLedger(new NodeSpendStore(path.join(folder, 'spend.json')), () => ({ perDayUsd: 1 }), { now: () => new Date() });
    });
    after(() => fs.rm(folder, { recursive: true, force: true }));

    for (const [answer, agreed] of [
      ['Send', true],
      [undefined, false],
    ] as const) {
      it(`answered ${answer ?? 'Cancel'}: ${agreed ? 'agreed' : 'not agreed'}`, async () => {
        const asked: { message: string; options: vscode.MessageOptions; buttons: string[] }[] = [];
        const agreedTo = await confirmFanOut(estimate, {
          spend,
          caps: () => ({ perDayUsd: 1 }),
          ask: async (message, options, ...buttons) => {
            asked.push({ message, options, buttons });
            return answer;
          },
        });
        assert.equal(agreedTo, agreed);
        const [modal] = asked;
        assert.ok(modal && asked.length === 1, 'asked once');
        assert.equal(modal.options.modal, true, 'a modal, not a toast');
        assert.deepEqual(modal.buttons, ['Send'], 'Send, beside the Cancel VS Code adds');
        assert.match(modal.message, /^Send 3 requests to Claude Sonnet 4\.6 ×3: about \$\d+\.\d\d, at most \$\d+\.\d\d\.$/);
        assert.match(modal.options.detail ?? '', /Left under today's cap of \$1\.00: \$1\.00\./);
      });
    }
  });
});
