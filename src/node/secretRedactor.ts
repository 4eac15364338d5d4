// Removes API keys from a command's output as it streams, before any of it reaches the terminal,
// the Code Report or a model. A key may arrive cut across reads (or written a character at a
// time), so the end of each chunk that could still become a key is held back until the next chunk
// shows whether it does. Pure text in, text out: no processes, no I/O.
import { maskKey } from '../core/keyvault/apiKeys.js';

/** Shorter texts are not real keys, and replacing them would mangle ordinary output. */
export const MIN_SECRET_LENGTH = 8;

export class SecretRedactor {
  private readonly secrets: readonly string[];
  /** Output not yet released: the start of what may be a key. */
  private held = '';

  constructor(secrets: Iterable<string>) {
    this.secrets = redactionTargets(secrets);
  }

  /** The part of `chunk` (with what was held before it) that can safely be shown now. */
  push(chunk: string): string {
    if (this.secrets.length === 0) {
      return chunk;
    }
    const text = this.held + chunk;
    const { redacted, rest } = replaceWhole(text, this.secrets);
    const hold = longestKeyStartAtEnd(rest, this.secrets);
    this.held = rest.slice(rest.length - hold);
    return redacted + rest.slice(0, rest.length - hold);
  }

  /** Whatever was held: no more output is coming, so it can no longer become a whole key. */
  end(): string {
    const held = this.held;
    this.held = '';
    // Most of a key is as good as the key to whoever reads it.
    return held.length >= MIN_SECRET_LENGTH ? '[redacted part of a key]' : held;
  }
}

/** Every key in a finished text, replaced. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const targets = redactionTargets(secrets);
  if (targets.length === 0) {
    return text;
  }
  const { redacted, rest } = replaceWhole(text, targets);
  return redacted + rest;
}

/** Distinct, long enough, longest first (so a key that starts another loses to it). */
function redactionTargets(secrets: Iterable<string>): string[] {
  const unique = new Set([...secrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH));
  return [...unique].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every whole key in `text`. `redacted` ends just after the last replacement; `rest` is
 * the text after it, untouched, so the caller can decide how much of it to hold.
 */
function replaceWhole(text: string, secrets: readonly string[]): { redacted: string; rest: string } {
  let redacted = '';
  let from = 0;
  for (;;) {
    let at = -1;
    let found = '';
    for (const secret of secrets) {
      const index = text.indexOf(secret, from);
      // Earliest wins; on a tie the longer one, which comes first in `secrets`.
      if (index !== -1 && (at === -1 || index < at)) {
        at = index;
        found = secret;
      }
    }
    if (at === -1) {
      return { redacted, rest: text.slice(from) };
    }
    redacted += `${text.slice(from, at)}[redacted key ${maskKey(found)}]`;
    from = at + found.length;
  }
}

/** How many characters at the end of `text` are the start of some key (0 if none). */
function longestKeyStartAtEnd(text: string, secrets: readonly string[]): number {
  const longest = Math.min(text.length, (secrets[0]?.length ?? 1) - 1);
  for (let length = longest; length > 0; length -= 1) {
    const tail = text.slice(text.length - length);
    if (secrets.some((secret) => secret.length > length && secret.startsWith(tail))) {
      return length;
    }
  }
  return 0;
}
