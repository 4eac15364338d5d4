// The small set of failures every provider maps its errors to, so retry, fallback and the
// messages people read are decided once, here, and not per SDK. Messages never carry an API
// key: providers build them from status codes and the server's error text, which is scrubbed.

export type ModelErrorKind =
  /** 429: too many requests or tokens; retry after the server's delay. */
  | 'rate-limited'
  /** 529 / 503: the provider is overloaded; retry with backoff. */
  | 'overloaded'
  /** 500, 502, 504 and other 5xx: a server fault; retry with backoff. */
  | 'server'
  /** Connection refused, reset, DNS: retry with backoff. */
  | 'network'
  /** No answer (or no next chunk) within the request's time limit. */
  | 'timeout'
  /** The stream ended before the provider said it was complete. */
  | 'stream-cut'
  /** 401 / 403: the key is missing, wrong or lacks access. Not retried. */
  | 'auth'
  /** 400 / 422: the request is wrong (bad model options, too long). Not retried. */
  | 'bad-request'
  /** 404: no such model (retired, misspelt, not offered on this endpoint). Not retried. */
  | 'not-found'
  /** The answer could not be understood (malformed JSON, unknown event). */
  | 'malformed'
  /** The user cancelled the run. */
  | 'cancelled';

export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly details: { provider: string; status?: number; retryAfterMs?: number } = { provider: 'unknown' },
  ) {
    super(message);
    this.name = 'ModelError';
  }

  get retryable(): boolean {
    return retryableKinds.has(this.kind);
  }
}

/**
 * Recognises a ModelError by shape, not by class: each provider is its own bundle with its own
 * copy of the class, so `instanceof` fails across bundles.
 */
export function isModelError(error: unknown): error is ModelError {
  return error instanceof Error && error.name === 'ModelError' && typeof (error as { kind?: unknown }).kind === 'string';
}

/** Whether a failure can pass with time (and so is worth a retry or a fallback). */
export function isRetryable(error: unknown): boolean {
  return isModelError(error) && retryableKinds.has(error.kind);
}

const retryableKinds = new Set<ModelErrorKind>(['rate-limited', 'overloaded', 'server', 'network', 'timeout', 'stream-cut']);

/** The error kind an HTTP status means, the same for every provider. */
export function kindForStatus(status: number): ModelErrorKind {
  if (status === 429) return 'rate-limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  return 'bad-request';
}

/**
 * The environment variables a provider's key may come from, by the provider's name as its errors
 * give it: a key refused from the environment is fixed there, not in the key list.
 */
function keyVariables(provider: string): string {
  const name = provider.toLowerCase();
  if (name.includes('anthropic')) return 'ANTHROPIC_API_KEY';
  if (name.includes('gemini') || name.includes('google')) return 'GEMINI_API_KEY or GOOGLE_API_KEY';
  if (name.includes('openai')) return 'OPENAI_API_KEY';
  return '';
}

/** What a person should do about it, appended to the provider's own words. */
export function adviceFor(kind: ModelErrorKind, provider: string): string {
  switch (kind) {
    case 'auth': {
      const variables = keyVariables(provider);
      return `Check the ${provider} API key ("Dual-Model: Manage API Keys"${variables ? `, or ${variables} in the environment` : ''}) and that it has access to this model.`;
    }
    case 'not-found':
      return 'Check the model id in the role settings ("Dual-Model: Configure Roles").';
    case 'bad-request':
      return 'The provider refused the request as sent; the model options (thinking level, output tokens) may not suit this model.';
    case 'rate-limited':
      return 'The provider is rate-limiting this key; it was retried after the delay the server asked for.';
    case 'overloaded':
    case 'server':
      return 'The provider had a problem; it was retried with backoff.';
    default:
      return '';
  }
}

/**
 * Removes anything that looks like a credential from text that came from a server or an SDK,
 * as a last line of defence: the known keys verbatim, and common key shapes.
 */
export function scrubSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let scrubbed = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 8) scrubbed = scrubbed.split(secret).join('[redacted]');
  }
  return scrubbed
    .replace(/\bsk-[A-Za-z0-9_-]{8,}/g, '[redacted]')
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]')
    .replace(/(authorization|x-api-key|x-goog-api-key)(["':=\s]+)(Bearer\s+)?[^\s"',;]+/gi, '$1$2[redacted]');
}
