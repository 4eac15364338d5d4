// What a caller is told when a call fails, decided once for both faces. The service's own
// errors (a cap, no key, an unknown model) are meant to be read and pass through after
// redaction; a provider's ModelError says what the provider did; anything else is a fault of
// ours whose text may hold anything, so the caller gets a generic line and the log the detail.
import { isKeyVaultError, kvErrorCodes } from '../core/keyvault/kvProtocol.js';
import type { KeyVaultErrorKind } from '../core/keyvault/kvProtocol.js';
import { isModelError } from '../core/models/modelErrors.js';
import type { AnswerScrubber } from './answerScrubber.js';

/** A failure in the shapes both faces need: a JSON-RPC error and an OpenAI-style error. */
export interface CallFailure {
  rpcCode: number;
  httpStatus: number;
  /** OpenAI's error `type` and `code`. */
  openAiType: string;
  openAiCode: string;
  /** Shown to the caller: already redacted. */
  message: string;
  /** For the log, when the caller was told less than happened: already redacted. */
  detail?: string;
}

const serviceFailures: Record<KeyVaultErrorKind, Omit<CallFailure, 'message'>> = {
  'cap-exceeded': { rpcCode: kvErrorCodes.capExceeded, httpStatus: 402, openAiType: 'insufficient_quota', openAiCode: 'spend_cap_exceeded' },
  'rate-limited': { rpcCode: kvErrorCodes.rateLimited, httpStatus: 429, openAiType: 'rate_limit_exceeded', openAiCode: 'rate_limit_exceeded' },
  'no-key': { rpcCode: kvErrorCodes.noKey, httpStatus: 503, openAiType: 'service_unavailable', openAiCode: 'no_usable_key' },
  'unknown-model': { rpcCode: kvErrorCodes.invalidParams, httpStatus: 404, openAiType: 'invalid_request_error', openAiCode: 'model_not_found' },
  'bad-request': { rpcCode: kvErrorCodes.invalidParams, httpStatus: 400, openAiType: 'invalid_request_error', openAiCode: 'invalid_request' },
};

/** Why a call's signal aborts at the server's time limit. */
export class CallTimedOut extends Error {
  constructor(readonly limitMs: number) {
    super(`The call took longer than ${Math.round(limitMs / 1000)} s and was stopped.`);
    this.name = 'CallTimedOut';
  }
}

export function callFailureOf(error: unknown, scrubber: AnswerScrubber): CallFailure {
  if (error instanceof CallTimedOut) {
    return { rpcCode: kvErrorCodes.timedOut, httpStatus: 504, openAiType: 'timeout', openAiCode: 'timeout', message: error.message };
  }
  if (isKeyVaultError(error)) {
    return { ...serviceFailures[error.kind], message: scrubber.scrub(error.message) };
  }
  if (isModelError(error)) {
    const rateLimited = error.kind === 'rate-limited';
    return {
      rpcCode: rateLimited ? kvErrorCodes.rateLimited : kvErrorCodes.upstream,
      httpStatus: rateLimited ? 429 : 502,
      openAiType: rateLimited ? 'rate_limit_exceeded' : 'upstream_error',
      openAiCode: error.kind,
      message: scrubber.scrub(`${error.details.provider}: ${error.message}`),
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    rpcCode: kvErrorCodes.internalError,
    httpStatus: 500,
    openAiType: 'server_error',
    openAiCode: 'internal_error',
    message: 'Internal error in the key vault; its log has the details.',
    detail: scrubber.scrub(text),
  };
}
