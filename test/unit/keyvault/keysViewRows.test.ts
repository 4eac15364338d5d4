// Each Keys view row in a narrow sidebar: the description is cut short, so the tooltip carries
// all it says and the rest (label, group, masked key, use today against the limits, next reset).
import assert from 'node:assert/strict';
import type { KeySnapshot } from '../../../src/core/keyvault/keyPool.js';
import type { RowText } from '../../../src/core/keyvault/keysViewRows.js';
import { groupRow, keyRow, providerRow } from '../../../src/core/keyvault/keysViewRows.js';

const now = new Date(2026, 10, 27, 13, 30).getTime();
const key = (extra: Partial<KeySnapshot> = {}): KeySnapshot => ({
  provider: 'google',
  id: 'k1',
  label: 'project A one',
  masked: '••••3f9a',
  group: 'project-a',
  ownGroup: false,
  today: { requests: 12, tokens: 3400 },
  inFlight: 0,
  nextResetAt: new Date(2026, 10, 27, 23, 59).getTime(),
  models: [{ model: 'gemini-3-flash-preview', limits: { rpm: 10, rpd: 250 }, lastWindow: { requests: 2, tokens: 200 }, today: 12 }],
  ...extra,
});
const plan = (): string => 'plan: learn from the provider';

/** Every part of the description is in the tooltip (a sentence there may start with a capital). */
function assertTooltipHoldsDescription(row: RowText): void {
  const tooltip = row.tooltip.toLowerCase();
  for (const part of row.description.split(' · ')) assert.ok(tooltip.includes(part.toLowerCase()), `"${part}" is missing from the tooltip:\n${row.tooltip}`);
  assert.ok(row.tooltip.includes(row.label), `the label is missing from the tooltip:\n${row.tooltip}`);
}

describe('Keys view rows in a narrow sidebar', () => {
  it("a key's tooltip has its label, group, masked key, use today against the limits and the next reset", () => {
    const row = keyRow(key(), now, false);
    assert.equal(row.description, '••••3f9a · 12 requests, 3.4k tokens today');
    assertTooltipHoldsDescription(row);
    const lines = row.tooltip.split('\n');
    assert.equal(lines[0], 'project A one (••••3f9a)');
    assert.ok(lines.includes('Quota group: project-a'));
    assert.ok(lines.includes('12 requests, 3.4k tokens today'));
    assert.ok(lines.includes('gemini-3-flash-preview: 12 of 250 today (group), 2 in the last minute (limits: 10 requests a minute, 250 requests a day)'), row.tooltip);
    assert.ok(lines.includes('Daily counters reset at 23:59'));
  });

  it('a key from the environment, cooling down or revoked: the tooltip still holds the whole description', () => {
    for (const snapshot of [key(), key({ cooldownUntil: now + 60_000 }), key({ revoked: { reason: '401 API key not valid', at: now } }), key({ ownGroup: true, group: 'key:k1', models: [] })]) {
      for (const environment of [false, true]) assertTooltipHoldsDescription(keyRow(snapshot, now, environment));
    }
    assert.match(keyRow(key({ revoked: { reason: '401 API key not valid', at: now } }), now, false).tooltip, /^Revoked: 401 API key not valid$/m);
  });

  it("a quota group's and a provider's tooltips hold their descriptions", () => {
    const keys = [key(), key({ id: 'k2', label: 'project A two', today: { requests: 3, tokens: 10 } })];
    const group = groupRow('project-a', keys, plan());
    assert.equal(group.description, '2 keys · 15 requests today · plan: learn from the provider');
    assertTooltipHoldsDescription(group);
    const oneGroup = providerRow('Google Gemini', keys, plan);
    assert.equal(oneGroup.description, '2 keys · plan: learn from the provider');
    assertTooltipHoldsDescription(oneGroup);
    const twoGroups = providerRow('Google Gemini', [...keys, key({ id: 'k3', group: 'key:k3', ownGroup: true })], plan);
    assert.equal(twoGroups.description, '3 keys in 2 quota groups');
    assertTooltipHoldsDescription(twoGroups);
  });
});
