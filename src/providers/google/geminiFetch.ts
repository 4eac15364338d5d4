// The fetch each Gemini request goes through. The SDK's ApiError carries the status and the body
// but not the headers, and a gateway or proxy in front of Gemini may say in retry-after when to
// come back; so this fetch keeps the response it got, for the error mapping to read.
//
// Handing the SDK a fetch of our own turns off one thing it otherwise does: Node's fetch gives
// up on a response after 300 s without headers or without a byte of body, which a long thinking
// answer can exceed; the SDK lifts those limits and leaves the bound to httpOptions.timeout
// (our requestTimeoutMs). We do the same, the same way.

type Dispatcher = NonNullable<RequestInit['dispatcher']>;

export interface RecordingFetch {
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** The last response this fetch returned, if any. */
  lastResponse: () => Response | undefined;
}

export function recordingFetch(): RecordingFetch {
  let last: Response | undefined;
  return {
    fetch: async (input, init) => {
      const response = await fetch(input, withoutIdleLimits(init));
      last = response;
      return response;
    },
    lastResponse: () => last,
  };
}

/** Where Node keeps the dispatcher its fetch uses (the SDK reads it from the same place). */
const globalDispatcherKey = Symbol.for('undici.globalDispatcher.1');

function withoutIdleLimits(init: RequestInit | undefined): RequestInit | undefined {
  if (init?.dispatcher) return init;
  if (Reflect.get(globalThis, globalDispatcherKey) === undefined) new Headers(); // makes Node load its fetch
  const global: unknown = Reflect.get(globalThis, globalDispatcherKey);
  if (!isDispatcher(global)) return init;
  const dispatch: Dispatcher['dispatch'] = (options, handler) => global.dispatch({ ...options, headersTimeout: 0, bodyTimeout: 0 }, handler);
  // Everything else is the global dispatcher's own; only dispatch changes.
  const dispatcher: Dispatcher = Object.create(global, { dispatch: { value: dispatch } });
  return { ...init, dispatcher };
}

function isDispatcher(value: unknown): value is Dispatcher {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'dispatch') === 'function';
}
