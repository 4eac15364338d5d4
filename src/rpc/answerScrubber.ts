// Every key the service knows, removed from whatever the server writes: answers, SSE events and
// log lines. One choke point on the way out, so no path (a provider's error text echoing a key, a
// model's answer, an internal error) can carry one to a caller or a log.
import { redactSecrets, SecretRedactor } from '../node/secretRedactor.js';

export class AnswerScrubber {
  private readonly targets: string[];

  constructor(secrets: readonly string[]) {
    // A key with a quote or backslash looks different inside JSON text: remove that form too.
    this.targets = secrets.flatMap((secret) => {
      const inJson = JSON.stringify(secret).slice(1, -1);
      return inJson === secret ? [secret] : [secret, inJson];
    });
  }

  /** Text (JSON or plain) with every key replaced by its masked form. */
  scrub(text: string): string {
    return redactSecrets(text, this.targets);
  }

  /** For text that arrives in pieces (a streamed answer): a key cut across two pieces is held back. */
  streaming(): SecretRedactor {
    return new SecretRedactor(this.targets);
  }
}
