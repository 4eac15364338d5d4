// Ids for function calls. Gemini 3 usually gives each call an id, which must be echoed in the
// matching functionResponse; older models give none, and then the engine still needs one to pair
// a call with its result. Ours carry a prefix so they are never sent to Gemini as if it had made them.
import { randomUUID } from 'node:crypto';

const prefix = 'gemini-call-';

export function newCallId(): string {
  return `${prefix}${randomUUID()}`;
}

/** True for an id we made up, which Gemini has never seen and must not be sent. */
export function isOurCallId(id: string): boolean {
  return id.startsWith(prefix);
}
