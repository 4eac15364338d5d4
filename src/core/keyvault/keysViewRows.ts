// The words of each Keys view row: label, description, tooltip and what a screen reader says.
// A narrow sidebar cuts the description short, so each tooltip carries everything the
// description says, and more (the masked key, the group, use today against the limits, the reset).
import type { KeySnapshot } from './keyPool.js';
import type { KeyState } from './keyViewText.js';
import { keyDetails, keyState, stateText, todayText } from './keyViewText.js';

export interface RowText {
  label: string;
  description: string;
  tooltip: string;
  accessibleLabel: string;
}

/** A provider's keys by quota group, in the order they come. */
export function groupsOf(keys: readonly KeySnapshot[]): Map<string, KeySnapshot[]> {
  const groups = new Map<string, KeySnapshot[]>();
  for (const key of keys) groups.set(key.group, [...(groups.get(key.group) ?? []), key]);
  return groups;
}

const keyCount = (count: number): string => (count === 1 ? '1 key' : `${count} keys`);

/** `planText` is a group's plan in words ("plan: learn from the provider"). */
export function providerRow(providerName: string, keys: readonly KeySnapshot[], planText: (group: string) => string): RowText & { groups: number } {
  const groups = groupsOf(keys);
  const [onlyGroup] = [...groups.keys()];
  const description = groups.size > 1 ? `${keyCount(keys.length)} in ${groups.size} quota groups` : `${keyCount(keys.length)} · ${planText(onlyGroup ?? '')}`;
  return { label: providerName, description, tooltip: `${providerName}\n${description}`, accessibleLabel: `${providerName}, ${description}`, groups: groups.size };
}

export function groupRow(group: string, keys: readonly KeySnapshot[], planText: string): RowText {
  const name = keys[0]?.ownGroup ? 'its own group' : group;
  const requests = keys.reduce((total, key) => total + key.today.requests, 0);
  const description = `${keyCount(keys.length)} · ${requests} requests today · ${planText}`;
  const tooltip = [`Quota group: ${name}`, `${keyCount(keys.length)}, ${requests} requests today`, capitalise(planText), 'Keys of one quota group share its limits (for Google, one Cloud project).'].join('\n');
  return { label: `Quota group: ${name}`, description, tooltip, accessibleLabel: `Quota group ${name}, ${description}` };
}

export function keyRow(key: KeySnapshot, now: number, environment: boolean): RowText & { state: KeyState } {
  const state = keyState(key, now);
  const description = [key.masked, environment ? 'environment' : undefined, todayText(key), stateText(key, now)].filter((part): part is string => part !== undefined).join(' · ');
  const details = keyDetails(key, now, environment);
  const kind = state === 'revoked' ? 'Revoked key' : state === 'cooling' ? 'Key cooling down' : 'Key';
  return { label: key.label, description, tooltip: details.join('\n'), accessibleLabel: `${kind} ${details.join('. ')}`, state };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
