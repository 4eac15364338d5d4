// When a provider's daily request counters start again: midnight in its time zone (Pacific for
// Google, UTC elsewhere unless configured). Computed with Intl.DateTimeFormat, which knows each
// zone's daylight-saving rules, so a day is 23 or 25 hours long where the zone says so.
import type { KeyProvider } from './apiKeys.js';
import type { DailyReset } from './quota.js';

export const pacific = 'America/Los_Angeles';

/** The providers' own resets: Gemini's RPD at midnight Pacific, the others' at midnight UTC. */
export function defaultDailyReset(provider: KeyProvider): DailyReset {
  return { timeZone: provider === 'google' ? pacific : 'UTC' };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // Throws a RangeError for a zone that does not exist: a clear error, before any counting.
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(atMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(atMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetMs(atMs: number, timeZone: string): number {
  const wall = wallClock(atMs, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/** The instant the zone's wall clock reads midnight of this calendar date. */
function midnight(year: number, month: number, day: number, timeZone: string): number {
  const wallMidnight = Date.UTC(year, month - 1, day);
  // Two passes: the offset at a first guess, then at the instant it gives (DST moves it by an hour).
  let guess = wallMidnight - offsetMs(wallMidnight, timeZone);
  guess = wallMidnight - offsetMs(guess, timeZone);
  return guess;
}

/** "2026-11-27": the day this instant belongs to, in the zone; counters of one day share it. */
export function dayOf(atMs: number, reset: DailyReset): string {
  const wall = wallClock(atMs, reset.timeZone);
  return `${String(wall.year).padStart(4, '0')}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

/** The last reset at or before this instant. */
export function dayStartMs(atMs: number, reset: DailyReset): number {
  const wall = wallClock(atMs, reset.timeZone);
  return midnight(wall.year, wall.month, wall.day, reset.timeZone);
}

/** The next reset after this instant. */
export function nextResetMs(atMs: number, reset: DailyReset): number {
  const wall = wallClock(atMs, reset.timeZone);
  // Date.UTC rolls day 32 into the next month, and so on.
  const tomorrow = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
  return midnight(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), reset.timeZone);
}
