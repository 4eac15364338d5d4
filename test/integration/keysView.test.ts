// The Keys view in the real extension host: three Google keys in two quota groups, drawn
// masked under provider → group → key; a key moved to the other group; a group's plan set; a
// key removed. No row ever carries a key's text.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';
import { api } from './support.js';

const keys = ['AIzaKEYVIEW-first-0000000000aaa1', 'AIzaKEYVIEW-second-000000000bbb2', 'AIzaKEYVIEW-third-0000000000ccc3'];

describe('the Keys view', () => {
  const added: KeyListing[] = [];

  after(async () => {
    for (const listing of added) await vscode.commands.executeCommand('dualModel.removeApiKey', 'google', listing.id);
  });

  it('draws three keys in two quota groups, masked, then follows a group change, a plan and a removal', async () => {
    const dm = await api();
    added.push(await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'google', keys[0], 'project A one', 'project-a'));
    added.push(await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'google', keys[1], 'project A two', 'project-a'));
    added.push(await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'google', keys[2], 'solo key'));
    const [first, second, third] = added;
    assert.ok(first && second && third);

    let rows = await dm.keysView();
    assert.doesNotMatch(JSON.stringify(rows), /KEYVIEW/, 'no row carries a key');
    const google = rows.find((row) => row.label === 'Google Gemini');
    assert.ok(google, JSON.stringify(rows));
    assert.equal(google.depth, 0);
    assert.match(google.description, /^3 keys in 2 quota groups$/);
    const groupA = rows.find((row) => row.label === 'Quota group: project-a');
    assert.ok(groupA && groupA.depth === 1, JSON.stringify(rows));
    assert.match(groupA.description, /^2 keys · 0 requests today · plan: learn from the provider$/);
    const solo = rows.find((row) => row.label === 'solo key');
    assert.ok(solo && solo.depth === 2);
    assert.match(solo.description, /^••••ccc3 · 0 requests, 0 tokens today$/);
    assert.equal(solo.contextValue, 'dualModel.keys.key');
    assert.match(solo.accessibleLabel, /^Key solo key \(••••ccc3\)\. Its own quota group\. 0 requests/);
    assert.match(solo.tooltip, /Daily counters reset at (\d{4}-\d\d-\d\d )?\d\d:\d\d$/m);

    assert.equal(await vscode.commands.executeCommand('dualModel.keys.setGroup', 'google', third.id, 'project-a'), true);
    rows = await dm.keysView();
    assert.match(rows.find((row) => row.label === 'Google Gemini')?.description ?? '', /^3 keys · plan: learn from the provider$/, 'one group: no group rows');
    assert.equal(rows.filter((row) => row.label.startsWith('Quota group:')).length, 0);

    assert.equal(await vscode.commands.executeCommand('dualModel.keys.setPlan', 'google', 'project-a', 'published'), true);
    rows = await dm.keysView();
    assert.match(rows.find((row) => row.label === 'Google Gemini')?.description ?? '', /plan: Google AI Studio free tier/);
    await vscode.commands.executeCommand('dualModel.keys.setPlan', 'google', 'project-a', 'learn');

    assert.equal(await vscode.commands.executeCommand('dualModel.keys.remove', 'google', first.id, true), true);
    added.shift();
    rows = await dm.keysView();
    assert.equal(rows.some((row) => row.label === 'project A one'), false);
    assert.ok(rows.some((row) => row.label === 'solo key'));
  });
});
