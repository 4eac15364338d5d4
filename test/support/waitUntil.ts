// "Wait until X, or fail after N ms saying what never happened": the one way tests wait on an
// event they cannot subscribe to (a file a child writes, a request a fake server records).
// A failure names the event, never just "timeout", so a red test says what went wrong.

/**
 * Resolves with the first truthy value `probe` returns; rejects after `timeoutMs` with `never`
 * (a function, to say what was there instead, is called then).
 */
export async function waitUntil<T>(probe: () => T | Promise<T>, never: string | (() => string), timeoutMs = 10_000, intervalMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) throw new Error(`${typeof never === 'string' ? never : never()} (waited ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Settles as `promise` does, or rejects after `timeoutMs` with `never` if it has not settled. */
export async function within<T>(promise: Promise<T>, never: string, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${never} (waited ${timeoutMs} ms)`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expiry]);
  } finally {
    clearTimeout(timer);
  }
}
