// One model request's abort signal: it fires when the caller cancels or when the request's time
// limit (which covers the whole streamed answer) runs out, and remembers which, because SDKs and
// fetch report both as the same quiet abort. Disposing it when the request is over clears the
// timer and aborts the signal, so an answer stopped early does not keep its connection open
// until the time limit. Every provider that bounds a request this way shares it.
export type StopCause = 'cancelled' | 'timeout';

export class RequestLifetime {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private cause: StopCause | undefined;
  private readonly onCallerAbort = (): void => this.stop('cancelled');

  constructor(
    private readonly caller: AbortSignal,
    readonly timeoutMs: number,
  ) {
    // No limit when there is none to keep (setTimeout would read Infinity as "at once").
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    if (caller.aborted) this.stop('cancelled');
    else caller.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the signal fired, if the caller or the time limit fired it. */
  get stoppedBy(): StopCause | undefined {
    return this.cause;
  }

  /** Always call when the request is over, so no timer, listener or connection outlives it. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.caller.removeEventListener('abort', this.onCallerAbort);
    this.controller.abort();
  }

  private stop(cause: StopCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort();
  }
}
