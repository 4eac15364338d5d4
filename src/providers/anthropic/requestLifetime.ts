// One request's abort signal: it fires when the caller cancels or when the request's time limit
// (which covers the whole streamed answer) runs out, and remembers which, because the SDK reports
// both as the same quiet abort. The SDK's own `timeout` only guards the wait for the headers.
import type { StopCause } from './anthropicErrors.js';

export class RequestLifetime {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private cause: StopCause | undefined;
  private readonly onCallerAbort = (): void => this.stop('cancelled');

  constructor(
    private readonly caller: AbortSignal,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    if (caller.aborted) this.stop('cancelled');
    else caller.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stoppedBy(): StopCause | undefined {
    return this.cause;
  }

  /** Always call when the request is over, so no timer or listener outlives it. */
  dispose(): void {
    clearTimeout(this.timer);
    this.caller.removeEventListener('abort', this.onCallerAbort);
  }

  private stop(cause: StopCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort();
  }
}
