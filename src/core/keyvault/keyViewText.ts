// What the Keys view says of a key, in words: today's use against the limits of the models it
// served, the next daily reset, a cooldown and why, a revocation and why. Never the key's text.
import { formatTokens, formatUsd } from '../models/usageSummary.js';
import type { KeyModelUse, KeySnapshot } from './keyPool.js';
import type { QuotaLimits } from './quota.js';

export type KeyState = 'revoked' | 'cooling' | 'ok';

export function keyState(key: KeySnapshot, now: number): KeyState {
  if (key.revoked) return 'revoked';
  if (key.cooldownUntil !== undefined && key.cooldownUntil > now) return 'cooling';
  return 'ok';
}

/** "14:02": a local time of day, or a date and time when it is not today. */
export function clockTime(at: number, now: number): string {
  const when = new Date(at);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const time = `${pad(when.getHours())}:${pad(when.getMinutes())}`;
  return new Date(now).toDateString() === when.toDateString() ? time : `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${time}`;
}

/** "12 requests, 3.4k tokens today". */
export function todayText(key: KeySnapshot): string {
  const requests = key.today.requests === 1 ? '1 request' : `${key.today.requests} requests`;
  return `${requests}, ${formatTokens(key.today.tokens)} tokens today`;
}

/** The state in a few words, for the description after the masked key. */
export function stateText(key: KeySnapshot, now: number): string | undefined {
  const state = keyState(key, now);
  if (state === 'revoked') return `revoked: ${key.revoked?.reason ?? ''}`;
  if (state === 'cooling') return `cooling down until ${clockTime(key.cooldownUntil ?? now, now)}, 429 from the provider`;
  return undefined;
}

function limitsText(limits: QuotaLimits): string {
  const parts: string[] = [];
  if (limits.rpm !== undefined) parts.push(`${limits.rpm} requests a minute`);
  if (limits.tpm !== undefined) parts.push(`${formatTokens(limits.tpm)} tokens a minute`);
  if (limits.rpd !== undefined) parts.push(`${limits.rpd} requests a day`);
  return parts.join(', ');
}

/** "gemini-3-flash-preview: 12 of 250 today (group), 2 in the last minute" */
export function modelUseText(use: KeyModelUse): string {
  const day = use.limits.rpd !== undefined ? `${use.today} of ${use.limits.rpd} today (group)` : `${use.today} today (group)`;
  const limits = limitsText(use.limits);
  const learnedRequests = use.learnedRpm !== undefined ? `; the provider allows about ${use.learnedRpm} a minute` : '';
  const learnedTokens = use.learnedTpm !== undefined && use.limits.tpm === undefined ? `; the provider allows about ${formatTokens(use.learnedTpm)} tokens a minute` : '';
  const learned = learnedRequests + learnedTokens;
  return `${use.model}: ${day}, ${use.lastWindow.requests} in the last minute${limits ? ` (limits: ${limits})` : ' (no limits of ours: learning from the provider)'}${learned}`;
}

/** Every line the tooltip shows. */
export function keyDetails(key: KeySnapshot, now: number, environment: boolean): string[] {
  const lines = [`${key.label} (${key.masked})${environment ? ', from the environment' : ''}`, key.ownGroup ? 'Its own quota group' : `Quota group: ${key.group}`, todayText(key)];
  if (key.inFlight > 0) lines.push(`${key.inFlight} in flight`);
  for (const use of key.models) lines.push(modelUseText(use));
  lines.push(`Daily counters reset at ${clockTime(key.nextResetAt, now)}`);
  const state = stateText(key, now);
  if (state) lines.push(state[0]?.toUpperCase() + state.slice(1));
  return lines;
}

/** "today $0.03 of $5.00" (the cap, when set). */
export function daySpendText(dayUsd: number, capPerDayUsd: number | undefined): string {
  return capPerDayUsd === undefined ? `today ${formatUsd(dayUsd)}` : `today ${formatUsd(dayUsd)} of ${formatUsd(capPerDayUsd)}`;
}
